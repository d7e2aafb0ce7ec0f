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
    private final HostModel host;
    private final Trace trace;

    UfwWalk(HostModel host, Trace trace) {
        this.host = host;
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
            FwRule rule = host.rule(h.source(), r);
            FwRule.Result m = rule.eval(p, host, 0);
            if (m.tri() == Tri.FALSE) {
                continue;
            }
            EvidenceLine here = rule.cite();
            if (m.tri() == Tri.UNKNOWN || m.stmt() instanceof Stmt.Unknown) {
                trace.uncertain(here);
                continue;
            }
            if (m.rateLimited()) {
                trace.rateLimit(here);
            }
            if (m.stmt() instanceof Stmt.Accept) {
                trace.accepts.add(new Trace.Accept(here, rule.explicitPort(), rule.sourceRestricted()));
                return Verdict.of(Verdict.Kind.ACCEPT, here);
            }
            if (m.stmt() instanceof Stmt.Reject rj) {
                return Verdict.reject(here, rj.reset() && p.proto().equals("tcp"));
            }
            return Verdict.of(Verdict.Kind.DROP, here);
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
}
