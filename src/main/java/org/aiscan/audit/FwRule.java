package org.aiscan.audit;

import java.util.List;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.audit.Packet;
import org.jspecify.annotations.Nullable;

/**
 * One firewall rule, iptables or nftables, as the evaluator reads it: its matches and its verdict,
 * typed once when the snapshot is loaded ({@link IptablesCompiler}, {@link NftCompiler}), and the
 * line it came from for the evidence. The walks evaluate these, never the rule's text.
 *
 * @param cite the rule as its source prints it, with its line
 * @param conds the matches, all of which must hold
 * @param stmt what it does when they hold (a verdict map's element may decide instead)
 * @param explicitPort it names the destination port (a shadowing deny must, to be reported)
 * @param sourceRestricted it names the sources it lets in
 */
record FwRule(EvidenceLine cite, List<Cond> conds, Stmt stmt, boolean explicitPort, boolean sourceRestricted) {
    FwRule {
        conds = List.copyOf(conds);
    }

    /**
     * The rule against one packet.
     *
     * @param tri whether its matches hold
     * @param stmt its verdict (a verdict map's element when one decided)
     * @param rateLimited a rate-limiting match takes part and everything else about the rule holds or may hold
     * @param map the named verdict map whose element decided, or null
     * @param element that element on its map's line, or null
     */
    record Result(Tri tri, Stmt stmt, boolean rateLimited, @Nullable String map, @Nullable EvidenceLine element) {
    }

    /** Whether it takes part of the connections only ({@code -m statistic}): a share a walk may take. */
    boolean chance() {
        return conds.stream().anyMatch(c -> c instanceof Cond.Chance);
    }

    Result eval(Packet p, HostModel host, long mark) {
        return eval(p, host, mark, false);
    }

    /** @param chanceTaken read a share ({@code -m statistic}) as taken by this connection */
    Result eval(Packet p, HostModel host, long mark, boolean chanceTaken) {
        Tri acc = Tri.TRUE;
        Tri rateless = Tri.TRUE;
        boolean rate = false;
        Stmt verdict = stmt;
        String map = null;
        EvidenceLine element = null;
        for (Cond c : conds) {
            if (c instanceof Cond.Rate r) {
                rate = true;
                acc = acc.and(r.value());
                continue;
            }
            Tri t;
            Cond.Element decided = null;
            String by = null;
            if (c instanceof Cond.Lookup l) {
                t = Tri.FALSE;
                for (Cond.Element e : l.elements()) {
                    Tri all = keyHolds(l.parts(), e, p, host, mark);
                    if (all == Tri.TRUE) {
                        decided = l.vmap() ? e : null;
                        t = Tri.TRUE;
                        break;
                    }
                    t = t.or(all);
                }
                t = l.vmap() ? t : t.negateIf(l.negated());
                by = l.map();
            } else if (c instanceof Cond.Numgen n) {
                for (Cond.Element e : n.elements()) {
                    if (e.key().size() == 1 && e.key().get(0) instanceof Atom.Num x && x.value() == n.offset()) {
                        decided = e;
                        break;
                    }
                }
                t = decided == null ? Tri.UNKNOWN : Tri.TRUE;
                by = n.map();
            } else {
                t = test(c, p, host, mark, chanceTaken);
            }
            if (decided != null) { // a verdict map's element: its verdict is the rule's
                verdict = decided.verdict() != null ? decided.verdict() : new Stmt.Unknown("an element without a verdict");
                map = by;
                element = by == null ? null : decided.cite();
            }
            acc = acc.and(t);
            rateless = rateless.and(t);
        }
        return new Result(acc, verdict, rate && rateless != Tri.FALSE, map, element);
    }

    private static Tri keyHolds(List<Cond.Part> parts, Cond.Element e, Packet p, HostModel host, long mark) {
        if (e.key().size() != parts.size()) {
            return Tri.UNKNOWN;
        }
        Tri all = Tri.TRUE;
        for (int k = 0; k < parts.size(); k++) {
            Cond.Part part = parts.get(k);
            Tri g = part.family() != 0 && part.family() != p.family() ? Tri.FALSE : part.gate().test(p);
            all = all.and(g.and(part.sel().test(e.key().get(k), p, host, mark)));
        }
        return all;
    }

    /** One match that is neither a lookup nor a rate limit, against the packet. */
    private static Tri test(Cond c, Packet p, HostModel host, long mark, boolean chanceTaken) {
        if (c instanceof Cond.Test t) {
            return t.eval(p, host, mark);
        }
        if (c instanceof Cond.Flags f) {
            return f.eval(p);
        }
        if (c instanceof Cond.Fixed f) {
            return f.value();
        }
        if (c instanceof Cond.Chance ch) {
            return (chanceTaken || ch.share() >= 1.0 ? Tri.TRUE : Tri.UNKNOWN).negateIf(ch.negated());
        }
        if (c instanceof Cond.Unknown u) {
            Tri g = u.family() != 0 && u.family() != p.family() ? Tri.FALSE : u.gate().test(p);
            return g.and(Tri.UNKNOWN);
        }
        return c instanceof Cond.Rate r ? r.value() : Tri.UNKNOWN; // a lookup is evaluated by eval, with its verdict
    }

    /**
     * Why the rule does not take the packet: its first match that fails, in words ("-d 10.0.0.0/8
     * does not hold for the destination 198.19.32.2"), or null when nothing fails for sure.
     */
    @Nullable String whyNot(Packet p, HostModel host, long mark) {
        for (Cond c : conds) {
            Tri t = c instanceof Cond.Rate r ? r.value() : c instanceof Cond.Lookup || c instanceof Cond.Numgen ? Tri.UNKNOWN
                    : test(c, p, host, mark, false);
            if (t != Tri.FALSE) {
                continue;
            }
            String what = c instanceof Cond.Test x ? x.sel().what(p)
                    : c instanceof Cond.Rate ? "a first connection (under the limit)" : "this connection";
            return c.text() + " does not hold for " + what;
        }
        return null;
    }
}
