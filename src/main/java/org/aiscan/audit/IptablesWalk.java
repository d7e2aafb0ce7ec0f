package org.aiscan.audit;

import java.util.List;
import org.aiscan.host.Iptables;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.audit.AcceptRule;
import org.aiscan.model.audit.Packet;
import org.aiscan.model.audit.ShadowedDeny;
import org.aiscan.model.audit.UserRule;

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
            FwRule rule = host.rule(source, r);
            FwRule.Result m = rule.eval(p, host, mark);
            Stmt stmt = rule.stmt();
            boolean verdict = decides(stmt);
            if (user && verdict) {
                trace.userRules.add(new UserRule(c.name(), rule.cite(), m.tri() == Tri.TRUE,
                        m.tri() == Tri.FALSE ? rule.whyNot(p, host, mark) : null));
            }
            if (m.rateLimited() && verdict) {
                trace.rateLimit(rule.cite()); // on the path, whether or not this first packet trips it
            }
            if (m.tri() == Tri.FALSE || stmt instanceof Stmt.None) {
                continue;
            }
            if (stmt instanceof Stmt.SetMark sm && m.tri() == Tri.TRUE) {
                for (Stmt.MarkOp op : sm.ops()) {
                    mark = op.apply(mark);
                }
                continue;
            }
            if (!verdict) {
                continue;
            }
            EvidenceLine here = rule.cite();
            if (m.tri() == Tri.UNKNOWN && randomShare(source, rule, rules, i, p)) {
                continue; // one endpoint of several, chosen per connection: the rule after it is a path it can take
            }
            if (m.tri() == Tri.UNKNOWN) {
                trace.uncertain(here);
                continue;
            }
            if (stmt instanceof Stmt.Accept) {
                trace.accepts.add(new AcceptRule(here, rule.explicitPort(), rule.sourceRestricted()));
                privateTrust(c, rule, here, p);
                shadows(source, rules, i, here, p);
                return Verdict.of(Verdict.Kind.ACCEPT, here);
            }
            if (stmt instanceof Stmt.Return) {
                privateTrust(c, rule, here, p);
                return Verdict.CONTINUE;
            }
            Verdict end = Verdict.ending(stmt, here, p);
            if (end != null) {
                return end;
            }
            Iptables.Chain sub = stmt instanceof Stmt.Jump j ? t.chain(j.chain()) : null;
            if (sub == null || depth >= MAX_DEPTH) {
                trace.uncertain(here); // a target this evaluator does not know (or a loop), an unreadable DNAT
                continue;
            }
            int jumps = trace.jumps.size();
            int names = trace.entered.size();
            Verdict v = walk(source, t, sub, p, depth + 1, false, user);
            if (((Stmt.Jump) stmt).isGoto() || v.kind() != Verdict.Kind.CONTINUE) {
                trace.jumps.add(jumps, here); // on the deciding path: before the jumps it led to
                trace.entered.add(names, sub.name());
                return v;
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

    /** A target that ends or redirects the walk (a verdict, a jump, a DNAT, or one this evaluator cannot read). */
    private static boolean decides(Stmt s) {
        return !(s instanceof Stmt.None || s instanceof Stmt.Other || s instanceof Stmt.SetMark);
    }

    /**
     * kube-proxy's endpoint choice: {@code -m statistic --mode random --probability 0.5 -j KUBE-SEP-A}
     * followed by a rule that takes every connection the share left ({@code -j KUBE-SEP-B}). Any
     * branch is a path a connection can take; the walk follows the last one, which is certain.
     */
    private boolean randomShare(String source, FwRule rule, List<Iptables.Rule> rules, int i, Packet p) {
        if (!rule.chance() || rule.eval(p, host, mark, true).tri() != Tri.TRUE) {
            return false;
        }
        for (int j = i + 1; j < rules.size(); j++) {
            FwRule next = host.rule(source, rules.get(j));
            if (decides(next.stmt()) && next.eval(p, host, mark).tri() == Tri.TRUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * A RETURN or ACCEPT in DOCKER-USER keyed on the packet's source network: every host of that
     * network skips the user's filtering (ufw-docker does this for RFC 1918 sources).
     */
    private void privateTrust(Iptables.Chain c, FwRule rule, EvidenceLine here, Packet p) {
        if (!c.name().equals("DOCKER-USER")) {
            return;
        }
        for (Cond cond : rule.conds()) {
            if (cond instanceof Cond.Test t && t.sel() == Sel.SRC && !t.negated() && t.any().size() == 1
                    && t.any().get(0) instanceof Atom.Net n && n.cidr().contains(p.src()) && n.cidr().prefix() < (n.cidr().isV6() ? 128 : 32)) {
                trace.privateTrust.add(here);
                return;
            }
        }
    }

    /** Later denies in the same chain that name the port and would have matched. */
    private void shadows(String source, List<Iptables.Rule> rules, int from, EvidenceLine accept, Packet p) {
        for (int j = from + 1; j < rules.size(); j++) {
            FwRule r = host.rule(source, rules.get(j));
            if (r.stmt() instanceof Stmt.Drop || r.stmt() instanceof Stmt.Reject) {
                if (r.explicitPort() && r.eval(p, host, mark).tri() == Tri.TRUE) {
                    trace.shadowed.add(new ShadowedDeny(accept, r.cite()));
                }
            }
        }
    }
}
