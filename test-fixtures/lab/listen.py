#!/usr/bin/env python3
"""Lab listener: accepts TCP on every ADDRESS:PORT given, optionally replaying a recorded fixture.

Usage: listen.py [--log FILE] SPEC [SPEC ...]
  SPEC = ADDR:PORT            answers any HTTP GET with a tiny page
       = ADDR:PORT=FIXTURE    replays test-fixtures/fingerprints/FIXTURE(.yaml): its answers by request,
                              its banner (sent as soon as a client connects), its raw replies, its fallback
  ADDR is an IPv4 address, [IPv6] or 0.0.0.0 for every local address.
  --log FILE                  appends "ADDR PORT REQUEST-LINE" for every request received (the recording
                              that proves what a scanner sent)
One process serves every socket of a namespace. It never connects anywhere.
"""
import asyncio
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fingerprints")
REASONS = {200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 303: "See Other", 400: "Bad Request",
           401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 410: "Gone"}
LOG = None


def load_fixture(name):
    path = os.path.join(FIXTURES, name if name.endswith(".yaml") else name + ".yaml")
    with open(path) as f:
        fx = yaml.safe_load(f)
    answers = {a["request"]: a for a in fx.get("responses", [])}
    return answers, fx.get("fallback")


def log(addr, port, line):
    if LOG:
        with open(LOG, "a") as f:
            f.write("%s %s %s\n" % (addr, port, line.replace("\r", "\\r").replace("\n", "\\n")))


def http_response(answer):
    status = answer.get("status") or 200
    body = (answer.get("body") or "").encode()
    lines = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status"))]
    for k, v in (answer.get("headers") or {}).items():
        lines.append("%s: %s" % (k, v))
    lines.append("Content-Length: %d" % len(body))
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def serve(addr, port, fixture):
    answers, fallback = load_fixture(fixture) if fixture else ({}, None)
    banner = answers.get("banner")

    async def handle(reader, writer):
        try:
            if banner:
                writer.write(banner["body"].encode())
                await writer.drain()
            data = await asyncio.wait_for(reader.read(8192), timeout=5)
            if not data:
                return
            first = data.split(b"\n", 1)[0].decode("latin-1").rstrip("\r")
            log(addr, port, first if first.startswith(("GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "PATCH "))
                else "raw " + data.decode("latin-1"))
            if first.startswith("GET ") or first.startswith("HEAD "):
                path = first.split(" ")[1] if len(first.split(" ")) > 1 else "/"
                a = answers.get("GET " + path)
                if a is None and fixture:
                    a = fallback or {"status": 404, "body": "Not Found"}
                if a is None:
                    body = "aiscan lab listener\n"
                    a = {"status": 200, "headers": {"Content-Type": "text/plain"}, "body": body}
                if a.get("status") in (None, 0):
                    writer.write((a.get("body") or "").encode())
                else:
                    writer.write(http_response(a))
            else:
                key = 'raw "%s"' % data.decode("latin-1").replace("\r", "\\r").replace("\n", "\\n")
                a = answers.get(key)
                if a is not None:
                    writer.write((a.get("body") or "").encode())
                elif fallback and fallback.get("status") in (None, 0):
                    writer.write((fallback.get("body") or "").encode())
            await writer.drain()
        except (asyncio.TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    return handle


def split(spec):
    fixture = None
    if "=" in spec:
        spec, fixture = spec.split("=", 1)
    host, _, port = spec.rpartition(":")
    return host.strip("[]"), int(port), fixture


async def main(specs):
    servers = []
    for spec in specs:
        host, port, fixture = split(spec)
        servers.append(await asyncio.start_server(serve(host, port, fixture), host, port, backlog=4096, reuse_address=True))
    print("listening on %d sockets" % len(servers), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--log"]:
        LOG = args[1]
        args = args[2:]
    if not args:
        sys.exit(__doc__)
    asyncio.run(main(args))
