package org.aiscan.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiscan.fingerprint.Ruleset;
import org.aiscan.host.HostFacts;
import org.aiscan.host.HostView;
import org.aiscan.host.Iptables;
import org.aiscan.host.Nft;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Observed;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.VantageKind;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.Listener;
import org.aiscan.model.audit.ListenerCheck;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.Reach;
import org.aiscan.model.audit.Vantage;
import org.aiscan.target.AddressRange;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.TargetParser;
import org.jspecify.annotations.Nullable;

/**
 * Puts a scan and host snapshots side by side: matches each snapshot to the scanned addresses it
 * holds, evaluates every scanned (address, port) of the host and every listening socket beyond
 * the scan for the scanner's source address, compares the prediction with what the scan saw, and
 * hands the result to the {@link Diagnoser}.
 */
public final class Correlator {
    /** A snapshot and the file it came from. */
    public record SnapshotInput(Path file, Snapshot snapshot) {
    }

    /** Used when neither the scan nor {@code --scanner-ip} says where probes came from: any outside address. */
    static final Address OUTSIDE_V4 = Address.parse("203.0.113.1");
    static final Address OUTSIDE_V6 = Address.parse("2001:db8::1");

    private final AuditPolicy policy;
    private final Ruleset rules;

    public Correlator(AuditPolicy policy, Ruleset rules) {
        this.policy = policy;
        this.rules = rules;
    }

    public AuditResult run(ScanResult scan, List<SnapshotInput> snapshots, List<Address> scannerOverride) {
        List<String> notes = new ArrayList<>();
        Map<String, Endpoint> observed = new HashMap<>();
        for (Endpoint e : scan.endpoints()) {
            observed.put(key(e.port().address(), e.port().port()), e);
        }
        List<AddressRange> targets = new ArrayList<>();
        TargetParser parser = new TargetParser(host -> List.of(), false);
        for (String t : scan.run().targets()) {
            try {
                targets.addAll(parser.parse(t));
            } catch (RuntimeException e) {
                // a host name: its addresses are known only from the endpoints the scan wrote
            }
        }
        Set<Address> seen = new LinkedHashSet<>();
        scan.endpoints().forEach(e -> seen.add(e.port().address()));
        PortList ports = scan.run().ports().isBlank() ? PortList.of() : PortSpec.parse(scan.run().ports());
        Address src4 = pick(scannerOverride, scan.run().scannerAddresses(), false);
        Address src6 = pick(scannerOverride, scan.run().scannerAddresses(), true);
        if (!scan.complete()) {
            notes.add("the scan did not finish (" + (scan.summary() == null ? "no summary record" : scan.summary().stopReason())
                    + "): ports it did not reach count as not open");
        }
        List<HostAudit> hosts = new ArrayList<>();
        List<Diagnosis> diagnoses = new ArrayList<>();
        Set<Address> matched = new LinkedHashSet<>();
        Set<String> names = new java.util.HashSet<>();
        for (SnapshotInput in : snapshots) {
            HostView view = HostView.of(in.snapshot());
            String name = uniqueName(view, in, names);
            HostAudit h = host(in, name, view, new Netfilter(view, policy.names()), targets, seen, ports, observed, scan.allStates(), src4, src6);
            matched.addAll(h.scanned());
            hosts.add(h);
            diagnoses.addAll(new Diagnoser(policy, rules).diagnose(h));
        }
        List<Address> unmatched = new ArrayList<>();
        for (Address a : seen) {
            List<Endpoint> open = scan.endpoints().stream().filter(e -> e.port().address().equals(a) && e.port().state() == PortState.OPEN)
                    .toList();
            if (!matched.contains(a) && !open.isEmpty()) {
                if (!snapshots.isEmpty()) {
                    unmatched.add(a);
                }
                diagnoses.addAll(new Diagnoser(policy, rules).serviceOnly(a, open));
            }
        }
        diagnoses.sort(WORST_FIRST);
        return new AuditResult(scan.file(), scan.complete(), hosts, diagnoses, unmatched, notes);
    }

    /** The snapshot's host name; two snapshots of hosts with one name are told apart by file. */
    private static String uniqueName(HostView view, SnapshotInput in, Set<String> taken) {
        String name = view.snapshot.hostname();
        if (!taken.add(name)) {
            name = name + " (" + in.file().getFileName() + ")";
            taken.add(name);
        }
        return name;
    }

    private static final Comparator<Diagnosis> WORST_FIRST = Comparator.comparing(Diagnosis::severity)
            .thenComparing(Diagnosis::code)
            .thenComparing(Diagnosis::host)
            .thenComparing(d -> d.ip() == null ? "" : d.ip().toString())
            .thenComparingInt(Diagnosis::port);

    /**
     * Reachability without a scan: every endpoint of each host that has a receiver (a TCP listener
     * that is not loopback-only, a DNAT or Docker-published port) or is in {@code extra}, on each of
     * the host's public addresses, evaluated from every vantage. The host audits and diagnoses are
     * those of the internet (the first vantage) with the diagnoses from each {@code from} vantage
     * added; {@code trusted} vantages only say what they reach.
     */
    public AuditResult predict(List<SnapshotInput> snapshots, List<Vantage> vantages, PortList extra) {
        if (vantages.isEmpty() || vantages.get(0).kind() != VantageKind.INTERNET) {
            throw new IllegalArgumentException("the internet comes first among the vantages");
        }
        Vantage internet = vantages.get(0);
        List<HostAudit> hosts = new ArrayList<>();
        List<Diagnosis> diagnoses = new ArrayList<>();
        Set<String> seenDiagnoses = new java.util.HashSet<>();
        List<Reach> reach = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (SnapshotInput in : snapshots) {
            HostView view = HostView.of(in.snapshot());
            String name = uniqueName(view, in, names);
            Netfilter nf = new Netfilter(view, policy.names());
            List<Address> pub = nf.host().publicAddresses();
            PortList ports = receiverPorts(view, extra);
            Set<Address> seen = new LinkedHashSet<>(pub);
            for (Vantage v : vantages) {
                if (v.kind() != VantageKind.TRUSTED) {
                    Address s4 = v.source(false) != null ? v.source(false) : internet.source(false);
                    Address s6 = v.source(true) != null ? v.source(true) : internet.source(true);
                    HostAudit h = host(in, name, view, nf, List.of(), seen, ports, Map.of(), true, s4, s6);
                    if (v == internet) {
                        hosts.add(h);
                    }
                    for (Diagnosis d : new Diagnoser(policy, rules).diagnose(h)) {
                        if (seenDiagnoses.add(d.code() + "|" + d.host() + "|" + d.ip() + "|" + d.port())) {
                            diagnoses.add(d);
                        }
                    }
                }
                for (Address a : pub) {
                    Address src = v.source(a.isV6());
                    for (int i = 0; src != null && i < ports.size(); i++) {
                        Prediction p = nf.evaluate(src, a, "tcp", ports.get(i));
                        if (p.state() == PortState.OPEN) {
                            reach.add(new Reach(v.label(), name, a, ports.get(i), "tcp", p));
                        }
                    }
                }
            }
        }
        diagnoses.sort(WORST_FIRST);
        return new AuditResult(null, true, hosts, diagnoses, List.of(), List.of(), vantages, reach);
    }

    /**
     * The TCP ports with a receiver in the snapshot: listeners that are not loopback-only, DNAT and
     * REDIRECT rules' destination ports (iptables and nft), Docker's published ports; and {@code extra}.
     * A port range in a rule counts up to its first 1,024 ports.
     */
    static PortList receiverPorts(HostView view, PortList extra) {
        java.util.BitSet set = new java.util.BitSet(65536);
        for (int i = 0; i < extra.size(); i++) {
            set.set(extra.get(i));
        }
        for (Listener l : view.listeners) {
            if (l.proto().equals("tcp") && l.wide()) {
                set.set(l.port());
            }
        }
        for (HostFacts.DockerPort d : view.docker) {
            if (d.proto() == null || d.proto().equals("tcp")) {
                set.set(d.hostPort());
            }
        }
        List<Address> own = view.addresses.stream().map(HostFacts.InterfaceAddress::address).toList();
        for (int fam : new int[] {4, 6}) {
            for (HostView.NamedDump d : view.iptables(fam)) {
                Iptables.Table nat = d.dump().table("nat");
                if (nat == null) {
                    continue;
                }
                Set<String> toDnat = chainsLeadingToDnat(nat);
                for (Iptables.Chain c : nat.chains().values()) {
                    for (Iptables.Rule r : c.rules()) {
                        if (r.target() == null || !toDnat.contains(r.target()) || elsewhere(r, own)) {
                            continue;
                        }
                        for (String name : List.of("--dport", "--dports", "--destination-port")) {
                            for (Iptables.Option o : r.matchesNamed(name)) {
                                if (!o.negated()) {
                                    ports(o.value(), set);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (view.nft != null) {
            for (Nft.Table t : view.nft.tables()) {
                for (Nft.Chain c : t.chains()) {
                    for (Nft.Rule r : c.rules()) {
                        List<String> tok = r.tokens();
                        if (!tok.contains("dnat") && !tok.contains("redirect")) {
                            continue;
                        }
                        for (int i = tok.indexOf("dport") + 1; i > 0 && i < tok.size(); i++) {
                            String x = tok.get(i).replace(",", "");
                            if (x.equals("{") || x.isEmpty()) {
                                continue;
                            }
                            if (!x.matches("\\d+(-\\d+)?")) {
                                break;
                            }
                            ports(x.replace('-', ':'), set);
                        }
                    }
                }
                for (Nft.NamedSet m : t.sets()) {
                    servicePorts(m, own, set); // kube-proxy's nftables mode: the ports are keys of its verdict maps
                }
            }
        }
        set.clear(0);
        return PortList.of(set);
    }

    /** The nat chains that end in a DNAT or REDIRECT, directly or through the chains they jump to (kube-proxy's KUBE-NODEPORTS → KUBE-EXT → KUBE-SVC → KUBE-SEP). */
    static Set<String> chainsLeadingToDnat(Iptables.Table nat) {
        Set<String> out = new java.util.HashSet<>(Set.of("DNAT", "REDIRECT"));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Iptables.Chain c : nat.chains().values()) {
                if (!out.contains(c.name()) && c.rules().stream().anyMatch(r -> r.target() != null && out.contains(r.target()))) {
                    out.add(c.name());
                    grew = true;
                }
            }
        }
        return out;
    }

    /** A rule for a destination that is none of the host's addresses ({@code -d 10.96.0.1/32}, a ClusterIP): no port of the host. */
    private static boolean elsewhere(Iptables.Rule r, List<Address> own) {
        Iptables.Option d = r.match("-d");
        if (d == null || d.negated() || own.isEmpty()) {
            return false;
        }
        return own.stream().allMatch(a -> java.util.Arrays.stream(d.value().split(",")).allMatch(x -> Match.address(x, a) == Tri.FALSE));
    }

    /**
     * The {@code inet_service} parts of a verdict map's keys ({@code tcp . 30000 : goto external-…}); an
     * element whose address part is none of the host's ({@code 10.43.0.10 . tcp . 53}, a ClusterIP) names no
     * port of the host.
     */
    private static void servicePorts(Nft.NamedSet m, List<Address> own, java.util.BitSet set) {
        if (m.type() == null || !m.type().contains("inet_service") || !m.type().contains("verdict")) {
            return;
        }
        String key = m.type().substring(0, m.type().indexOf(':') < 0 ? m.type().length() : m.type().indexOf(':'));
        List<String> types = java.util.Arrays.stream(key.split("\\.")).map(String::trim).toList();
        int at = types.indexOf("inet_service");
        int addr = types.indexOf("ipv4_addr") >= 0 ? types.indexOf("ipv4_addr") : types.indexOf("ipv6_addr");
        for (String el : m.elements()) {
            String[] parts = NftCompiler.keyParts(el);
            if (at < 0 || parts.length != types.size()) {
                continue;
            }
            if (addr >= 0 && !own.isEmpty() && own.stream().allMatch(a -> Match.address(parts[addr].trim(), a) == Tri.FALSE)) {
                continue;
            }
            ports(parts[at].trim().replace('-', ':'), set);
        }
    }

    private static void ports(@Nullable String spec, java.util.BitSet set) {
        if (spec == null) {
            return;
        }
        for (String part : spec.split(",")) {
            String[] ab = part.split(":", 2);
            try {
                int a = Integer.parseInt(ab[0].trim());
                int b = ab.length == 2 ? Integer.parseInt(ab[1].trim()) : a;
                for (int p = a; p <= Math.min(b, Math.min(a + 1023, 65535)); p++) {
                    set.set(p);
                }
            } catch (NumberFormatException e) {
                // a named service or a malformed value: no port to add
            }
        }
    }

    private static @Nullable Address pick(List<Address> override, List<String> recorded, boolean v6) {
        for (Address a : override) {
            if (a.isV6() == v6) {
                return a;
            }
        }
        for (String s : recorded) {
            try {
                Address a = Address.parse(s);
                if (a.isV6() == v6) {
                    return a;
                }
            } catch (IllegalArgumentException e) {
                // not an address: ignore
            }
        }
        return null;
    }

    private static String key(Address a, int port) {
        return a + "|" + port;
    }

    private HostAudit host(SnapshotInput in, String name, HostView view, Netfilter nf, List<AddressRange> targets, Set<Address> seen,
                           PortList ports, Map<String, Endpoint> observed, boolean allStates, Address src4, Address src6) {
        HostModel model = nf.host();
        List<String> notes = new ArrayList<>(view.notes.stream().filter(n -> n.contains("needs root") || n.contains("denied")
                || n.contains(" cut ") || n.contains("cut at")).toList());
        if (!view.problems.isEmpty()) {
            notes.add(view.problems.size() + " unreadable line" + (view.problems.size() == 1 ? "" : "s") + " in the snapshot, first "
                    + view.problems.get(0) + " ('aiscan collect' lists them)");
        }
        List<Address> addresses = new ArrayList<>();
        for (HostFacts.InterfaceAddress ia : view.addresses) {
            if (!ia.iface().equals("lo") && !"link".equals(ia.scope()) && !"host".equals(ia.scope()) && !addresses.contains(ia.address())) {
                addresses.add(ia.address());
            }
        }
        if (addresses.isEmpty()) {
            notes.add("the snapshot has no interface addresses (ip-addr source): nothing to match with the scan");
        }
        List<Address> scanned = new ArrayList<>();
        for (Address a : addresses) {
            if (seen.contains(a) || targets.stream().anyMatch(r -> r.contains(a))) {
                scanned.add(a);
            }
        }
        List<Address> sources = new ArrayList<>();
        for (boolean v6 : new boolean[] {false, true}) {
            if (addresses.stream().noneMatch(a -> a.isV6() == v6)) {
                continue;
            }
            Address s = v6 ? src6 : src4;
            if (s == null) {
                s = v6 ? OUTSIDE_V6 : OUTSIDE_V4;
                if (scanned.stream().anyMatch(a -> a.isV6() == v6)) {
                    notes.add("no scanner address for IPv" + (v6 ? 6 : 4) + " was recorded; evaluated for an outside source " + s
                            + " (pass --scanner-ip)");
                }
            }
            sources.add(s);
        }
        if (scanned.isEmpty()) {
            notes.add("no address of this host was scanned: only its listeners and hardening are audited");
        }
        List<EndpointCheck> endpoints = new ArrayList<>();
        long checked = 0;
        long agreeing = 0;
        for (Address a : scanned) {
            Address src = source(sources, a.isV6());
            for (int i = 0; i < ports.size(); i++) {
                int port = ports.get(i);
                Endpoint e = observed.get(key(a, port));
                Observed obs = e != null ? Observed.of(e.port().state()) : allStates ? Observed.UNKNOWN : Observed.NOT_OPEN;
                Prediction p = nf.evaluate(src, a, "tcp", port);
                boolean agrees = agrees(obs, p.state());
                checked++;
                if (agrees) {
                    agreeing++;
                }
                boolean listened = view.listeners.stream().anyMatch(l -> l.proto().equals("tcp") && l.port() == port && l.covers(a, null));
                if (!agrees || obs == Observed.OPEN || p.state() == PortState.OPEN || listened || !p.uncertain().isEmpty()) {
                    endpoints.add(new EndpointCheck(a, port, "tcp", obs, p, agrees, agrees ? null : explain(obs, p),
                            e == null ? null : e.service()));
                }
            }
        }
        List<ListenerCheck> listeners = new ArrayList<>();
        for (Listener l : view.listeners) {
            if (!l.wide()) {
                continue;
            }
            for (Address a : model.publicAddresses()) {
                if (!l.covers(a, null) || l.proto().equals("tcp") && scanned.contains(a) && ports.contains(l.port())) {
                    continue;
                }
                Address src = source(sources, a.isV6());
                if (src == null) {
                    continue;
                }
                listeners.add(new ListenerCheck(l, a, nf.evaluate(src, a, l.proto(), l.port())));
            }
        }
        return new HostAudit(name, in.file(), view, Summaries.of(view, endpoints, policy), addresses, scanned, sources, endpoints, listeners, checked,
                agreeing, notes);
    }

    private static @Nullable Address source(List<Address> sources, boolean v6) {
        for (Address s : sources) {
            if (s.isV6() == v6) {
                return s;
            }
        }
        return null;
    }

    static boolean agrees(Observed observed, PortState predicted) {
        return switch (observed) {
            case OPEN -> predicted == PortState.OPEN;
            case NOT_OPEN -> predicted != PortState.OPEN;
            case UNKNOWN -> true;
            case CLOSED -> predicted == PortState.CLOSED;
            case FILTERED -> predicted == PortState.FILTERED;
        };
    }

    static String explain(Observed observed, Prediction p) {
        if (observed == Observed.OPEN && p.state() == PortState.CLOSED) {
            return "open, but no receiver in the snapshot: the listener is in another namespace or container, the snapshot is older "
                    + "than the scan, or another host answers for this address (an upstream forward)";
        }
        if (observed == Observed.OPEN) {
            return "open, though the snapshot's rules " + p.outcome() + " it: the snapshot is incomplete or older than the scan "
                    + "(another firewall front-end, rules changed since collect), or the port is forwarded before this host";
        }
        if (p.state() == PortState.OPEN) {
            return "the snapshot says open, but the scan got " + observed + ": something between the scanner and the host filters it "
                    + "(a cloud security group, an upstream firewall), a rate limit dropped the probe, or the service stopped";
        }
        return "the scan saw " + observed + " where the snapshot predicts " + p.state().label() + ": a REJECT/DROP difference ("
                + (p.decidedBy() == null ? "no rule" : p.decidedBy().source() + ":" + p.decidedBy().line()) + ") or a rate limit";
    }
}
