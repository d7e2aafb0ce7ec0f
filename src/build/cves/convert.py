#!/usr/bin/env python3
"""Builds rulesets/cves/<service>.json (OSV records) from the ranges aiscan carried in its fingerprint
rules and from a peer's list, checking each against an advisory database where one covers it.

Usage: convert.py RULES_DIR PEER_TSV [PYPA_VULNS_DIR]
  (run on the rulesets of commit 99f8c06, the last whose fingerprint rules held `cves:` lists; the
  output, RULES_DIR/cves/, is what rulesets/cves/ was made from)
  RULES_DIR      rulesets/ (its fingerprints/*.yaml still holding `cves:` lists, the first time)
  PEER_TSV       research/peers/aig_cves_missing_from_aiscan.tsv: product, id, severity, the peer's
                 version rule, the peer's file (Tencent AI-Infra-Guard data/vuln_en)
  PYPA_VULNS_DIR vulns/ of github.com/pypa/advisory-database (OSV YAML): where a record there names
                 the same CVE for the same PyPI package, its ranges are used and the record is marked
                 checked against it

Every record says where its range comes from (database_specific.aiscan.source) and whether and
against what it was checked (database_specific.aiscan.checked). Peer entries that cannot be right are
left out and listed, with the reason, in rulesets/cves/CORRECTIONS.md.
"""
import json
import os
import re
import sys

import yaml

MODIFIED = "2026-12-05T00:00:00Z"

# The package each service is published as (OSV ecosystem, name); None when it is not a package
# (a GitHub project built from source or shipped as a container).
PACKAGES = {
    "ollama": ("Go", "github.com/ollama/ollama"), "vllm": ("PyPI", "vllm"), "sglang": ("PyPI", "sglang"),
    "open-webui": ("PyPI", "open-webui"), "langflow": ("PyPI", "langflow"), "flowise": ("npm", "flowise"),
    "mlflow": ("PyPI", "mlflow"), "n8n": ("npm", "n8n"), "gradio": ("PyPI", "gradio"), "litellm": ("PyPI", "litellm"),
    "ray": ("PyPI", "ray"), "xinference": ("PyPI", "xinference"), "localai": ("Go", "github.com/mudler/LocalAI"),
    "jupyter": ("PyPI", "jupyter-server"), "streamlit": ("PyPI", "streamlit"), "chroma": ("PyPI", "chromadb"),
    "qdrant": ("crates.io", "qdrant"), "tensorboard": ("PyPI", "tensorboard"), "torchserve": ("PyPI", "torchserve"),
    "tgi": None, "triton": None, "dify": None, "librechat": None, "anythingllm": None, "comfyui": None, "kubeflow": None,
    "llama-cpp": None, "lm-studio": None, "sd-webui": None, "invokeai": ("PyPI", "invokeai"), "grafana": ("Go", "github.com/grafana/grafana"),
    "prometheus": ("Go", "github.com/prometheus/prometheus"), "node-exporter": None, "dcgm-exporter": None, "weaviate": None,
    "milvus": ("Go", "github.com/milvus-io/milvus"), "elasticsearch": None, "redis": None,
}
# The peer keeps Jupyter's packages apart (data/vuln_en/<dir>/); aiscan reads the version /api reports:
# Jupyter Server's (2.x) or, on a classic Notebook 6 and earlier, the notebook package's.
JUPYTER = {"jupyter-server": ("PyPI", "jupyter-server"), "jupyter-notebook": ("PyPI", "notebook")}

# Major versions each product has actually released (the peer's ranges outside them name another product).
MAJORS = {
    "ollama": (0, 0), "vllm": (0, 0), "sglang": (0, 0), "open-webui": (0, 0), "langflow": (0, 1), "flowise": (1, 3),
    "mlflow": (0, 3), "n8n": (0, 2), "gradio": (1, 6), "litellm": (0, 1), "ray": (0, 2), "xinference": (0, 1),
    "localai": (0, 3), "jupyter": (0, 7), "dify": (0, 1), "librechat": (0, 0), "anythingllm": (0, 1), "comfyui": (0, 0),
    "kubeflow": (0, 1), "lm-studio": (0, 0), "triton": (2, 26),
}

# Entries of the peer's list known to be wrong (research/peers/README.md), checked by hand.
KNOWN_WRONG = {
    ("vllm", "CVE-2025-65015"): "a joserfc advisory, not vLLM",
    ("anythingllm", "CVE-2024-5211"): "the peer's range (< 0) holds no version",
    ("open-webui", "CVE-2024-30256"): "the peer's range (< 1.2.3) holds every Open WebUI release; the advisory's range is not known here",
    ("comfyui", "CVE-2025-67303"): "the range is in ComfyUI-Manager's versions, not ComfyUI's",
    ("comfyui", "CVE-2026-22777"): "the range is in ComfyUI-Manager's versions, not ComfyUI's",
    ("jupyter", "CVE-2024-28179"): "an advisory of jupyter-server-proxy, not Jupyter Server",
    ("jupyter", "CVE-2026-44180"): "an advisory of another package of the Jupyter project, not Jupyter Server",
    # checked against the PyPA advisory database (a July 2026 fork, westonsteimel/advisory-database-pypa@57da901a)
    # and the GitHub advisory database, 2026-12-06: other packages' advisories, and CVEs their issuer rejected
    ("jupyter", "CVE-2022-21697"): "an advisory of jupyter-server-proxy (< 3.2.1), not Jupyter Server (PyPA PYSEC record of jupyter-server-proxy)",
    ("jupyter", "CVE-2024-22415"): "an advisory of jupyter-lsp (< 2.2.2), not Jupyter Server",
    ("jupyter", "CVE-2024-22421"): "an advisory of jupyterlab (< 3.6.7, 4.0.0 to < 4.0.11) and notebook 7.0.x, not Jupyter Server",
    ("jupyter", "CVE-2024-28188"): "an advisory of jupyter-scheduler, not Jupyter Server",
    ("jupyter", "CVE-2025-30167"): "an advisory of jupyter-core (< 5.8.1), not Jupyter Server",
    ("jupyter", "CVE-2025-53000"): "an advisory of nbconvert (< 7.17.0), not the notebook server",
    ("jupyter", "CVE-2026-59831"): "an advisory of the GitHub CLI (gh codespace jupyter, GHSA-8cg3-r6g9-fpg2), not Jupyter",
    ("open-webui", "CVE-2024-47874"): "an advisory of Starlette (< 0.40.0), not Open WebUI",
    ("open-webui", "CVE-2024-53981"): "an advisory of python-multipart (< 0.0.18), not Open WebUI",
    ("open-webui", "CVE-2024-7033"): "withdrawn: the CVE was rejected by its issuer (2026-07-22)",
    ("open-webui", "CVE-2024-7034"): "withdrawn: the CVE was rejected by its issuer (2026-07-22)",
    ("open-webui", "CVE-2024-7038"): "withdrawn: the CVE was rejected by its issuer (2026-07-22)",
    ("open-webui", "CVE-2024-7039"): "withdrawn: the CVE was rejected by its issuer (2026-07-22)",
    ("open-webui", "CVE-2024-7959"): "withdrawn: the CVE was rejected by its issuer (2026-07-22)",
    ("jupyter", "CVE-2024-35225"): "an advisory of jupyter-server-proxy (PYSEC-2024-236: >= 3.0.0, < 3.2.4 and >= 4.1.2, < 4.2.0), not JupyterLab nor Jupyter Server",
    ("vllm", "CVE-2025-32381"): "an advisory of xgrammar (< 0.1.18); vLLM's own advisory of the bug (GHSA-hf3c-wxg2-49q9) is kept",
}

TOKEN = re.compile(r'\s*(\(|\)|&&|\|\||version\s*(?:<=|>=|==|=|<|>)\s*"[^"]*")')


def parse_peer(expr):
    """The peer's rule as a list of alternatives, each a list of (op, value)."""
    toks = []
    pos = 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError("cannot read %r at %d" % (expr, pos))
        toks.append(m.group(1))
        pos = m.end()

    def atom(t):
        m = re.match(r'version\s*(<=|>=|==|=|<|>)\s*"([^"]*)"', t)
        return [[(m.group(1).replace("==", "="), m.group(2))]]

    def parse_or(i):
        left, i = parse_and(i)
        while i < len(toks) and toks[i] == "||":
            right, i = parse_and(i + 1)
            left = left + right
        return left, i

    def parse_and(i):
        left, i = parse_factor(i)
        while i < len(toks) and toks[i] == "&&":
            right, i = parse_factor(i + 1)
            left = [a + b for a in left for b in right]
        return left, i

    def parse_factor(i):
        if toks[i] == "(":
            inner, i = parse_or(i + 1)
            if toks[i] != ")":
                raise ValueError("unbalanced " + expr)
            return inner, i + 1
        return atom(toks[i]), i + 1

    dnf, i = parse_or(0)
    if i != len(toks):
        raise ValueError("trailing tokens in " + expr)
    return dnf


def parse_aiscan(text):
    """aiscan's former range syntax: comparisons joined by ',' (and) and '||' (or)."""
    out = []
    for alt in text.split("||"):
        conj = []
        for c in alt.split(","):
            m = re.match(r"\s*(<=|>=|==|=|<|>)\s*(\S+)\s*$", c)
            if not m:
                raise ValueError("cannot read %r" % text)
            conj.append((m.group(1).replace("==", "="), m.group(2)))
        out.append(conj)
    return out


def events(dnf, notes):
    """OSV ranges (one ECOSYSTEM range of events per alternative) and single versions."""
    ranges, versions = [], []
    for conj in dnf:
        lo, hi, eq = None, None, None
        for op, v in conj:
            if op == "=":
                eq = v
            elif op in (">=", ">"):
                if op == ">" and v not in ("0", "0.0.0"):
                    notes.append("'> %s' read as '>= %s' (OSV has no exclusive lower bound; only %s itself differs)" % (v, v, v))
                lo = "0" if v in ("0.0.0",) else v
            elif op in ("<", "<="):
                hi = (op, v)
        if eq is not None and lo is None and hi is None:
            versions.append(eq)
            continue
        ev = [{"introduced": lo or "0"}]
        if hi is not None:
            ev.append({"fixed": hi[1]} if hi[0] == "<" else {"last_affected": hi[1]})
        ranges.append({"type": "ECOSYSTEM", "events": ev})
    return ranges, versions


def major(v):
    m = re.match(r"v?(\d+)", v)
    return int(m.group(1)) if m else None


def implausible(service, ranges, versions):
    lo_hi = MAJORS.get(service)
    if not lo_hi:
        return None
    vals = list(versions)
    for r in ranges:
        for e in r["events"]:
            vals.extend(x for x in e.values() if x not in ("0",))
    for v in vals:
        if service == "triton" and re.match(r"^\d{2}\.\d{2}", v):
            continue  # a container release (VersionScheme.TRITON)
        if re.match(r"^[0-9a-f]{7,40}$", v) and not v.isdigit():
            return "bound %s is a commit, not a release: a reported version cannot be compared with it" % v
        mj = major(v)
        if mj is None:
            return "bound %r is not a version" % v
        if mj < lo_hi[0] or mj > lo_hi[1]:
            return "version %s lies outside the releases of %s (major %d to %d): the rule names another product" % (
                v, service, lo_hi[0], lo_hi[1])
    return None


def empty_range(ranges, versions):
    """A range that holds no version: fixed at or below its own introduction, or < 0."""
    for r in ranges:
        ev = r["events"]
        hi = ev[1].get("fixed") if len(ev) > 1 else None
        if hi in ("0", "0.0.0"):
            return True
    return not ranges and not versions


def load_pypa(path):
    index = {}
    if not path:
        return index
    for root, _, files in os.walk(path):
        for f in files:
            if not f.endswith(".yaml"):
                continue
            rec = yaml.safe_load(open(os.path.join(root, f)))
            names = [rec["id"]] + list(rec.get("aliases") or [])
            for aff in rec.get("affected") or []:
                pkg = aff.get("package") or {}
                if pkg.get("ecosystem") != "PyPI":
                    continue
                key = re.sub(r"[-_.]+", "-", pkg.get("name", "").lower())
                for n in names:
                    index[(key, n)] = (rec["id"], [r for r in aff.get("ranges") or [] if r.get("type") == "ECOSYSTEM"])
    return index


def main():
    rules_dir, peer_tsv = sys.argv[1], sys.argv[2]
    pypa = load_pypa(sys.argv[3] if len(sys.argv) > 3 else None)
    records = {}
    corrections = []
    checked_count = 0

    def add(service, cid, severity, title, dnf, source, package, extra_notes=()):
        nonlocal checked_count
        if (service, cid) in KNOWN_WRONG:  # aiscan's own research is not exempt
            corrections.append((service, cid, source, "left out: " + KNOWN_WRONG[(service, cid)]))
            return
        notes = list(extra_notes)
        ranges, versions = events(dnf, notes)
        bad = implausible(service, ranges, versions)
        if bad:
            corrections.append((service, cid, source, "left out: " + bad))
            return
        if empty_range(ranges, versions):
            corrections.append((service, cid, source, "left out: the range holds no version"))
            return
        if any(len(r["events"]) == 1 and r["events"][0]["introduced"] == "0" for r in ranges):
            corrections.append((service, cid, source, "left out: the range holds every version (no fix, no first affected release): "
                                "a version cannot tell it"))
            return
        checked = False
        if package and package[0] == "PyPI":
            hit = pypa.get((re.sub(r"[-_.]+", "-", package[1].lower()), cid))
            if hit and hit[1]:
                theirs = [{"type": "ECOSYSTEM", "events": r["events"]} for r in hit[1]]
                if theirs != ranges or versions:
                    corrections.append((service, cid, source, "range replaced by %s's: %s (was %s)" % (
                        hit[0], json.dumps(theirs), json.dumps(ranges))))
                    notes.append("range from %s; the source had %s" % (hit[0], json.dumps(ranges)))
                    ranges, versions = theirs, []
                checked = hit[0]
                checked_count += 1
        key = (service, cid)
        aff = {"ranges": ranges}
        if package:
            aff = {"package": {"ecosystem": package[0], "name": package[1]}, **aff}
        if versions:
            aff["versions"] = versions
        rec = {"schema_version": "1.6.0", "id": cid, "modified": MODIFIED}
        if title:
            rec["summary"] = title
        rec["affected"] = [aff]
        mine = {"service": service, "source": source, "checked": checked}
        if notes:
            mine["notes"] = notes
        rec["database_specific"] = {"severity": severity.upper(), "aiscan": mine}
        if key in records:
            # the same advisory twice: keep the first (aiscan's own research comes first), note the other
            corrections.append((service, cid, source, "duplicate of an entry already taken (%s)" % records[key]["database_specific"]["aiscan"]["source"]))
            return
        records[key] = rec

    # 1. aiscan's own ranges (research/fingerprints.md §10), which the fingerprint rules held until now
    for f in sorted(os.listdir(os.path.join(rules_dir, "fingerprints"))):
        if not f.endswith(".yaml"):
            continue
        rule = yaml.safe_load(open(os.path.join(rules_dir, "fingerprints", f)))
        for c in rule.get("cves") or []:
            add(rule["id"], c["id"], c["severity"], c.get("title"), parse_aiscan(c["affected"]),
                "aiscan research (research/fingerprints.md; rulesets/fingerprints/%s until 2026-12): %s" % (f, c["affected"]),
                PACKAGES.get(rule["id"]))

    # 2. the peer's list
    for line in open(peer_tsv, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 5 or f[0] == "aiscan_product":
            continue
        service, cid, sev, rule, pfile = f
        source = "peer: Tencent AI-Infra-Guard %s, rule %s" % (pfile, rule or "(none)")
        if not re.match(r"^(CVE-\d{4}-\d{4,}|GHSA(-[a-z0-9]{4}){3})$", cid):
            corrections.append((service, cid, source, "left out: not an advisory id (a deployment note or a supply-chain notice)"))
            continue
        if (service, cid) in KNOWN_WRONG:
            corrections.append((service, cid, source, "left out: " + KNOWN_WRONG[(service, cid)]))
            continue
        if service == "kubeflow" and cid.startswith("CVE-2026-3122"):
            corrections.append((service, cid, source, "left out: an advisory of another Kubeflow component, not the dashboard"))
            continue
        if not rule.strip() or rule.startswith("is_internal"):
            corrections.append((service, cid, source, "left out: the peer gives no version range"))
            continue
        package = PACKAGES.get(service)
        if service == "jupyter":
            comp = pfile.split("/")[2] if pfile.count("/") >= 2 else ""
            if comp not in JUPYTER:
                corrections.append((service, cid, source, "left out: a range in %s's versions, which /api does not report" % comp))
                continue
            package = JUPYTER[comp]
        sev = sev.lower()
        if sev not in ("critical", "high", "medium", "low"):
            corrections.append((service, cid, source, "left out: no severity"))
            continue
        try:
            dnf = parse_peer(rule)
        except ValueError as e:
            corrections.append((service, cid, source, "left out: unreadable rule (%s)" % e))
            continue
        extra = []
        if service == "triton" and re.search(r'"\d{2}\.\d{2}', rule):
            extra.append("bounds are Triton container releases (YY.MM), read as the server version each ships (VersionScheme.TRITON)")
        add(service, cid, sev, None, dnf, source, package, extra)

    out_dir = os.path.join(rules_dir, "cves")
    os.makedirs(out_dir, exist_ok=True)
    by_service = {}
    for (service, cid), rec in records.items():
        by_service.setdefault(service, []).append(rec)
    for service, recs in sorted(by_service.items()):
        recs.sort(key=lambda r: r["id"])
        with open(os.path.join(out_dir, service + ".json"), "w", encoding="utf-8") as fh:
            json.dump(recs, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
    with open(os.path.join(out_dir, "CORRECTIONS.md"), "w", encoding="utf-8") as fh:
        fh.write("# Entries of the sources not taken as given\n\n")
        fh.write("Written by src/build/cves/convert.py. Each line: service, id, where the entry came from, and what was done.\n\n")
        fh.write("| service | id | source | what was done |\n|---|---|---|---|\n")
        for service, cid, source, what in sorted(corrections):
            fh.write("| %s | %s | %s | %s |\n" % (service, cid, source.replace("|", "\\|"), what.replace("|", "\\|")))
    total = sum(len(v) for v in by_service.values())
    print("%d records for %d services; %d checked against the PyPA database; %d corrections" % (
        total, len(by_service), checked_count, len(corrections)))


if __name__ == "__main__":
    main()
