package org.aiscan.audit;

import java.util.List;
import org.aiscan.host.Nft;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.audit.AcceptRule;
import org.aiscan.model.audit.Packet;
import org.aiscan.model.audit.ShadowedDeny;

/**
 * nftables semantics for one base chain: rules in order; {@code accept} ends this base chain only
 * (the next base chain on the hook still runs), {@code drop} and {@code reject} are final,
 * {@code jump} comes back on {@code return} or at the end of the chain, {@code goto} does not, and
 * the policy applies at the end of the base chain.
 */
final class NftWalk {
    private static final int MAX_DEPTH = 64;

    private final HostModel host;
    private final Trace trace;

    NftWalk(HostModel host, Trace trace) {
        this.host = host;
        this.trace = trace;
    }

    static EvidenceLine cite(Nft.Rule r) {
        return new EvidenceLine("nft", r.line(), r.text().trim());
    }

    static EvidenceLine policyLine(Nft.Table t, Nft.Chain c) {
        return new EvidenceLine("nft", c.line(), "chain " + c.name() + " { type " + c.type() + " hook " + c.hook() + " priority "
                + c.priorityText() + "; policy " + c.policy() + "; } (table " + t.family() + " " + t.name() + ")");
    }

    Verdict run(HostModel.NftHook h, Packet p) {
        trace.chainsVisited.add(h.describe());
        Verdict v = walk(h.table(), h.chain(), p, 0);
        if (v.kind() == Verdict.Kind.CONTINUE) {
            String policy = h.chain().policy() == null ? "accept" : h.chain().policy();
            return Verdict.policy(policy.equals("drop") ? Verdict.Kind.DROP : Verdict.Kind.ACCEPT, policyLine(h.table(), h.chain()));
        }
        return v;
    }

    private Verdict walk(Nft.Table t, Nft.Chain c, Packet p, int depth) {
        List<Nft.Rule> rules = c.rules();
        for (int i = 0; i < rules.size(); i++) {
            FwRule rule = host.rule(rules.get(i), t);
            FwRule.Result m = rule.eval(p, host, 0);
            Stmt stmt = m.stmt();
            boolean none = stmt instanceof Stmt.None || stmt instanceof Stmt.Continue;
            if (m.rateLimited() && !none) {
                trace.rateLimit(rule.cite()); // on the path, whether or not this first packet trips it
            }
            if (m.tri() == Tri.FALSE || none) {
                continue;
            }
            EvidenceLine here = rule.cite();
            if (m.tri() == Tri.UNKNOWN || stmt instanceof Stmt.Unknown) {
                trace.uncertain(here);
                continue;
            }
            if (stmt instanceof Stmt.Accept) {
                trace.accepts.add(new AcceptRule(here, rule.explicitPort(), rule.sourceRestricted()));
                shadows(t, rules, i, here, p);
                return Verdict.of(Verdict.Kind.ACCEPT, here);
            }
            if (stmt instanceof Stmt.Return) {
                return Verdict.CONTINUE;
            }
            Verdict end = Verdict.ending(stmt, here, p);
            if (end != null) {
                return end;
            }
            Nft.Chain sub = stmt instanceof Stmt.Jump j ? t.chain(j.chain()) : null;
            if (sub == null || depth >= MAX_DEPTH) {
                trace.uncertain(here);
                continue;
            }
            int jumps = trace.jumps.size();
            int names = trace.entered.size();
            Verdict v = walk(t, sub, p, depth + 1);
            if (((Stmt.Jump) stmt).isGoto() || v.kind() != Verdict.Kind.CONTINUE) {
                trace.jumps.add(jumps, here); // on the deciding path: before the jumps it led to
                trace.entered.add(names, t.name() + "/" + sub.name());
                if (m.map() != null) {
                    trace.entered.add(names, "@" + m.map());
                }
                if (m.element() != null) {
                    trace.jumps.add(jumps + 1, m.element());
                }
                return v;
            }
        }
        return Verdict.CONTINUE;
    }

    private void shadows(Nft.Table t, List<Nft.Rule> rules, int from, EvidenceLine accept, Packet p) {
        for (int j = from + 1; j < rules.size(); j++) {
            FwRule r = host.rule(rules.get(j), t);
            FwRule.Result m = r.eval(p, host, 0);
            if (m.tri() == Tri.TRUE && r.explicitPort() && (m.stmt() instanceof Stmt.Drop || m.stmt() instanceof Stmt.Reject)) {
                trace.shadowed.add(new ShadowedDeny(accept, r.cite()));
            }
        }
    }
}
