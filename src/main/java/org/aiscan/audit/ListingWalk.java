package org.aiscan.audit;

import java.util.List;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.audit.AcceptRule;
import org.aiscan.model.audit.Packet;

/**
 * A firewall front-end's own listing, walked when it is all the snapshot has of a family's firewall
 * (a pasted {@code ufw status}, or firewalld's zones; no iptables-save or nft ruleset): its rules
 * in order, the first that matches decides, a jump goes to a zone for good, else the default. The
 * result is never certain on its own — what else the kernel does (Docker, Kubernetes, other rules)
 * is not in a listing — but it says which line would decide.
 */
final class ListingWalk {
    private static final int MAX_DEPTH = 8;

    private final HostModel host;
    private final Trace trace;

    ListingWalk(HostModel host, Trace trace) {
        this.host = host;
        this.trace = trace;
    }

    Verdict run(HostModel.ListingHook h, Packet p) {
        trace.chainsVisited.add(h.describe());
        if (trace.uncertain.isEmpty()) { // said already when the family's netfilter rules were not given; never certain either way
            trace.uncertain(h.alone());
        }
        Verdict v = walk(h, h.rules(), p, 0);
        if (v.kind() != Verdict.Kind.CONTINUE) {
            return v;
        }
        if (h.policyUnknown() != null) {
            trace.uncertain(h.policyUnknown());
            return Verdict.policy(Verdict.Kind.DROP, h.policyUnknown());
        }
        return h.policy() instanceof Stmt.Accept ? Verdict.policy(Verdict.Kind.ACCEPT, h.policyLine())
                : h.policy() instanceof Stmt.Reject ? Verdict.reject(h.policyLine(), p.proto().equals("tcp"))
                : Verdict.policy(Verdict.Kind.DROP, h.policyLine());
    }

    private Verdict walk(HostModel.ListingHook h, List<FwRule> rules, Packet p, int depth) {
        for (FwRule rule : rules) {
            FwRule.Result m = rule.eval(p, host, 0);
            if (m.tri() == Tri.FALSE || m.stmt() instanceof Stmt.None) {
                continue;
            }
            EvidenceLine here = rule.cite();
            if (m.tri() == Tri.UNKNOWN && m.stmt() instanceof Stmt.Jump && h.chains().containsKey(((Stmt.Jump) m.stmt()).chain())) {
                trace.uncertain(here); // a zone whose interface may be this one: its rules are the path the connection would take
                trace.jumps.add(here);
                return walk(h, h.chains().get(((Stmt.Jump) m.stmt()).chain()), p, depth + 1);
            }
            if (m.tri() == Tri.UNKNOWN || m.stmt() instanceof Stmt.Unknown) {
                trace.uncertain(here);
                continue;
            }
            if (m.rateLimited()) {
                trace.rateLimit(here);
            }
            if (m.stmt() instanceof Stmt.Jump j) {
                List<FwRule> sub = h.chains().get(j.chain());
                if (sub == null || depth >= MAX_DEPTH) {
                    trace.uncertain(here);
                    continue;
                }
                trace.jumps.add(here);
                return walk(h, sub, p, depth + 1);
            }
            if (m.stmt() instanceof Stmt.Accept) {
                trace.accepts.add(new AcceptRule(here, rule.explicitPort(), rule.sourceRestricted()));
                return Verdict.of(Verdict.Kind.ACCEPT, here);
            }
            if (m.stmt() instanceof Stmt.Reject rj) {
                return Verdict.reject(here, rj.reset() && p.proto().equals("tcp"));
            }
            if (m.stmt() instanceof Stmt.Drop) {
                return Verdict.of(Verdict.Kind.DROP, here);
            }
            trace.uncertain(here);
        }
        return Verdict.CONTINUE;
    }
}
