#!/usr/bin/env python3
"""Hostile servers for the fingerprinter's budget tests. Never connects anywhere.

Usage: hostile.py ADDR [PORT=KIND ...]
  Without PORT=KIND, the first seven kinds on ports 7001-7007 in this order:
  tarpit         accepts, reads, never answers
  drip           answers an HTTP response one byte per second, forever
  endless        200 OK and an infinite body
  gzipbomb       Content-Encoding: gzip, ~1 MB on the wire that inflates to 1 GiB
  malformed      binary garbage, a broken status line and headers without CRLF
  redirect       302 to itself, every time
  hugeheaders    a 2 MiB header line that never ends
  slowheaders    a status line, then one header byte every 2 seconds (slowloris in reverse)
  tlstarpit      reads a TLS ClientHello and never answers it
  bannerdrip     speaks first, one byte per second, forever (a banner that never ends)
"""
import asyncio
import gzip
import io
import sys

BOMB = None


def bomb():
    global BOMB
    if BOMB is None:
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as z:
            chunk = b"\0" * (1 << 20)
            for _ in range(1024):
                z.write(chunk)
        BOMB = buf.getvalue()
    return BOMB


async def drain(reader):
    try:
        await asyncio.wait_for(reader.read(4096), timeout=5)
    except Exception:
        pass


async def tarpit(reader, writer):
    await drain(reader)
    await asyncio.sleep(3600)


async def drip(reader, writer):
    await drain(reader)
    msg = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"x" * 100000
    try:
        for b in msg:
            writer.write(bytes([b]))
            await writer.drain()
            await asyncio.sleep(1)
    except ConnectionError:
        pass


async def endless(reader, writer):
    await drain(reader)
    try:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
        chunk = b"A" * 65536
        while True:
            writer.write(chunk)
            await writer.drain()
    except ConnectionError:
        pass


async def gzip_bomb(reader, writer):
    await drain(reader)
    body = bomb()
    try:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body))
        writer.write(body)
        await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def malformed(reader, writer):
    await drain(reader)
    try:
        writer.write(b"HTTP/1.1 2x0 \xff\xfe\x00\x01OK\nX-Broken\nContent-Length: -5\n\x00\x00\x1b[31mhello\x1b[0m" + bytes(range(256)) * 10)
        await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def redirect(reader, writer):
    data = b""
    try:
        data = await asyncio.wait_for(reader.read(4096), timeout=5)
    except Exception:
        pass
    path = data.split(b" ")[1] if data.count(b" ") >= 2 else b"/"
    try:
        writer.write(b"HTTP/1.1 302 Found\r\nLocation: " + path + b"\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def huge_headers(reader, writer):
    await drain(reader)
    try:
        writer.write(b"HTTP/1.1 200 OK\r\nX-Huge: ")
        for _ in range(32):
            writer.write(b"h" * 65536)
            await writer.drain()
        await asyncio.sleep(30)
    except ConnectionError:
        pass


async def slow_headers(reader, writer):
    await drain(reader)
    try:
        writer.write(b"HTTP/1.1 200 OK\r\n")
        await writer.drain()
        for b in b"X-Slow: " + b"s" * 10000:
            writer.write(bytes([b]))
            await writer.drain()
            await asyncio.sleep(2)
    except ConnectionError:
        pass


async def tls_tarpit(reader, writer):
    await drain(reader)  # the ClientHello
    await asyncio.sleep(3600)


async def banner_drip(reader, writer):
    try:
        for b in b"SSH-2.0-" + b"d" * 100000:
            writer.write(bytes([b]))
            await writer.drain()
            await asyncio.sleep(1)
    except ConnectionError:
        pass


KINDS = {"tarpit": tarpit, "drip": drip, "endless": endless, "gzipbomb": gzip_bomb, "malformed": malformed,
         "redirect": redirect, "hugeheaders": huge_headers, "slowheaders": slow_headers, "tlstarpit": tls_tarpit,
         "bannerdrip": banner_drip}
DEFAULT = ["tarpit", "drip", "endless", "gzipbomb", "malformed", "redirect", "hugeheaders"]


async def main(addr, specs):
    if not specs:
        specs = ["%d=%s" % (7001 + i, k) for i, k in enumerate(DEFAULT)]
    servers = []
    for spec in specs:
        port, kind = spec.split("=", 1)
        servers.append(await asyncio.start_server(KINDS[kind], addr, int(port), reuse_address=True))
    print("hostile servers on %s: %s" % (addr, " ".join(specs)), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    bomb()
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
