package org.aiscan.fingerprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.aiscan.grab.Limits;
import org.aiscan.grab.Request;
import org.aiscan.grab.Transport;
import org.aiscan.model.Address;
import org.aiscan.model.Service;

/**
 * Identifies the service on one endpoint. The order of play:
 * <ol>
 *   <li>{@link ProbePlan}: the identification requests of every rule, each distinct request once, in
 *       the order the rules are tried, under the safety policy and what the endpoint has shown;</li>
 *   <li>send them, {@link Scoring} every rule after each answer, and stop at the first product
 *       identified with high confidence, or when the endpoint's time budget is spent or it stops
 *       answering;</li>
 *   <li>for the winner, send its follow-up requests, then {@link Description}: version, auth state,
 *       disclosures, risk and CVEs.</li>
 * </ol>
 * Thread-safe: one instance serves all endpoints.
 */
public final class Fingerprinter {
    private final Ruleset rules;
    private final Transport transport;
    private final Limits limits;
    private final ProbePlan plan;
    private final Description description;
    /** Per host, when its time budget ends (System.nanoTime), fixed by its first endpoint. */
    private final ConcurrentHashMap<Address, Long> hostDeadlines = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, PortPlan> portPlans = new ConcurrentHashMap<>();

    public Fingerprinter(Ruleset rules, Transport transport, Limits limits) {
        this.rules = rules;
        this.transport = transport;
        this.limits = limits;
        this.plan = new ProbePlan(rules);
        this.description = new Description(rules);
    }

    public Ruleset rules() {
        return rules;
    }

    /** The service on {@code address:port}; never null (id null when nothing matched). */
    public Service identify(Address address, int port) {
        long now = System.nanoTime();
        long hostDeadline = hostDeadlines.computeIfAbsent(address, a -> now + limits.hostMillis() * 1_000_000L);
        Exchanges ex = new Exchanges(address, port, transport, Math.min(hostDeadline, now + limits.endpointMillis() * 1_000_000L),
                hostDeadline);
        PortPlan pp = portPlans.computeIfAbsent(port, this::portPlan);
        Scoring scoring = new Scoring(pp.ordered(), port, ex, new Matching());
        for (Request req : pp.requests()) {
            if (!ex.open()) {
                break;
            }
            if (ProbePlan.worthSending(req, ex) && plan.allowedNow(req, ex, id -> identifies(scoring, id), () -> product(scoring))) {
                ex.fetch(req);
                if (Scoring.decisive(scoring.best())) {
                    break;
                }
            }
        }
        Scoring.Hit best = scoring.best();
        if (best == null) {
            return Description.unidentified(ex, ex.open() ? "no rule matched" : ex.whyStopped());
        }
        followUps(best.rule(), ex, scoring);
        return description.of(best, scoring, ex);
    }

    private static boolean product(Scoring scoring) {
        Scoring.Hit best = scoring.best();
        return best != null && best.rule().kind() == Rule.Kind.PRODUCT;
    }

    /** The rules in the order they are tried on a port, and the identification requests that follow from it. */
    private record PortPlan(List<Rule> ordered, List<Request> requests) {
    }

    /** Worked out once per port: it depends on the port alone, and a scan meets each port on many hosts. */
    private PortPlan portPlan(int port) {
        List<Rule> ordered = new ArrayList<>(rules.rules());
        ordered.sort(Comparator.comparing((Rule r) -> !r.hints(port)).thenComparing(Rule::kind, Comparator.reverseOrder())
                .thenComparing(Comparator.comparingInt(Rule::priority).reversed()));
        return new PortPlan(List.copyOf(ordered), List.copyOf(plan.identification(ordered, port)));
    }

    private boolean identifies(Scoring scoring, String id) {
        Rule r = rules.get(id);
        return r != null && scoring.identifies(r) != null;
    }

    /**
     * Everything the winner's version extractors, auth states and disclosures look at, plus its
     * follow-ups: identification may have stopped before some of them were needed.
     */
    private void followUps(Rule rule, Exchanges ex, Scoring scoring) {
        LinkedHashSet<Rule.Probe> needed = new LinkedHashSet<>();
        rule.version().forEach(x -> needed.add(x.probe()));
        rule.auth().forEach(a -> a.match().forEach(m -> needed.add(m.probe())));
        rule.exposes().forEach(e -> needed.add(e.probe()));
        rule.probes().values().stream().filter(Rule.Probe::afterIdentify).forEach(needed::add);
        for (Rule.Probe p : needed) {
            if (!ex.open() || p.portOnly() && !rule.hints(ex.port) || !ProbePlan.worthSending(p.request(), ex)) {
                continue;
            }
            for (Request before : plan.prerequisites(p.request(), ex)) {
                if (ex.open() && plan.allowedNow(before, ex, id -> identifies(scoring, id), () -> product(scoring))) {
                    ex.fetch(before);
                }
            }
            if (plan.allowedNow(p.request(), ex, id -> identifies(scoring, id), () -> product(scoring))) {
                ex.fetch(p.request());
            }
        }
    }
}
