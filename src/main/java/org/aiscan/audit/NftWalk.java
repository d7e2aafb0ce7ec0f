package org.aiscan.audit;

import java.util.List;
import org.aiscan.host.Nft;
import org.aiscan.model.EvidenceLine;

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
            Nft.Rule r = rules.get(i);
            NftRuleEval.Result m = NftRuleEval.eval(r, t, p, host);
            if (m.rateLimited() && m.action() != NftRuleEval.Action.NONE && m.action() != NftRuleEval.Action.CONTINUE) {
                trace.rateLimit(cite(r)); // on the path, whether or not this first packet trips it
            }
            if (m.tri() == Tri.FALSE || m.action() == NftRuleEval.Action.NONE || m.action() == NftRuleEval.Action.CONTINUE) {
                continue;
            }
            EvidenceLine here = cite(r);
            if (m.tri() == Tri.UNKNOWN || m.action() == NftRuleEval.Action.UNKNOWN) {
                trace.uncertain(here);
                continue;
            }
            switch (m.action()) {
                case ACCEPT -> {
                    trace.accepts.add(new Trace.Accept(here, m.explicitPort(), m.sourceRestricted()));
                    shadows(t, rules, i, here, p);
                    return Verdict.of(Verdict.Kind.ACCEPT, here);
                }
                case DROP -> {
                    return Verdict.of(Verdict.Kind.DROP, here);
                }
                case REJECT -> {
                    return Verdict.reject(here, m.reset());
                }
                case RETURN -> {
                    return Verdict.CONTINUE;
                }
                case DNAT -> {
                    return Verdict.dnat(here, m.natTo(), m.natPort());
                }
                case JUMP, GOTO -> {
                    Nft.Chain sub = m.target() == null ? null : t.chain(m.target());
                    if (sub == null || depth >= MAX_DEPTH) {
                        trace.uncertain(here);
                        continue;
                    }
                    int jumps = trace.jumps.size();
                    int names = trace.entered.size();
                    Verdict v = walk(t, sub, p, depth + 1);
                    if (m.action() == NftRuleEval.Action.GOTO || v.kind() != Verdict.Kind.CONTINUE) {
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
                default -> trace.uncertain(here);
            }
        }
        return Verdict.CONTINUE;
    }

    private void shadows(Nft.Table t, List<Nft.Rule> rules, int from, EvidenceLine accept, Packet p) {
        for (int j = from + 1; j < rules.size(); j++) {
            NftRuleEval.Result m = NftRuleEval.eval(rules.get(j), t, p, host);
            if (m.tri() == Tri.TRUE && m.explicitPort()
                    && (m.action() == NftRuleEval.Action.DROP || m.action() == NftRuleEval.Action.REJECT)) {
                trace.shadowed.add(new Trace.Shadow(accept, cite(rules.get(j))));
            }
        }
    }
}
