#!/usr/bin/env python3
"""Scores one scanner's output against the lab's ground truth.

score.py TRUTH TARGETS PORTS FORMAT RESULT
  TRUTH    output of `lab.sh truth`
  TARGETS  comma-separated CIDR blocks / addresses / a-b ranges that were scanned
  PORTS    nmap-style port list that was scanned (numbers and ranges only)
  FORMAT   aiscan-jsonl | nmap-grepable | masscan-list | zmap-csv | none
  RESULT   the scanner's output file (for zmap: a prefix; one file per port is read: PREFIX_<port>)
Prints: found expected false_positives
"""
import ipaddress
import json
import re
import sys


def parse_targets(spec):
    nets = []
    for tok in spec.split(","):
        tok = tok.strip()
        if "-" in tok:
            a, b = tok.split("-", 1)
            a = ipaddress.ip_address(a)
            b = ipaddress.ip_address(b)
            nets.extend(ipaddress.summarize_address_range(a, b))
        else:
            nets.append(ipaddress.ip_network(tok, strict=False))
    return nets


def parse_ports(spec):
    out = set()
    for tok in spec.split(","):
        if "-" in tok:
            a, b = tok.split("-")
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(tok))
    return out


def in_targets(ip, nets):
    a = ipaddress.ip_address(ip)
    return any(a.version == n.version and a in n for n in nets)


def read_result(fmt, path, ports):
    found = set()
    if fmt == "aiscan-jsonl":
        for line in open(path):
            o = json.loads(line)
            if o.get("type") == "port" and o.get("state") == "open":
                found.add((str(ipaddress.ip_address(o["ip"])), o["port"]))
    elif fmt == "nmap-grepable":
        for line in open(path):
            m = re.match(r"Host: (\S+) .*Ports: (.*?)(\tIgnored|$)", line.rstrip("\n"))
            if not m:
                continue
            for entry in m.group(2).split(", "):
                f = entry.split("/")
                if len(f) > 2 and f[1] == "open":
                    found.add((str(ipaddress.ip_address(m.group(1))), int(f[0])))
    elif fmt == "masscan-list":
        for line in open(path):
            f = line.split()
            if len(f) >= 4 and f[0] == "open":
                found.add((str(ipaddress.ip_address(f[3])), int(f[2])))
    elif fmt == "zmap-csv":
        for port in sorted(ports):
            try:
                for line in open("%s_%d" % (path, port)):
                    ip = line.strip().split(",")[0]
                    if ip and ip != "saddr":
                        found.add((str(ipaddress.ip_address(ip)), port))
            except FileNotFoundError:
                pass
    elif fmt == "none":
        pass
    else:
        sys.exit("unknown format " + fmt)
    return found


def main():
    truth_file, targets, ports, fmt, result = sys.argv[1:6]
    nets = parse_targets(targets)
    port_set = parse_ports(ports)
    expected = set()
    for line in open(truth_file):
        f = line.split()
        if f and f[0] == "open" and int(f[2]) in port_set and in_targets(f[1], nets):
            expected.add((str(ipaddress.ip_address(f[1])), int(f[2])))
    found = read_result(fmt, result, port_set)
    print(len(found & expected), len(expected), len(found - expected))


if __name__ == "__main__":
    main()
