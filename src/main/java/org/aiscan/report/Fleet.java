package org.aiscan.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Fix;
import org.aiscan.model.PortState;
import org.aiscan.model.Risk;
import org.aiscan.model.Severity;
import org.aiscan.model.VantageKind;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.Reach;
import org.jspecify.annotations.Nullable;

/**
 * A report as the people who fix things read it: hosts worst first, and in each host its open
 * endpoints worst first with their diagnoses under them and each fix once; and the fixes of the
 * whole fleet as actions, each naming what it closes, ordered by severity and by how much it closes.
 * Addresses no snapshot holds are a host of their own each ("no snapshot").
 */
public record Fleet(List<Host> hosts, List<Action> actions, boolean predicted, @Nullable Exposure exposure) {
    public Fleet {
        hosts = List.copyOf(hosts);
        actions = List.copyOf(actions);
    }

    /**
     * How far the endpoints are exposed. In a prediction, each endpoint predicted reachable counts
     * once: reached from the internet, or only from the trusted and {@code --from} networks. In the
     * audit of a scan with snapshots ({@code scanned}), each open endpoint counts once by what the
     * snapshots predict for a source on the internet over the scan's open ports: reached, not
     * reached (only networks the rules allow, such as the scanner's, get there), or not known — its
     * address is in no snapshot, the prediction is uncertain because a rule or source was not read,
     * or the snapshot does not explain what the scan saw there (the prediction for the scanner's own
     * address disagrees with the scan). Null for a scan without snapshots: nothing says how the
     * internet would fare.
     */
    public record Exposure(long internet, long otherOnly, long unknown, boolean scanned) {
        /** How the internet fares with one endpoint the scan found open. */
        enum Reached {
            INTERNET, NEARER_ONLY, UNKNOWN
        }

        /** The report's: a prediction's distinct endpoints (host, address, port) per vantage kind from the audit's reach list, or {@link #scanned}. */
        static @Nullable Exposure of(Report r) {
            AuditResult a = r.audit();
            if (!a.predicted()) {
                return r.internetView() == null ? null : scanned(r, r.internetView());
            }
            Map<String, VantageKind> kinds = new LinkedHashMap<>();
            a.vantages().forEach(v -> kinds.put(v.label(), v.kind()));
            Map<String, Set<VantageKind>> byEndpoint = new LinkedHashMap<>();
            for (Reach x : a.reach()) {
                Set<VantageKind> from = byEndpoint.computeIfAbsent(x.host() + " " + key(x.ip(), x.port(), x.proto()), k -> new LinkedHashSet<>());
                if (kinds.containsKey(x.vantage())) {
                    from.add(kinds.get(x.vantage()));
                }
            }
            long internet = byEndpoint.values().stream().filter(k -> k.contains(VantageKind.INTERNET)).count();
            return new Exposure(internet, byEndpoint.size() - internet, 0, false);
        }

        /**
         * A scan's: each open endpoint by the prediction for a source on the internet. Every port
         * open in the scan was evaluated on each public address of each snapshot; an endpoint
         * evaluated but not kept is one the prediction neither opens nor is unsure of.
         */
        private static Exposure scanned(Report r, AuditResult internetView) {
            Map<String, Reached> kinds = reached(r, internetView);
            return new Exposure(count(kinds, Reached.INTERNET), count(kinds, Reached.NEARER_ONLY), count(kinds, Reached.UNKNOWN), true);
        }

        private static long count(Map<String, Reached> kinds, Reached k) {
            return kinds.values().stream().filter(x -> x == k).count();
        }

        /** Each open endpoint of the scan ({@code 198.51.100.7:8000}) and how the internet fares with it. */
        static Map<String, Reached> reached(Report r, AuditResult internetView) {
            Map<String, Prediction> predicted = new LinkedHashMap<>();
            Set<Address> evaluated = new java.util.HashSet<>();
            for (HostAudit h : internetView.hosts()) {
                evaluated.addAll(h.scanned());
                h.endpoints().forEach(c -> predicted.put(key(c.ip(), c.port(), c.proto()), c.prediction()));
            }
            Set<String> unexplained = new java.util.HashSet<>();
            r.audit().hosts().forEach(h -> h.endpoints().stream().filter(c -> !c.agrees()).forEach(c -> unexplained.add(key(c.ip(), c.port(), c.proto()))));
            Map<String, Reached> out = new LinkedHashMap<>();
            for (Endpoint e : r.openEndpoints()) {
                String k = key(e.port().address(), e.port().port(), "tcp");
                Prediction p = predicted.get(k);
                out.putIfAbsent(k, !evaluated.contains(e.port().address()) || p != null && p.isUncertain() || unexplained.contains(k) ? Reached.UNKNOWN
                        : p != null && p.state() == PortState.OPEN ? Reached.INTERNET : Reached.NEARER_ONLY);
            }
            return out;
        }

        /** A scan's, as a sentence after the count of open endpoints. */
        public String scannedSentence() {
            return "By the hosts' rules, " + internet + " of them " + (internet == 1 ? "is" : "are") + " reachable from the internet, "
                    + otherOnly + " only from the networks the rules allow, such as the scanner's" + (unknown == 0 ? "" : ", and for " + unknown
                    + " it is not known (the address is in no snapshot, a rule on the way was not read, or the snapshot does not explain what the"
                    + " scan saw)") + ".";
        }
    }

    /**
     * One host: a snapshot's, or an address without one.
     *
     * @param audit its audit, or null for an address no snapshot holds
     * @param frontEnd the firewall front-end that owns its rules ({@link org.aiscan.model.audit.CollectedHost#frontEnd()}), or "no snapshot"
     * @param worst its most severe diagnosis, or null
     * @param hostWide diagnoses about the host rather than one endpoint
     */
    public record Host(@Nullable String name, List<Address> addresses, HostAudit audit, String frontEnd, List<Group> endpoints,
                       List<Diagnosis> hostWide, @Nullable Diagnosis worst) {
        public Host {
            addresses = List.copyOf(addresses);
            endpoints = List.copyOf(endpoints);
            hostWide = List.copyOf(hostWide);
        }

        /** How many diagnoses of this severity it has. */
        public long count(Severity severity) {
            return all().stream().filter(d -> d.severity() == severity).count();
        }

        public List<Diagnosis> all() {
            List<Diagnosis> out = new ArrayList<>(hostWide);
            endpoints.forEach(g -> out.addAll(g.diagnoses()));
            return out;
        }

        /** Open endpoints: those the scan saw open, or, in a prediction, those predicted reachable. */
        public long open() {
            return endpoints.stream().filter(g -> g.scanned() != null || g.predictedOpen()).count();
        }
    }

    /**
     * One endpoint of a host: what the scan saw there (null when only the audit speaks of it), what
     * the audit predicted (null without a snapshot), its diagnoses worst first, and their fixes, each once.
     */
    public record Group(String endpoint, @Nullable Endpoint scanned, @Nullable EndpointCheck check, List<Diagnosis> diagnoses, List<Fix> fixes,
                        boolean predictedOpen) {
        public Group {
            diagnoses = List.copyOf(diagnoses);
            fixes = List.copyOf(fixes);
        }

        @Nullable String severity() {
            String worst = diagnoses.isEmpty() ? null : diagnoses.get(0).severity().label();
            String risk = scanned == null || scanned.service() == null || scanned.service().risk() == null ? null
                    : scanned.service().risk().severity();
            return Risk.rank(risk) < Risk.rank(worst) ? risk : worst;
        }
    }

    /**
     * A fix as an action: the diagnoses it closes (worst first), the most severe of them, and the
     * scan that shows whether it worked. Fixes that close exactly the same diagnoses (the same change
     * written for another front-end: compose, iptables, ufw) are one action with alternatives.
     */
    public record Action(Fix fix, List<Fix> alternatives, List<Diagnosis> closes, Severity severity, List<String> hosts, String verify) {
        public Action {
            alternatives = List.copyOf(alternatives);
            closes = List.copyOf(closes);
            hosts = List.copyOf(hosts);
        }
    }

    private static final Comparator<Diagnosis> WORST_FIRST = Comparator.comparing(Diagnosis::severity)
            .thenComparing(d -> d.code().name()).thenComparing(d -> d.ip() == null ? "" : d.ip().toString()).thenComparingInt(Diagnosis::port);

    public static Fleet of(Report r) {
        Map<String, List<Diagnosis>> byUnit = new LinkedHashMap<>();
        Map<String, List<Endpoint>> openByUnit = new LinkedHashMap<>();
        Map<String, HostAudit> audits = new LinkedHashMap<>();
        Map<Address, String> owner = new LinkedHashMap<>();
        for (HostAudit h : r.audit().hosts()) {
            audits.put(h.hostname(), h);
            h.addresses().forEach(a -> owner.putIfAbsent(a, h.hostname()));
        }
        for (Endpoint e : r.openEndpoints()) {
            Address a = e.port().address();
            openByUnit.computeIfAbsent(owner.getOrDefault(a, a.toString()), k -> new ArrayList<>()).add(e);
        }
        for (Diagnosis d : r.audit().diagnoses()) {
            String unit = d.host() != null && audits.containsKey(d.host()) ? d.host() : d.ip() != null ? owner.getOrDefault(d.ip(), d.ip().toString())
                    : d.host() != null ? d.host() : "unattributed";
            byUnit.computeIfAbsent(unit, k -> new ArrayList<>()).add(d);
        }
        Set<String> units = new LinkedHashSet<>(audits.keySet());
        units.addAll(openByUnit.keySet());
        units.addAll(byUnit.keySet());
        List<Host> hosts = new ArrayList<>();
        for (String u : units) {
            hosts.add(host(r, u, audits.get(u), openByUnit.getOrDefault(u, List.of()), byUnit.getOrDefault(u, List.of())));
        }
        boolean predicted = r.audit().predicted();
        hosts.sort(Comparator.comparingInt((Host h) -> h.worst() == null ? Severity.ALL.size() : h.worst().severity().rank())
                .thenComparing(Comparator.comparingLong((Host h) -> h.count(Severity.CRITICAL)).reversed())
                .thenComparing(Comparator.comparingLong((Host h) -> h.count(Severity.HIGH)).reversed())
                .thenComparing(Comparator.comparingLong((Host h) -> h.count(Severity.MEDIUM)).reversed())
                .thenComparing(Comparator.comparingLong(Host::open).reversed())
                .thenComparing(Host::name));
        return new Fleet(hosts, actions(r), predicted, Exposure.of(r));
    }

    private static Host host(Report r, String name, @Nullable HostAudit audit, List<Endpoint> open, List<Diagnosis> diagnoses) {
        Map<String, Endpoint> scanned = new LinkedHashMap<>();
        open.forEach(e -> scanned.put(key(e.port().address(), e.port().port(), "tcp"), e));
        Map<String, List<Diagnosis>> byEndpoint = new LinkedHashMap<>();
        List<Diagnosis> hostWide = new ArrayList<>();
        for (Diagnosis d : diagnoses) {
            if (d.ip() == null || d.port() == 0) {
                hostWide.add(d);
            } else {
                byEndpoint.computeIfAbsent(key(d.ip(), d.port(), d.proto()), k -> new ArrayList<>()).add(d);
            }
        }
        Map<String, EndpointCheck> checks = new LinkedHashMap<>();
        if (audit != null) {
            audit.endpoints().forEach(c -> checks.put(key(c.ip(), c.port(), c.proto()), c));
        }
        Set<String> keys = new LinkedHashSet<>(scanned.keySet());
        boolean predicted = r.audit().predicted();
        if (predicted) { // no scan: the endpoints predicted reachable stand for the open ones
            checks.forEach((k, c) -> {
                if (c.prediction().state() == PortState.OPEN) {
                    keys.add(k);
                }
            });
        }
        keys.addAll(byEndpoint.keySet());
        List<Group> groups = new ArrayList<>();
        for (String k : keys) {
            List<Diagnosis> ds = new ArrayList<>(byEndpoint.getOrDefault(k, List.of()));
            ds.sort(WORST_FIRST);
            EndpointCheck c = checks.get(k);
            groups.add(new Group(k, scanned.get(k), c, ds, fixes(r, ds), predicted && c != null && c.prediction().state() == PortState.OPEN));
        }
        groups.sort(Comparator.comparingInt((Group g) -> Risk.rank(g.severity())).thenComparing(Group::endpoint));
        hostWide.sort(WORST_FIRST);
        List<Diagnosis> all = new ArrayList<>(diagnoses);
        all.sort(WORST_FIRST);
        List<Address> addresses = audit != null ? audit.addresses() : addressesOf(open, diagnoses);
        return new Host(name, addresses, audit, frontEnd(audit), groups,
                hostWide,
                all.isEmpty() ? null : all.get(0));
    }

    private static List<Address> addressesOf(List<Endpoint> open, List<Diagnosis> diagnoses) {
        Set<Address> out = new LinkedHashSet<>();
        open.forEach(e -> out.add(e.port().address()));
        diagnoses.stream().filter(d -> d.ip() != null).forEach(d -> out.add(d.ip()));
        return new ArrayList<>(out);
    }

    /** The fixes of these diagnoses, each once, in the order they come. */
    private static List<Fix> fixes(Report r, List<Diagnosis> ds) {
        Set<Fix> out = new LinkedHashSet<>();
        ds.forEach(d -> out.addAll(r.fixesFor(d)));
        return new ArrayList<>(out);
    }

    /** Every fix of the report once, with what it closes, worst first and then by how much it closes. */
    private static List<Action> actions(Report r) {
        Map<Fix, List<Diagnosis>> closes = new LinkedHashMap<>();
        for (Diagnosis d : r.audit().diagnoses()) {
            for (Fix f : r.fixesFor(d)) {
                closes.computeIfAbsent(f, k -> new ArrayList<>()).add(d);
            }
        }
        Map<List<Diagnosis>, List<Fix>> bySet = new LinkedHashMap<>();
        closes.forEach((f, ds) -> {
            ds.sort(WORST_FIRST);
            bySet.computeIfAbsent(ds, k -> new ArrayList<>()).add(f);
        });
        List<Action> out = new ArrayList<>();
        bySet.forEach((ds, fs) -> {
            List<String> hosts = ds.stream().map(d -> d.host() == null ? (d.ip() == null ? "" : d.ip().toString()) : d.host()).distinct()
                    .filter(s -> !s.isEmpty()).toList();
            out.add(new Action(fs.get(0), fs.subList(1, fs.size()), ds, ds.get(0).severity(), hosts, verify(ds)));
        });
        out.sort(Comparator.comparing(Action::severity).thenComparing(Comparator.comparingInt((Action a) -> a.closes().size())
                .reversed()).thenComparing(a -> a.fix().title()));
        return out;
    }

    /** The scan that shows the fix worked: the endpoints it closes, scanned again; none for a host-wide finding. */
    static String verify(List<Diagnosis> ds) {
        Set<String> addrs = new LinkedHashSet<>();
        Set<Integer> ports = new java.util.TreeSet<>();
        for (Diagnosis d : ds) {
            if (d.ip() != null && d.port() > 0) {
                addrs.add(d.ip().toString());
                ports.add(d.port());
            }
        }
        if (addrs.isEmpty()) {
            return "";
        }
        return "aiscan " + String.join(",", addrs) + " -p " + String.join(",", ports.stream().map(String::valueOf).toList());
    }

    /** A host's addresses as a row shows them: the first two, then how many more. */
    public static String collapsed(List<Address> as) {
        List<String> s = as.stream().map(Object::toString).toList();
        return s.size() <= 2 ? String.join(", ", s) : s.get(0) + ", " + s.get(1) + " +" + (s.size() - 2) + " more";
    }

    /** {@code 203.0.113.10:8000}, {@code [2001:db8::10]:8000}, {@code 203.0.113.10:5353/udp}: as the scan names an endpoint. */
    static String key(Address ip, int port, String proto) {
        return ip.endpoint(port) + ("udp".equals(proto) ? "/udp" : "");
    }


    /** The front-end that owns the host's rules; "not collected" when the snapshot holds no firewall source at all. */
    private static String frontEnd(@Nullable HostAudit audit) {
        if (audit == null || audit.view() == null) {
            return "no snapshot";
        }
        return audit.view().frontEnd();
    }
}
