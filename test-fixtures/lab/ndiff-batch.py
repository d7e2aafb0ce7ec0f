#!/usr/bin/python3
"""Reads many nmap XML files with ndiff's own parser and diff, in one process (Debian's ndiff
module, /usr/lib/python3/dist-packages/ndiff.py). For each file named in the list file, prints
one JSON line: hosts and ports ndiff read, the cost of diffing the file with itself (0 when ndiff
sees no difference) and with an empty scan, or the error ndiff raised."""
import io
import json
import sys

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import ndiff  # noqa: E402

EMPTY = """<?xml version="1.0"?>
<nmaprun scanner="aiscan" args="" start="0" version="1" xmloutputversion="1.05"><runstats><finished time="0"/>
<hosts up="0" down="0" total="0"/></runstats></nmaprun>
"""


def load(path):
    s = ndiff.Scan()
    s.load_from_file(path)
    return s


def cost(a, b):
    out = io.StringIO()
    return ndiff.ScanDiffText(a, b, out).output()


def main():
    empty = ndiff.Scan()
    empty.load(io.StringIO(EMPTY))
    with open(sys.argv[1], encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    for path in files:
        try:
            a = load(path)
            b = load(path)
            ports = sum(len(h.ports) for h in a.hosts)
            print(json.dumps({"file": path, "hosts": len(a.hosts), "ports": ports, "self_cost": cost(a, b),
                              "empty_cost": cost(empty, load(path))}))
        except Exception as e:  # ndiff's own failure is the finding: report it, go on
            print(json.dumps({"file": path, "error": "%s: %s" % (type(e).__name__, e)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
