package org.aiscan.audit;

import java.util.List;
import org.aiscan.host.Iptables;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.EvidenceLine;

/**
 * iptables semantics for one built-in chain: rules in order, the first terminal verdict wins,
 * {@code -j CHAIN} returns on RETURN or the end of the chain, {@code -g CHAIN} does not come back,
 * the policy applies at the end of a built-in chain. A rule whose matches cannot be read is noted
 * as uncertain and treated as not matching.
 */
final class IptablesWalk {
    private static final int MAX_DEPTH = 64;

    private final HostModel host;
    private final Trace trace;
    private long mark;

    IptablesWalk(HostModel host, Trace trace) {
        this.host = host;
        this.trace = trace;
    }

    Verdict run(HostModel.IptHook h, Packet p) {
        trace.chainsVisited.add(h.describe());
        return walk(h.source(), h.table(), h.chain(), p, 0, true, false);
    }

    static EvidenceLine cite(String source, Iptables.Rule r) {
        return new EvidenceLine(source, r.line(), r.text().trim());
    }

    /** A built-in chain's policy, cited as the source's own layout prints it (iptables-save, -S or -L). */
    static EvidenceLine policyLine(String source, Iptables.Table t, Iptables.Chain c) {
        String text;
        if (source.startsWith("iptables-l-")) {
            text = "Chain " + c.name() + " (policy " + c.policy() + ") (" + t.name() + " table)";
        } else if (source.startsWith("iptables-s-")) {
            text = "-P " + c.name() + " " + c.policy() + " (" + t.name() + " table)";
        } else {
            text = ":" + c.name() + " " + c.policy() + " (" + t.name() + " table policy)";
        }
        return new EvidenceLine(source, c.line(), text);
    }

    private Verdict walk(String source, Iptables.Table t, Iptables.Chain c, Packet p, int depth, boolean builtin, boolean inUser) {
        boolean user = inUser || c.name().equals("DOCKER-USER");
        host.unreadIn(source, t.name(), c.name()).forEach(trace::uncertain); // a rule of this chain could not be read
        List<Iptables.Rule> rules = c.rules();
        for (int i = 0; i < rules.size(); i++) {
            Iptables.Rule r = rules.get(i);
            IptablesMatch.Result m = IptablesMatch.eval(r, p, host, mark);
            String target = r.target();
            if (user && target != null && !IptablesMatch.NON_TERMINAL.contains(target)) {
                trace.userRules.add(new Trace.UserRule(c.name(), cite(source, r), m.tri() == Tri.TRUE,
                        m.tri() == Tri.FALSE ? IptablesMatch.whyNot(r, p, host, mark) : null));
            }
            if (m.rateLimited() && target != null && !IptablesMatch.NON_TERMINAL.contains(target)) {
                trace.rateLimit(cite(source, r)); // on the path, whether or not this first packet trips it
            }
            if (m.tri() == Tri.FALSE) {
                continue;
            }
            if (target == null) {
                continue;
            }
            if (target.equals("MARK") && m.tri() == Tri.TRUE) {
                applyMark(r);
                continue;
            }
            if (IptablesMatch.NON_TERMINAL.contains(target)) {
                continue;
            }
            EvidenceLine here = cite(source, r);
            if (m.tri() == Tri.UNKNOWN && randomShare(r, rules, i, p)) {
                continue; // one endpoint of several, chosen per connection: the rule after it is a path it can take
            }
            if (m.tri() == Tri.UNKNOWN) {
                trace.uncertain(here);
                continue;
            }
            switch (target) {
                case "ACCEPT" -> {
                    trace.accepts.add(new Trace.Accept(here, m.explicitPort(), m.sourceRestricted()));
                    privateTrust(c, r, here, p);
                    shadows(source, rules, i, here, p);
                    return Verdict.of(Verdict.Kind.ACCEPT, here);
                }
                case "DROP" -> {
                    return Verdict.of(Verdict.Kind.DROP, here);
                }
                case "REJECT" -> {
                    String with = r.targetOption("--reject-with");
                    return Verdict.reject(here, with != null && with.equals("tcp-reset"));
                }
                case "RETURN" -> {
                    privateTrust(c, r, here, p);
                    return Verdict.CONTINUE;
                }
                case "DNAT" -> {
                    Verdict v = dnat(here, r.targetOption("--to-destination"), p);
                    if (v != null) {
                        return v;
                    }
                    trace.uncertain(here);
                    continue;
                }
                case "REDIRECT" -> {
                    String ports = r.targetOption("--to-ports");
                    int port = ports == null ? p.dport() : parseInt(ports.split("[-:]")[0]);
                    return Verdict.dnat(here, p.dst(), port < 0 ? p.dport() : port);
                }
                default -> {
                    Iptables.Chain sub = t.chain(target);
                    if (sub == null || depth >= MAX_DEPTH) {
                        trace.uncertain(here); // a target this evaluator does not know (or a loop)
                        continue;
                    }
                    int jumps = trace.jumps.size();
                    int names = trace.entered.size();
                    Verdict v = walk(source, t, sub, p, depth + 1, false, user);
                    if (r.isGoto() || v.kind() != Verdict.Kind.CONTINUE) {
                        trace.jumps.add(jumps, here); // on the deciding path: before the jumps it led to
                        trace.entered.add(names, sub.name());
                        return v;
                    }
                }
            }
        }
        if (builtin && c.policy() != null) {
            EvidenceLine pol = policyLine(source, t, c);
            return Verdict.policy(c.policy().equals("DROP") ? Verdict.Kind.DROP : Verdict.Kind.ACCEPT, pol);
        }
        if (builtin) { // a listing pasted in part: the chain's policy line is not in it
            trace.uncertain(new EvidenceLine(source, c.line(), c.name() + ": its policy (-P " + c.name() + ") is not in what was given"));
        }
        return Verdict.CONTINUE;
    }

    /**
     * kube-proxy's endpoint choice: {@code -m statistic --mode random --probability 0.5 -j KUBE-SEP-A}
     * followed by a rule that takes every connection the share left ({@code -j KUBE-SEP-B}). Any
     * branch is a path a connection can take; the walk follows the last one, which is certain.
     */
    private boolean randomShare(Iptables.Rule r, List<Iptables.Rule> rules, int i, Packet p) {
        if (!r.modules().contains("statistic") || IptablesMatch.eval(r, p, host, mark, true).tri() != Tri.TRUE) {
            return false;
        }
        for (int j = i + 1; j < rules.size(); j++) {
            Iptables.Rule next = rules.get(j);
            String t = next.target();
            if (t != null && !IptablesMatch.NON_TERMINAL.contains(t) && !t.equals("MARK")
                    && IptablesMatch.eval(next, p, host, mark).tri() == Tri.TRUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * A RETURN or ACCEPT in DOCKER-USER keyed on the packet's source network: every host of that
     * network skips the user's filtering (ufw-docker does this for RFC 1918 sources).
     */
    private void privateTrust(Iptables.Chain c, Iptables.Rule r, EvidenceLine here, Packet p) {
        if (!c.name().equals("DOCKER-USER")) {
            return;
        }
        Iptables.Option s = r.match("-s");
        if (s == null || s.negated()) {
            return;
        }
        try {
            Cidr net = Cidr.parse(s.value());
            if (net.contains(p.src()) && net.prefix() < (net.isV6() ? 128 : 32)) {
                trace.privateTrust.add(here);
            }
        } catch (IllegalArgumentException e) {
            // not an address: nothing to say
        }
    }

    /** Later denies in the same chain that name the port and would have matched. */
    private void shadows(String source, List<Iptables.Rule> rules, int from, EvidenceLine accept, Packet p) {
        for (int j = from + 1; j < rules.size(); j++) {
            Iptables.Rule r = rules.get(j);
            String t = r.target();
            if (!"DROP".equals(t) && !"REJECT".equals(t)) {
                continue;
            }
            IptablesMatch.Result m = IptablesMatch.eval(r, p, host, mark);
            if (m.tri() == Tri.TRUE && m.explicitPort()) {
                trace.shadowed.add(new Trace.Shadow(accept, cite(source, r)));
            }
        }
    }

    private void applyMark(Iptables.Rule r) {
        for (Iptables.Option o : r.targetOptions()) {
            String v = o.value();
            if (v == null) {
                continue;
            }
            int slash = v.indexOf('/');
            try {
                long value = Long.decode(slash < 0 ? v : v.substring(0, slash));
                long mask = slash < 0 ? 0xFFFF_FFFFL : Long.decode(v.substring(slash + 1));
                switch (o.name()) {
                    case "--set-xmark" -> mark = (mark & ~mask) ^ value;
                    case "--set-mark" -> mark = (mark & ~mask) | value;
                    case "--or-mark" -> mark |= value;
                    case "--and-mark" -> mark &= value;
                    case "--xor-mark" -> mark ^= value;
                    default -> {
                    }
                }
            } catch (NumberFormatException e) {
                // an unreadable mark leaves the mark as it was
            }
        }
    }

    /** {@code 10.17.0.2:8000}, {@code 10.17.0.2}, {@code [fd00::2]:8000}, {@code 10.17.0.2-10.17.0.5:80-90}. */
    static Verdict dnat(EvidenceLine here, String to, Packet p) {
        if (to == null) {
            return null;
        }
        String addr = to;
        String port = null;
        if (to.startsWith("[")) {
            int close = to.indexOf(']');
            if (close < 0) {
                return null;
            }
            addr = to.substring(1, close);
            if (close + 1 < to.length() && to.charAt(close + 1) == ':') {
                port = to.substring(close + 2);
            }
        } else if (to.indexOf(':') >= 0 && to.indexOf(':') == to.lastIndexOf(':')) {
            addr = to.substring(0, to.indexOf(':'));
            port = to.substring(to.indexOf(':') + 1);
        }
        if (addr.indexOf('-') > 0) {
            addr = addr.substring(0, addr.indexOf('-'));
        }
        try {
            Address a = addr.isEmpty() ? p.dst() : Address.parse(addr);
            int prt = port == null ? p.dport() : parseInt(port.split("-")[0]);
            return prt < 0 ? null : Verdict.dnat(here, a, prt);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
