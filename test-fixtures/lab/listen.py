#!/usr/bin/env python3
"""Lab listener: accepts TCP on every ADDRESS:PORT given and answers HTTP requests with a tiny page.

Usage: listen.py ADDR:PORT [ADDR:PORT ...]   ([v6]:port for IPv6; 0.0.0.0:PORT for a wildcard)
One process serves all sockets of a namespace, so the lab stays light. It never connects anywhere.
"""
import asyncio
import sys

BODY = b"aiscan lab listener\n"


async def handle(reader, writer):
    try:
        data = await asyncio.wait_for(reader.read(4096), timeout=5)
        if data.startswith((b"GET ", b"HEAD ")):
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n%s" % (len(BODY), BODY))
            await writer.drain()
    except (asyncio.TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()


def split(spec):
    host, _, port = spec.rpartition(":")
    return host.strip("[]"), int(port)


async def main(specs):
    servers = []
    for spec in specs:
        host, port = split(spec)
        servers.append(await asyncio.start_server(handle, host, port, backlog=4096, reuse_address=True))
    print("listening on %d sockets" % len(servers), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1:]))
