#!/usr/bin/env python3
"""Writes rulesets/policy/firewalld-services.tsv from firewalld's own service definitions.

Usage: python3 src/build/firewalld/services.py [/usr/lib/firewalld/services] > rulesets/policy/firewalld-services.tsv

Each row: the service name and its ports as firewalld defines them (includes resolved), e.g.
"samba<TAB>139/tcp 445/tcp 137/udp 138/udp". A service that opens a whole protocol (gre, esp) lists
it as "proto/gre"; one that opens no port (a helper only) has an empty list.
"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/firewalld/services"
defs = {}
for f in sorted(os.listdir(root)):
    if f.endswith(".xml"):
        defs[f[:-4]] = ET.parse(os.path.join(root, f)).getroot()


def ports(name, seen=()):
    if name in seen or name not in defs:
        return []
    s = defs[name]
    out = [p.get("port") + "/" + p.get("protocol") for p in s.findall("port") if p.get("port")]
    out += ["proto/" + p.get("value") for p in s.findall("protocol")]
    for inc in s.findall("include"):
        out += [x for x in ports(inc.get("service"), seen + (name,)) if x not in out]
    return out


version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "firewalld"], capture_output=True, text=True).stdout.strip()
print("# firewalld's service definitions (" + root + ", Debian package firewalld " + (version or "?")
      + "), read by src/build/firewalld/services.py; a service this table lacks is unknown to the audit")
for name in defs:
    print(name + "\t" + " ".join(ports(name)))
