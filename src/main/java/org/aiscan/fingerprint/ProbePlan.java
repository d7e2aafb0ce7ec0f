package org.aiscan.fingerprint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import org.aiscan.grab.Request;

/**
 * Which requests an endpoint gets, in which order, and whether each may go out now:
 * <ul>
 *   <li>a banner read first when any rule wants one (a server that speaks first must be heard before
 *       anything is sent);</li>
 *   <li>then each rule's identification requests, rules that name the port first, then by kind and
 *       priority; each distinct request once; a rule's port-only probes only on its ports;</li>
 *   <li>the safety policy at send time: forbidden paths never, raw payloads only from its list, a
 *       guarded path only after the requests it waits for and never once a rule it guards against
 *       has identified the endpoint (GET / never reaches TGI);</li>
 *   <li>what the endpoint has shown: once it answered HTTP it gets no raw payload of another
 *       protocol (a Redis PING is wasted on it, and an HTTP server waits for the rest of a request
 *       head that never comes); once it closed several requests without a byte it gets no more HTTP.</li>
 * </ul>
 */
final class ProbePlan {
    private final Ruleset rules;

    ProbePlan(Ruleset rules) {
        this.rules = rules;
    }

    /** The identification requests for an endpoint on {@code port}, given the rules in the order they are tried. */
    List<Request> identification(List<Rule> ordered, int port) {
        LinkedHashSet<Request> plan = new LinkedHashSet<>();
        for (Rule r : ordered) {
            for (Rule.Probe p : r.probes().values()) {
                if (p.request().kind() == Request.Kind.BANNER) {
                    plan.add(p.request());
                }
            }
        }
        for (Rule r : ordered) {
            for (Rule.Alternative alt : r.identify()) {
                for (Matcher m : alt.match()) {
                    if (!m.probe().portOnly() || r.hints(port)) {
                        plan.add(m.probe().request());
                    }
                }
            }
        }
        List<Request> list = new ArrayList<>(plan);
        // ordering guards: a guarded path moves behind the requests it waits for; repeated until no
        // guard moves anything, since moving one (GET / behind /info) can put it behind another that
        // waits for it (/sse waits for /)
        for (int round = 0; round <= rules.safety().order().size(); round++) {
            boolean moved = false;
            for (SafetyPolicy.Order o : rules.safety().order()) {
                Request guarded = Request.get(o.path());
                int at = list.indexOf(guarded);
                if (at < 0) {
                    continue;
                }
                int after = -1;
                for (String a : o.after()) {
                    Request ar = Request.get(a);
                    if (!list.contains(ar)) {
                        list.add(0, ar);
                        at++;
                        moved = true;
                    }
                    after = Math.max(after, list.indexOf(ar));
                }
                if (after > at) {
                    list.remove(at);
                    list.add(after, guarded);
                    moved = true;
                }
            }
            if (!moved) {
                break;
            }
        }
        return list;
    }

    /** Whether {@code req} is worth sending to this endpoint now, given what it has shown. */
    static boolean worthSending(Request req, Exchanges ex) {
        return switch (req.kind()) {
            case HTTP_GET -> ex.httpWorthSending();
            case RAW -> !ex.spokeHttp();
            case BANNER -> true;
        };
    }

    /**
     * The safety policy at send time: forbidden paths never go out; guarded ones only once allowed.
     *
     * @param identified whether the rule with this id identifies the endpoint on what was answered so far
     * @param product whether some product rule identifies it
     */
    boolean allowedNow(Request req, Exchanges ex, Predicate<String> identified, java.util.function.BooleanSupplier product) {
        if (req.kind() == Request.Kind.HTTP_GET && rules.safety().forbidden(req.path()) != null) {
            return false;
        }
        if (req.kind() == Request.Kind.RAW && !rules.safety().rawAllowed(req.payload())) {
            return false;
        }
        if (req.kind() == Request.Kind.HTTP_GET) {
            for (SafetyPolicy.Order o : guards(req)) {
                for (String a : o.after()) {
                    if (!ex.asked(Request.get(a))) {
                        return false;
                    }
                }
                for (String id : o.unlessIdentified()) {
                    if (identified.test(id)) {
                        ex.notes.add("skipped GET " + req.path() + ": " + o.why());
                        return false;
                    }
                }
                if (Boolean.TRUE.equals(o.unlessProduct()) && product.getAsBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The requests a guarded path waits for (GET / waits for GET /info) that were not sent yet: a
     * follow-up of the winner must not be skipped only because the winner was found early.
     */
    List<Request> prerequisites(Request req, Exchanges ex) {
        List<Request> out = new ArrayList<>();
        if (req.kind() == Request.Kind.HTTP_GET) {
            for (SafetyPolicy.Order o : guards(req)) {
                for (String a : o.after()) {
                    Request before = Request.get(a);
                    if (!ex.asked(before)) {
                        out.add(before);
                    }
                }
            }
        }
        return out;
    }

    private List<SafetyPolicy.Order> guards(Request req) {
        String path = SafetyPolicy.normalise(req.path());
        return rules.safety().order().stream().filter(o -> SafetyPolicy.normalise(o.path()).equals(path)).toList();
    }
}
