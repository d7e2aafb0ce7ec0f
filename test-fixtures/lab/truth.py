#!/usr/bin/env python3
"""Ground truth of the lab, read from the namespaces themselves (never from aiscan).

For every lab namespace: listening TCP sockets from `ss -Htln`, the namespace's own addresses
(interface addresses and AnyIP `local` routes), and the ports its INPUT chains drop
(`iptables -S INPUT` / `ip6tables -S INPUT`, rules of the form `-p tcp ... --dport N -j DROP`, or
`-p tcp -j DROP` for every port).

Output, one fact per line:  open ADDR PORT NS | filtered ADDR PORT NS | live ADDR NS | silent ADDR NS
("live": answers on closed ports with a reset; "silent": in the namespace, but every TCP packet to it is
dropped, so each of its ports is filtered)
"""
import ipaddress
import re
import subprocess
import sys

PREFIX = sys.argv[1] if len(sys.argv) > 1 else "aisl"


def ns_run(ns, *cmd):
    return subprocess.run(["ip", "netns", "exec", ns, *cmd], check=True, capture_output=True, text=True).stdout


def namespaces():
    out = subprocess.run(["ip", "netns", "list"], check=True, capture_output=True, text=True).stdout
    names = [line.split()[0] for line in out.splitlines() if line.strip()]
    return sorted(n for n in names if n.startswith(PREFIX + "-"))


def addresses(ns):
    v4, v6 = [], []
    for line in ns_run(ns, "ip", "-o", "addr", "show").splitlines():
        m = re.search(r"\binet6? (\S+)", line)
        if not m or " scope host" in line or " scope link" in line:
            continue
        ip = ipaddress.ip_interface(m.group(1)).ip
        (v6 if ip.version == 6 else v4).append(ip)
    for fam, target in (("-4", v4), ("-6", v6)):
        for line in ns_run(ns, "ip", fam, "route", "show", "table", "local", "type", "local").splitlines():
            parts = line.split()
            if len(parts) < 2 or parts[0] != "local":
                continue
            net = ipaddress.ip_network(parts[1], strict=False)
            if net.is_loopback or net.prefixlen == net.max_prefixlen:
                continue  # loopback and the interface addresses themselves
            if net.num_addresses > 65536:
                raise SystemExit("truth: %s in %s is too large to list; give the lab a smaller AnyIP block" % (net, ns))
            target.extend(net)
    return sorted(set(v4)), sorted(set(v6))


ALL = "all"


def dropped(ns, tool):
    """Ports the INPUT chain drops, or ALL when it drops every TCP packet (-p tcp -j DROP)."""
    ports = set()
    for line in ns_run(ns, tool, "-S", "INPUT").splitlines():
        line = line.strip()
        if line == "-A INPUT -p tcp -j DROP":
            return ALL
        m = re.match(r"-A INPUT (?:-[sd] \S+ )*-p tcp (?:-m tcp )?--dport (\d+) -j DROP$", line)
        if m:
            ports.add(int(m.group(1)))
    return ports


def drops(rule, port):
    return rule == ALL or port in rule


def listeners(ns):
    out = []
    for line in ns_run(ns, "ss", "-Htln").splitlines():
        local = line.split()[3]
        host, _, port = local.rpartition(":")
        out.append((host.strip("[]"), int(port)))
    return out


def main():
    facts = set()
    for ns in namespaces():
        short = ns[len(PREFIX) + 1:]
        v4, v6 = addresses(ns)
        drop4, drop6 = dropped(ns, "iptables"), dropped(ns, "ip6tables")
        for ip in v4 + v6:
            rule = drop6 if ip.version == 6 else drop4
            facts.add(("silent" if rule == ALL else "live", str(ip), "", short))
        for host, port in listeners(ns):
            if host in ("0.0.0.0", "*"):
                targets = v4 + (v6 if host == "*" else [])
            elif host == "::":
                targets = v6
            else:
                ip = ipaddress.ip_address(host.split("%")[0])
                if ip.is_loopback:
                    continue
                targets = [ip]
            for ip in targets:
                rule = drop6 if ip.version == 6 else drop4
                facts.add(("filtered" if drops(rule, port) else "open", str(ip), str(port), short))
        for ips, rule in ((v4, drop4), (v6, drop6)):
            for port in ([] if rule == ALL else rule):
                for ip in ips:
                    facts.add(("filtered", str(ip), str(port), short))
    for kind, ip, port, ns in sorted(facts, key=lambda f: (f[0], ipaddress.ip_address(f[1]).version, ipaddress.ip_address(f[1]), int(f[2] or 0))):
        print(" ".join(x for x in (kind, ip, port, ns) if x))


if __name__ == "__main__":
    main()
