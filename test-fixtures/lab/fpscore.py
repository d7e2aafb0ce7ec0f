#!/usr/bin/env python3
"""Service identification accuracy on the lab, for aiscan and nmap -sV alike.

fpscore.py truth              prints "ADDR PORT ID" for every endpoint whose service the lab knows:
                              fixture replays from hosts.conf (the fixture's expect.id, IPv4 only) and
                              the real Debian services of services.sh (198.18.0.30)
fpscore.py score TRUTH FORMAT RESULT
                              FORMAT: aiscan-jsonl | nmap-xml. Prints "correct total" and, on stderr,
                              each miss. nmap names no AI products, so its answer counts as correct
                              when its service or product text names the expected product.
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

# What nmap would print for each id (service name, product, extra info), lower-cased.
ALIASES = {
    "ssh": r"\bssh\b", "http": r"^http\b|\bnginx\b", "redis": r"\bredis\b", "prometheus": r"prometheus(?! ?node)",
    "node-exporter": r"node[ _-]?exporter", "jupyter": r"jupyter|ipython", "ollama": r"ollama", "vllm": r"vllm",
    "sglang": r"sglang", "sd-webui": r"stable.?diffusion|automatic1111", "comfyui": r"comfyui", "mlflow": r"mlflow",
    "qdrant": r"qdrant", "llama-cpp": r"llama\.?cpp", "open-webui": r"open.?webui", "grafana": r"grafana",
    "elasticsearch": r"elasticsearch", "gradio": r"gradio",
}


def truth():
    out = []
    for line in open(os.path.join(HERE, "hosts.conf")):
        t = line.strip()
        if not t or t.startswith("#"):
            continue
        f = t.split()
        dropped = f[3].split(",") if len(f) > 3 else []
        for spec in f[2].split(","):
            if "=" not in spec or spec.split("=")[0] in dropped:
                continue
            port, fixture = spec.split("=", 1)
            fx = yaml.safe_load(open(os.path.join(HERE, "..", "fingerprints", fixture + ".yaml")))
            out.append("198.18.0.%s %s %s" % (f[1], port, fx["expect"]["id"]))
    svc = subprocess.run([os.path.join(HERE, "services.sh"), "list"], capture_output=True, text=True).stdout
    for line in svc.splitlines():
        port, sid, _auth, _pkg = line.split()
        out.append("198.18.0.30 %s %s" % (port, sid))
    print("\n".join(out))


def answers(fmt, path):
    got = {}
    if fmt == "aiscan-jsonl":
        for line in open(path):
            o = json.loads(line)
            if o.get("type") == "port" and o.get("service"):
                got[(o["ip"], o["port"])] = ("id", o["service"].get("id") or "")
    elif fmt == "nmap-xml":
        for host in ET.parse(path).getroot().iter("host"):
            addr = host.find("address").get("addr")
            for port in host.iter("port"):
                svc = port.find("service")
                text = "" if svc is None else " ".join(svc.get(k, "") for k in ("name", "product", "version", "extrainfo"))
                got[(addr, int(port.get("portid")))] = ("text", text.lower())
    return got


def score(truth_file, fmt, path):
    got = answers(fmt, path)
    correct = total = 0
    for line in open(truth_file):
        addr, port, sid = line.split()
        total += 1
        kind, value = got.get((addr, int(port)), ("none", ""))
        ok = value == sid if kind == "id" else bool(re.search(ALIASES.get(sid, re.escape(sid)), value))
        correct += ok
        if not ok:
            print("miss %s:%s expected %s, got %r" % (addr, port, sid, value), file=sys.stderr)
    print(correct, total)


if __name__ == "__main__":
    if sys.argv[1:2] == ["truth"]:
        truth()
    else:
        score(*sys.argv[2:5])
