package org.aiscan.audit;

import org.aiscan.host.Ufw;
import org.aiscan.model.EvidenceLine;

/**
 * ufw's rules as {@code ufw status} prints them, walked when they are all the snapshot has of a
 * family's firewall (a pasted status, no iptables-save or nft ruleset): the rows in order, the first
 * that matches decides (ALLOW and LIMIT accept, DENY drops, REJECT rejects), else the default
 * incoming policy. The result is never certain on its own — what else the kernel does (Docker,
 * Kubernetes, other rules) is not in a status — but it says which row would decide.
 */
final class UfwWalk {
    private final Trace trace;

    UfwWalk(Trace trace) {
        this.trace = trace;
    }

    Verdict run(HostModel.UfwHook h, Packet p) {
        trace.chainsVisited.add(h.describe());
        if (trace.uncertain.isEmpty()) { // said already when the family's netfilter rules were not given; never certain either way
            trace.uncertain(new EvidenceLine(h.source(), 0, "ufw's status alone says what ufw allows, not what else the kernel does "
                    + "(Docker, Kubernetes, other rules): collect iptables-save and nft list ruleset"));
        }
        Ufw.Status st = h.status();
        boolean v6 = p.family() == 6;
        for (Ufw.Rule r : st.rules()) {
            String dir = r.direction() == null ? "IN" : r.direction();
            if (!dir.equals(h.forward() ? "FWD" : "IN") || r.v6() != v6) {
                continue;
            }
            Tri m = side(r.to(), p.inIface(), p.dst().toString(), p, true).and(side(r.from(), null, p.src().toString(), p, false));
            if (m == Tri.FALSE) {
                continue;
            }
            EvidenceLine here = new EvidenceLine(h.source(), r.line(), r.text().trim());
            if (m == Tri.UNKNOWN) {
                trace.uncertain(here);
                continue;
            }
            switch (r.action()) {
                case "ALLOW" -> {
                    trace.accepts.add(new Trace.Accept(here, r.to().ports() != null, r.from().address() != null));
                    return Verdict.of(Verdict.Kind.ACCEPT, here);
                }
                case "LIMIT" -> {
                    trace.rateLimit(here);
                    trace.accepts.add(new Trace.Accept(here, r.to().ports() != null, r.from().address() != null));
                    return Verdict.of(Verdict.Kind.ACCEPT, here);
                }
                case "DENY" -> {
                    return Verdict.of(Verdict.Kind.DROP, here);
                }
                case "REJECT" -> {
                    return Verdict.reject(here, p.proto().equals("tcp"));
                }
                default -> trace.uncertain(here);
            }
        }
        String policy = st.defaults().get(h.forward() ? "routed" : "incoming");
        if (policy == null) {
            EvidenceLine why = new EvidenceLine(h.source(), 0, "ufw's default " + (h.forward() ? "routed" : "incoming")
                    + " policy is not in what was given ('ufw status verbose' prints it); ufw's own default is deny");
            trace.uncertain(why);
            return Verdict.policy(Verdict.Kind.DROP, why);
        }
        EvidenceLine line = new EvidenceLine(h.source(), h.defaultsLine(), "Default: " + policy + " (" + (h.forward() ? "routed" : "incoming") + ")");
        return switch (policy) {
            case "allow", "disabled" -> Verdict.policy(Verdict.Kind.ACCEPT, line);
            case "reject" -> Verdict.reject(line, p.proto().equals("tcp"));
            default -> Verdict.policy(Verdict.Kind.DROP, line);
        };
    }

    /** One side of a row: its address, interface, ports and protocol against the packet; an application profile is unknown. */
    private static Tri side(Ufw.Side s, String iface, String address, Packet p, boolean to) {
        Tri t = Tri.TRUE;
        if (s.app() != null) {
            return Tri.UNKNOWN; // /etc/ufw/applications.d is not in a status
        }
        if (s.address() != null) {
            t = t.and(Match.address(s.address(), org.aiscan.model.Address.parse(address)));
        }
        if (to && s.iface() != null) {
            t = t.and(Match.iface(s.iface(), iface));
        }
        if (s.proto() != null) {
            t = t.and(Tri.of(s.proto().equals(p.proto())));
        }
        if (s.ports() != null) {
            t = t.and(to ? Match.ports(s.ports(), p.dport()) : Tri.UNKNOWN); // a scanner's source port is not known
        }
        return t;
    }
}
