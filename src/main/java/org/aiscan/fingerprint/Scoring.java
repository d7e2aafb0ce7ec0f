package org.aiscan.fingerprint;

import java.util.List;
import org.aiscan.grab.Response;
import org.jspecify.annotations.Nullable;

/**
 * Which rules identify an endpoint on what it has answered so far, and which identification wins: a
 * product over a protocol over the generic catch-all, whatever their confidence (a product rule that
 * matches knows more than the protocol it speaks); within a kind the higher confidence, then the rule
 * that names the port, then the higher priority.
 */
final class Scoring {
    /** A rule and the alternative that identified the endpoint. */
    record Hit(Rule rule, Rule.Alternative alternative) {
    }

    private final List<Rule> ordered;
    private final int port;
    private final Exchanges ex;
    private final Matching matching;

    Scoring(List<Rule> ordered, int port, Exchanges ex, Matching matching) {
        this.ordered = ordered;
        this.port = port;
        this.ex = ex;
        this.matching = matching;
    }

    Matching matching() {
        return matching;
    }

    /** The first alternative of {@code r} that holds, or null. */
    Rule.@Nullable Alternative identifies(Rule r) {
        for (Rule.Alternative alt : r.identify()) {
            if (holds(alt.condition(), alt.match())) {
                return alt;
            }
        }
        return null;
    }

    /** Whether the matchers hold together, each on the answer to its own probe. */
    boolean holds(Rule.Condition condition, List<Matcher> ms) {
        boolean or = condition == Rule.Condition.OR;
        for (Matcher m : ms) {
            boolean h = holds(m);
            if (or && h) {
                return true;
            }
            if (!or && !h) {
                return false;
            }
        }
        return !or;
    }

    boolean holds(Matcher m) {
        return matching.holds(m, answer(m));
    }

    /** The answer to the matcher's probe, or null when it was not sent. */
    Response answer(Matcher m) {
        return ex.get(m.probe().request());
    }

    /** The winning identification so far, or null. */
    @Nullable Hit best() {
        Hit best = null;
        for (Rule r : ordered) {
            Rule.Alternative alt = identifies(r);
            if (alt != null) {
                Hit h = new Hit(r, alt);
                if (best == null || better(h, best)) {
                    best = h;
                }
            }
        }
        return best;
    }

    /** Whether nothing sent later could change the winner: a product identified with high confidence. */
    static boolean decisive(@Nullable Hit h) {
        return h != null && h.rule().kind() == Rule.Kind.PRODUCT && h.alternative().confidence() == Rule.Confidence.HIGH;
    }

    private boolean better(Hit a, Hit b) {
        if (a.rule().kind() != b.rule().kind()) {
            return a.rule().kind().compareTo(b.rule().kind()) > 0;
        }
        int c = a.alternative().confidence().compareTo(b.alternative().confidence());
        if (c != 0) {
            return c > 0;
        }
        if (a.rule().hints(port) != b.rule().hints(port)) {
            return a.rule().hints(port);
        }
        return a.rule().priority() > b.rule().priority();
    }
}
