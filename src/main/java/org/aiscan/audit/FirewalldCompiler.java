package org.aiscan.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiscan.home.AiscanHome;
import org.aiscan.host.Firewalld;
import org.aiscan.model.EvidenceLine;
import org.jspecify.annotations.Nullable;

/**
 * Reads firewalld's zones, as {@code firewall-cmd --list-all(-zones)} prints them, into {@link FwRule}s
 * in the order firewalld's nftables backend evaluates them: a connection goes to the zone of its
 * source, else of its interface, else the default zone; in the zone, rich rules with a negative
 * priority, then rich rules that drop or reject, then what the zone allows (services, ports, accepting
 * rich rules), then rich rules with a positive priority, then the zone's target (default and
 * %%REJECT%% reject, DROP drops, ACCEPT accepts). Services are read from firewalld's own definitions
 * ({@code rulesets/policy/firewalld-services.tsv}); an ipset's members, a service the table lacks and a
 * rich rule cut short are unknown.
 */
final class FirewalldCompiler {
    static final String SERVICES = "rulesets/policy/firewalld-services.tsv";
    private static final String SOURCE = "firewalld";
    /** The keywords of firewalld.richlanguage(5) that stand alone. */
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("source", "destination", "service", "port", "protocol", "icmp-block",
            "icmp-type", "masquerade", "forward-port", "source-port", "log", "nflog", "audit", "accept", "reject", "drop", "mark", "limit");
    private static final Pattern TOKEN = Pattern.compile("\\s*(NOT|[a-z][a-z0-9-]*(?:=\"[^\"]*\")?)");
    private static volatile @Nullable Map<String, List<Cond.Element>> services;

    private FirewalldCompiler() {
    }

    /** The zone a connection is sent to, and each zone's rules, in order. */
    record Compiled(List<FwRule> dispatch, Map<String, List<FwRule>> zones, EvidenceLine noZone) {
    }

    static Compiled compile(Firewalld.Zones zs, int family) {
        List<FwRule> dispatch = new ArrayList<>();
        Map<String, List<FwRule>> zones = new HashMap<>();
        for (Firewalld.Zone z : zs.zones()) {
            zones.put(z.name(), zone(z, family));
            if (!z.sources().isEmpty()) {
                dispatch.add(new FwRule(cite(z, "sources", "sources: " + String.join(" ", z.sources())),
                        List.of(new Cond.Test(Sel.SRC, z.sources().stream().map(FirewalldCompiler::source).toList(), false, "sources")),
                        new Stmt.Jump(z.name(), true), false, true));
            }
        }
        for (Firewalld.Zone z : zs.zones()) {
            if (!z.interfaces().isEmpty()) {
                dispatch.add(new FwRule(cite(z, "interfaces", "interfaces: " + String.join(" ", z.interfaces())),
                        List.of(new Cond.Test(Sel.IIF, z.interfaces().stream().map(Atom::iface).toList(), false, "interfaces")),
                        new Stmt.Jump(z.name(), true), false, false));
            }
        }
        Firewalld.Zone def = zs.zones().stream().filter(Firewalld.Zone::isDefault).findFirst().orElse(null);
        EvidenceLine noZone = null;
        if (def != null) {
            dispatch.add(new FwRule(new EvidenceLine(SOURCE, def.line(), def.name() + " (default): the zone of every other interface"),
                    List.of(), new Stmt.Jump(def.name(), true), false, false));
        } else {
            Firewalld.Zone pub = zs.zones().stream().filter(z -> z.name().equals("public")).findFirst().orElse(null);
            if (pub != null) {
                dispatch.add(new FwRule(new EvidenceLine(SOURCE, pub.line(), "public: taken as the default zone (firewalld's own default; "
                        + "the listing does not mark one, 'firewall-cmd --get-default-zone' says)"), List.of(), new Stmt.Jump("public", true),
                        false, false));
            } else {
                noZone = new EvidenceLine(SOURCE, 0, "the zone that takes the interface is not in what was given "
                        + "('firewall-cmd --list-all-zones' and 'firewall-cmd --get-default-zone' say)");
            }
        }
        return new Compiled(dispatch, zones, noZone);
    }

    private static Atom source(String s) {
        return s.startsWith("ipset:") ? new Atom.Bad(s) : Atom.address(s); // an ipset's members are not in the listing
    }

    private static EvidenceLine cite(Firewalld.Zone z, String key, String text) {
        return new EvidenceLine(SOURCE, z.lines().getOrDefault(key, z.line()), text + " (zone " + z.name() + ")");
    }

    private static List<FwRule> zone(Firewalld.Zone z, int family) {
        List<FwRule> pre = new ArrayList<>();
        List<FwRule> deny = new ArrayList<>();
        List<FwRule> allow = new ArrayList<>();
        List<FwRule> post = new ArrayList<>();
        for (String s : z.services()) {
            List<Cond.Element> ports = services().get(s);
            List<Cond> conds = ports == null ? List.of(new Cond.Unknown("service " + s + " (not among firewalld's definitions)"))
                    : List.of(new Cond.Lookup(List.of(new Cond.Part(Sel.L4PROTO, 0, Cond.Gate.NONE), new Cond.Part(Sel.DPORT, 0, Cond.Gate.NONE)),
                    ports, false, false, null, "service " + s));
            allow.add(new FwRule(cite(z, "services", "services: " + String.join(" ", z.services()) + " — " + s), conds, new Stmt.Accept(),
                    true, false));
        }
        for (String p : z.ports()) {
            allow.add(new FwRule(cite(z, "ports", "ports: " + String.join(" ", z.ports()) + " — " + p), portConds(p), new Stmt.Accept(),
                    true, false));
        }
        for (String f : z.forwardPorts()) {
            Map<String, String> kv = new HashMap<>();
            for (String part : f.split(":")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    kv.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            List<Cond> conds = new ArrayList<>();
            conds.add(new Cond.Test(Sel.L4PROTO, List.of(Atom.protocol(kv.get("proto"))), false, f));
            conds.add(new Cond.Test(Sel.DPORT, List.of(Atom.port(kv.get("port"))), false, f));
            pre.add(new FwRule(cite(z, "forward-ports", "forward-ports: " + f), conds,
                    new Stmt.Unknown("a forward port (DNAT) is not walked from a zone listing"), true, false));
        }
        for (int k = 0; k < z.richRules().size(); k++) {
            int line = k < z.richLines().size() ? z.richLines().get(k) : z.line();
            Rich r = rich(z.richRules().get(k), family);
            FwRule rule = new FwRule(new EvidenceLine(SOURCE, line, z.richRules().get(k) + " (zone " + z.name() + ")"), r.conds, r.stmt,
                    r.explicitPort, r.sourceRestricted);
            if (r.priority < 0) {
                pre.add(rule);
            } else if (r.priority > 0) {
                post.add(rule);
            } else if (r.stmt instanceof Stmt.Accept) {
                allow.add(rule);
            } else {
                deny.add(rule);
            }
        }
        List<FwRule> out = new ArrayList<>(pre);
        out.addAll(deny);
        out.addAll(allow);
        out.addAll(post);
        String target = z.target() == null ? "default" : z.target();
        Stmt end = switch (target) {
            case "ACCEPT" -> new Stmt.Accept();
            case "DROP" -> new Stmt.Drop();
            default -> new Stmt.Reject(false); // default and %%REJECT%%: an ICMP error (admin prohibited)
        };
        out.add(new FwRule(cite(z, "target", "target: " + target), List.of(), end, false, false));
        return out;
    }

    /** {@code 8000/tcp}, {@code 2001-2003/tcp}. */
    private static List<Cond> portConds(String p) {
        int slash = p.indexOf('/');
        String port = slash < 0 ? p : p.substring(0, slash);
        String proto = slash < 0 ? "" : p.substring(slash + 1);
        return List.of(new Cond.Test(Sel.L4PROTO, List.of(Atom.protocol(proto)), false, p), new Cond.Test(Sel.DPORT, List.of(Atom.port(port)), false, p));
    }

    /** A rich rule read. */
    private static final class Rich {
        final List<Cond> conds = new ArrayList<>();
        Stmt stmt = new Stmt.None();
        int priority;
        boolean explicitPort;
        boolean sourceRestricted;
    }

    /** One rich rule (firewalld.richlanguage(5)); a rule cut short or not understood is unknown, with an unknown verdict. */
    static Rich rich(String text, int family) {
        Rich r = new Rich();
        List<String> tok = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            tok.add(m.group(1));
            at = m.end();
        }
        if (!text.substring(at).isBlank() || tok.isEmpty() || !tok.get(0).equals("rule")) {
            return cut(r, text);
        }
        if (tok.stream().noneMatch(t -> java.util.Set.of("accept", "reject", "drop", "mark", "log", "nflog", "audit").contains(t))) {
            return cut(r, text); // no action, no log: not a whole rule
        }
        String element = "";
        boolean not = false;
        for (int i = 1; i < tok.size(); i++) {
            String t = tok.get(i);
            int eq = t.indexOf('=');
            String key = eq < 0 ? t : t.substring(0, eq);
            String val = eq < 0 ? null : t.substring(eq + 2, t.length() - 1);
            if (eq < 0) {
                if (t.equals("NOT")) {
                    not = true;
                    continue;
                }
                if (!KEYWORDS.contains(t)) {
                    return cut(r, text);
                }
                element = t;
                switch (t) {
                    case "accept" -> r.stmt = new Stmt.Accept();
                    case "drop" -> r.stmt = new Stmt.Drop();
                    case "reject" -> r.stmt = new Stmt.Reject(false);
                    case "masquerade" -> r.conds.add(new Cond.Fixed(Tri.FALSE, "masquerade")); // concerns forwarded traffic only
                    case "icmp-block", "icmp-type" -> r.conds.add(new Cond.Test(Sel.L4PROTO, List.of(Atom.protocol("icmp")), false, t));
                    default -> {
                    }
                }
                continue;
            }
            switch (element + "." + key) {
                case ".family" -> {
                    if (val.equals("ipv4") && family != 4 || val.equals("ipv6") && family != 6) {
                        r.conds.add(new Cond.Fixed(Tri.FALSE, t));
                    }
                }
                case ".priority" -> r.priority = (int) Math.max(-32768, Math.min(32767, parse(val)));
                case "source.address" -> {
                    r.conds.add(new Cond.Test(Sel.SRC, List.of(Atom.address(val)), not, t));
                    r.sourceRestricted |= !not;
                }
                case "destination.address" -> r.conds.add(new Cond.Test(Sel.DST, List.of(Atom.address(val)), not, t));
                case "source.ipset", "source.mac", "destination.ipset" -> r.conds.add(new Cond.Unknown(element + " " + t));
                case "service.name" -> {
                    List<Cond.Element> ports = services().get(val);
                    r.conds.add(ports == null ? new Cond.Unknown("service " + val)
                            : new Cond.Lookup(List.of(new Cond.Part(Sel.L4PROTO, 0, Cond.Gate.NONE), new Cond.Part(Sel.DPORT, 0, Cond.Gate.NONE)),
                            ports, false, false, null, "service " + val));
                    r.explicitPort = true;
                }
                case "port.port" -> {
                    r.conds.add(new Cond.Test(Sel.DPORT, List.of(Atom.port(val)), false, t));
                    r.explicitPort = true;
                }
                case "port.protocol", "protocol.value", "source-port.protocol" -> r.conds.add(new Cond.Test(Sel.L4PROTO, List.of(Atom.protocol(val)),
                        false, t));
                case "source-port.port" -> r.conds.add(new Cond.Test(Sel.SPORT, List.of(Atom.port(val)), false, t));
                case "forward-port.port" -> {
                    r.conds.add(new Cond.Test(Sel.DPORT, List.of(Atom.port(val)), false, t));
                    r.stmt = new Stmt.Unknown("a forward port (DNAT) is not walked from a zone listing");
                }
                case "accept.limit", "reject.limit", "drop.limit" -> r.conds.add(new Cond.Rate(Tri.TRUE, t));
                case "mark.set" -> r.stmt = new Stmt.None();
                default -> {
                    // log, nflog and audit options, reject type, forward-port's target: nothing about which packets match
                }
            }
            not = false;
        }
        return r;
    }

    private static Rich cut(Rich r, String text) {
        r.conds.clear();
        r.conds.add(new Cond.Unknown(text));
        r.stmt = new Stmt.Unknown("a rich rule not read whole: " + text);
        return r;
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** firewalld's service definitions: each service's (protocol . port) elements. */
    static Map<String, List<Cond.Element>> services() {
        Map<String, List<Cond.Element>> s = services;
        if (s == null) {
            s = new HashMap<>();
            try (InputStream in = AiscanHome.open(SERVICES)) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("#") || line.isBlank()) {
                        continue;
                    }
                    String[] cols = line.split("\t", -1);
                    List<Cond.Element> els = new ArrayList<>();
                    for (String pp : cols.length > 1 ? cols[1].trim().split("\\s+") : new String[0]) {
                        int slash = pp.indexOf('/');
                        if (slash <= 0) {
                            continue;
                        }
                        boolean wholeProtocol = pp.startsWith("proto/");
                        Atom proto = Atom.protocol(wholeProtocol ? pp.substring(6) : pp.substring(slash + 1));
                        Atom port = wholeProtocol ? new Atom.Ports(0, 65535) : Atom.port(pp.substring(0, slash));
                        els.add(new Cond.Element(List.of(proto, port), null, null));
                    }
                    s.put(cols[0], List.copyOf(els));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("firewalld's service table " + SERVICES + ": " + e.getMessage(), e);
            }
            services = s;
        }
        return s;
    }
}
