package org.aiscan.fingerprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.aiscan.grab.Limits;
import org.aiscan.grab.Request;
import org.aiscan.grab.Response;
import org.aiscan.grab.Transport;
import org.aiscan.model.Address;
import org.aiscan.model.CveMatch;
import org.aiscan.model.Evidence;
import org.aiscan.model.Risk;
import org.aiscan.model.Service;

/**
 * Identifies the service on one endpoint. The order of play:
 * <ol>
 *   <li>collect the identification requests of every rule — rules that name this port first, then
 *       by priority — each distinct request once; a banner read first if any rule wants one;</li>
 *   <li>apply the safety policy: forbidden paths are never sent, guarded paths wait for the requests
 *       that rule a product out (GET / only after GET /info has shown it is not TGI);</li>
 *   <li>send them in that order, evaluating every rule after each answer, and stop at the first
 *       high-confidence identification by a specific (non-generic) rule, or when the endpoint's time
 *       budget is spent or it stops answering;</li>
 *   <li>for the best identification, send its follow-up requests, extract the version, decide the
 *       authentication state (the confirming read-only call is part of that), then risk and CVEs.</li>
 * </ol>
 * Thread-safe: one instance serves all endpoints.
 */
public final class Fingerprinter {
    /** Ports where TLS is tried first. */
    static final Set<Integer> TLS_FIRST = Set.of(443, 8443, 9443, 6443, 4443);
    /** Consecutive failed exchanges after which an endpoint is given up. */
    static final int MAX_FAILURES = 2;
    /** HTTP requests closed without a byte after which an endpoint gets no more HTTP (raw and banner probes go on). */
    static final int MAX_SILENT_CLOSES = 3;

    private final Ruleset rules;
    private final Transport transport;
    private final Limits limits;
    /** Per host, when its time budget ends (System.nanoTime), fixed by its first endpoint. */
    private final java.util.concurrent.ConcurrentHashMap<Address, Long> hostDeadlines = new java.util.concurrent.ConcurrentHashMap<>();

    public Fingerprinter(Ruleset rules, Transport transport, Limits limits) {
        this.rules = rules;
        this.transport = transport;
        this.limits = limits;
    }

    public Ruleset rules() {
        return rules;
    }

    /** The service on {@code address:port}; never null (id null when nothing matched). */
    public Service identify(Address address, int port) {
        return new Session(address, port).run();
    }

    private record Hit(Rule rule, Rule.Identify alternative) {
    }

    private final class Session {
        final Address address;
        final int port;
        final long deadline;
        final Map<String, Response> responses = new LinkedHashMap<>(); // by Request.describe()
        final Matching matching = new Matching();
        final List<String> notes = new ArrayList<>();
        Boolean tls;
        String certificate;
        int failures;
        int silentCloses;
        boolean gaveUp;

        final long hostDeadline;
        String stall;

        Session(Address address, int port) {
            this.address = address;
            this.port = port;
            long now = System.nanoTime();
            this.hostDeadline = hostDeadlines.computeIfAbsent(address, a -> now + limits.hostMillis() * 1_000_000L);
            this.deadline = Math.min(hostDeadline, now + limits.endpointMillis() * 1_000_000L);
        }

        /** Why identification stopped early, for the endpoint's notes. */
        String whyStopped() {
            if (stall != null) {
                return "the endpoint stalled (" + stall + "); no further requests were sent";
            }
            if (gaveUp) {
                return "the endpoint stopped answering";
            }
            if (System.nanoTime() >= hostDeadline && hostDeadline <= deadline) {
                return "the host's time budget ran out (--host-budget)";
            }
            return "the time budget ran out (--endpoint-budget)";
        }

        Service run() {
            List<Rule> ordered = new ArrayList<>(rules.rules());
            ordered.sort(Comparator.comparing((Rule r) -> !hinted(r)).thenComparing(Comparator.comparingInt(Rule::priority).reversed()));
            List<Request> plan = identificationPlan(ordered);
            for (Request req : plan) {
                if (gaveUp || System.nanoTime() >= deadline) {
                    break;
                }
                if (!allowedNow(req) || (req.kind() == Request.Kind.HTTP_GET && silentCloses >= MAX_SILENT_CLOSES)) {
                    continue;
                }
                fetch(req);
                Hit best = best(ordered);
                if (best != null && "high".equals(best.alternative().confidence()) && best.rule().priority() > 0) {
                    break;
                }
            }
            Hit best = best(ordered);
            if (best == null) {
                List<Evidence> ev = new ArrayList<>();
                String why = gaveUp || System.nanoTime() >= deadline ? whyStopped() : "no rule matched";
                responses.values().stream().findFirst().ifPresent(r -> ev.add(evidence(r, r.error() != null ? r.error()
                        : Matching.clean(r.text(), 120), "identify")));
                notes.add("unidentified: " + why);
                return new Service(null, null, null, Service.AUTH_UNKNOWN, null, "low", ev, new Risk("info", List.of(),
                        "An open port whose service could not be identified."), List.of(), Boolean.TRUE.equals(tls), notes);
            }
            return describe(best);
        }

        boolean hinted(Rule r) {
            return r.ports() != null && r.ports().contains(port);
        }

        List<Request> identificationPlan(List<Rule> ordered) {
            LinkedHashSet<Request> plan = new LinkedHashSet<>();
            for (Rule r : ordered) {
                for (Rule.Probe p : r.probes().values()) {
                    if (Boolean.TRUE.equals(p.banner())) {
                        plan.add(Request.banner()); // a server that speaks first must be heard before anything is sent
                    }
                }
            }
            for (Rule r : ordered) {
                for (Rule.Identify alt : r.identify()) {
                    for (Rule.Matcher m : alt.match()) {
                        Rule.Probe p = r.probes().get(m.probe());
                        if (Boolean.TRUE.equals(p.portOnly()) && !hinted(r)) {
                            continue;
                        }
                        plan.add(request(p));
                    }
                }
            }
            List<Request> list = new ArrayList<>(plan);
            // ordering guards: a guarded path moves behind the requests it waits for
            for (SafetyPolicy.Order o : rules.safety().order()) {
                Request guarded = Request.get(o.path());
                if (!list.remove(guarded)) {
                    continue;
                }
                int after = -1;
                for (String a : o.after()) {
                    Request ar = Request.get(a);
                    if (!list.contains(ar)) {
                        list.add(0, ar);
                    }
                    after = Math.max(after, list.indexOf(ar));
                }
                list.add(after + 1, guarded);
            }
            return list;
        }

        /**
         * The requests a guarded path waits for (GET / waits for GET /info), sent now if identification
         * stopped before them, so that the guard can decide (a follow-up of the winner must not be
         * skipped only because the winner was found early).
         */
        void fetchPrerequisites(Request req) {
            if (req.kind() != Request.Kind.HTTP_GET) {
                return;
            }
            for (SafetyPolicy.Order o : rules.safety().order()) {
                if (!SafetyPolicy.normalise(o.path()).equals(SafetyPolicy.normalise(req.path()))) {
                    continue;
                }
                for (String a : o.after()) {
                    Request before = Request.get(a);
                    if (!responses.containsKey(before.describe()) && !gaveUp && System.nanoTime() < deadline && allowedNow(before)) {
                        fetch(before);
                    }
                }
            }
        }

        /** The safety policy at send time: forbidden paths never go out; guarded ones only once allowed. */
        boolean allowedNow(Request req) {
            if (req.kind() == Request.Kind.HTTP_GET && rules.safety().forbidden(req.path()) != null) {
                return false;
            }
            if (req.kind() == Request.Kind.RAW && !rules.safety().rawAllowed(req.payload())) {
                return false;
            }
            if (req.kind() == Request.Kind.HTTP_GET) {
                for (SafetyPolicy.Order o : rules.safety().order()) {
                    if (!SafetyPolicy.normalise(o.path()).equals(SafetyPolicy.normalise(req.path()))) {
                        continue;
                    }
                    for (String a : o.after()) {
                        if (!responses.containsKey(Request.get(a).describe())) {
                            return false;
                        }
                    }
                    for (String id : o.unlessIdentified()) {
                        Rule r = rules.get(id);
                        if (r != null && identifies(r) != null) {
                            notes.add("skipped GET " + req.path() + ": " + o.why());
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        Request request(Rule.Probe p) {
            if (p.path() != null) {
                return Request.get(p.path());
            }
            if (p.send() != null) {
                return Request.raw(p.send());
            }
            return Request.banner();
        }

        Response fetch(Request req) {
            Response known = responses.get(req.describe());
            if (known != null) {
                return known;
            }
            Response r;
            if (req.kind() != Request.Kind.HTTP_GET) {
                r = transport.exchange(address, port, req, false, deadline);
            } else if (tls != null) {
                r = transport.exchange(address, port, req, tls, deadline);
            } else {
                boolean first = TLS_FIRST.contains(port);
                r = transport.exchange(address, port, req, first, deadline);
                if (needsTls(r) || (!r.isHttp() && r.body().length == 0 && (r.ok() || looksClosedByTls(r)))) {
                    Response other = transport.exchange(address, port, req, !first, deadline);
                    if (other.isHttp() || other.body().length > 0) {
                        r = other;
                    }
                }
                if (r.isHttp() || r.body().length > 0) {
                    tls = r.tls(); // settled: this endpoint speaks (or does not speak) TLS
                    if (r.tls() && r.certificate() != null) {
                        certificate = r.certificate();
                    }
                } else {
                    tls = false; // neither answered: not TLS either; later requests stay plain
                }
            }
            if (req.kind() == Request.Kind.HTTP_GET && !r.isHttp() && r.body().length == 0 && r.error() == null) {
                silentCloses++;
            }
            responses.put(req.describe(), r);
            if (r.stalled()) {
                // a tarpit or a drip costs its limit once, not once per request
                stall = req.describe() + ": " + r.error().substring(Response.STALLED.length());
                gaveUp = true;
            } else if (r.ok() || r.isHttp() || r.body().length > 0) {
                failures = 0;
            } else if (++failures >= MAX_FAILURES) {
                gaveUp = true;
            }
            return r;
        }

        /** An answer that says "speak TLS to me" over plain HTTP. */
        boolean needsTls(Response r) {
            if (r.tls()) {
                return false;
            }
            if (r.body().length > 0 && r.body()[0] == 0x15 && r.status() == 0) {
                return true; // a TLS alert record
            }
            String t = r.text();
            return r.status() == 400 && (t.contains("plain HTTP request was sent to HTTPS port") || t.contains("HTTP request to an HTTPS server")
                    || t.contains("speaking plain HTTP to an SSL-enabled server"));
        }

        boolean looksClosedByTls(Response r) {
            return r.error() != null && r.error().contains("reset") && r.body().length == 0;
        }

        Rule.Identify identifies(Rule r) {
            for (Rule.Identify alt : r.identify()) {
                if (holds(alt.condition(), alt.match(), r)) {
                    return alt;
                }
            }
            return null;
        }

        boolean holds(String condition, List<Rule.Matcher> ms, Rule r) {
            boolean or = "or".equals(condition);
            for (Rule.Matcher m : ms) {
                Response resp = responses.get(request(r.probes().get(m.probe())).describe());
                boolean h = matching.holds(m, resp);
                if (or && h) {
                    return true;
                }
                if (!or && !h) {
                    return false;
                }
            }
            return !or;
        }

        Hit best(List<Rule> ordered) {
            Hit best = null;
            for (Rule r : ordered) {
                Rule.Identify alt = identifies(r);
                if (alt == null) {
                    continue;
                }
                Hit h = new Hit(r, alt);
                if (best == null || better(h, best)) {
                    best = h;
                }
            }
            return best;
        }

        boolean better(Hit a, Hit b) {
            int ca = confidenceRank(a.alternative().confidence());
            int cb = confidenceRank(b.alternative().confidence());
            if (ca != cb) {
                return ca > cb;
            }
            if (hinted(a.rule()) != hinted(b.rule())) {
                return hinted(a.rule());
            }
            return a.rule().priority() > b.rule().priority();
        }

        Service describe(Hit hit) {
            Rule rule = hit.rule();
            // Everything the winner's version extractors and auth states look at, plus its follow-ups:
            // identification may have stopped before some of them were needed.
            LinkedHashSet<String> needed = new LinkedHashSet<>();
            nz(rule.version()).forEach(x -> needed.add(x.probe()));
            nz(rule.auth()).forEach(a -> a.match().forEach(m -> needed.add(m.probe())));
            rule.probes().forEach((name, p) -> {
                if (Boolean.TRUE.equals(p.afterIdentify())) {
                    needed.add(name);
                }
            });
            for (String name : needed) {
                Rule.Probe p = rule.probes().get(name);
                if (gaveUp || System.nanoTime() >= deadline || (Boolean.TRUE.equals(p.portOnly()) && !hinted(rule))) {
                    continue;
                }
                Request req = request(p);
                fetchPrerequisites(req);
                if (allowedNow(req)) {
                    fetch(req);
                }
            }
            if (stall != null) {
                notes.add(whyStopped());
            }
            List<Evidence> ev = new ArrayList<>();
            for (Rule.Matcher m : hit.alternative().match()) {
                Response r = responses.get(request(rule.probes().get(m.probe())).describe());
                if (r != null && matching.holds(m, r) && !Boolean.TRUE.equals(m.negative())) {
                    ev.add(evidence(r, matching.snippet(m, r), "identify"));
                }
            }
            if (hit.alternative().note() != null) {
                notes.add(hit.alternative().note());
            }
            String version = null;
            for (Rule.Extract x : nz(rule.version())) {
                Response r = responses.get(request(rule.probes().get(x.probe())).describe());
                String v = matching.extract(x, r);
                if (v != null) {
                    version = v;
                    ev.add(evidence(r, v, "version"));
                    break;
                }
            }
            String auth = Service.AUTH_UNKNOWN;
            String detail = null;
            String authEvidence = null;
            Rule.Auth matched = null;
            for (Rule.Auth a : nz(rule.auth())) {
                if (holds(a.condition(), a.match(), rule)) {
                    matched = a;
                    auth = a.state();
                    detail = a.detail();
                    authEvidence = a.evidence();
                    for (Rule.Matcher m : a.match()) {
                        Response r = responses.get(request(rule.probes().get(m.probe())).describe());
                        if (r != null && !Boolean.TRUE.equals(m.negative())) {
                            ev.add(evidence(r, (a.evidence() == null ? "" : a.evidence() + ": ") + matching.snippet(m, r), "auth"));
                        }
                    }
                    break;
                }
            }
            if ("generic".equals(rule.category()) && "proxy".equals(detail)) {
                List<String> usual = new ArrayList<>();
                for (Rule r : rules.rules()) {
                    if (!"generic".equals(r.category()) && hinted(r)) {
                        usual.add(r.name());
                    }
                }
                if (!usual.isEmpty()) {
                    notes.add("protected by an authenticating proxy; the product behind it is unconfirmed (port " + port
                            + " is the default of " + String.join(", ", usual) + ")");
                }
            }
            if (certificate != null) {
                ev.add(new Evidence("TLS handshake", 0, Matching.clean(certificate, 200), "tls"));
            }
            List<CveMatch> cves = cves(rule, version);
            String unknown = rule.scheme().unknownBecause(version);
            if (unknown != null && !rules.cves().forService(rule.id()).isEmpty()) {
                notes.add(unknown);
            }
            Risk risk = risk(rule, auth, detail, cves, authEvidence);
            if (matched != null && (matched.severity() != null || matched.summary() != null)) {
                risk = new Risk(matched.severity() != null && cves.isEmpty() ? matched.severity() : risk.severity(), risk.reasons(),
                        matched.summary() != null ? matched.summary() : risk.summary());
            }
            return new Service(rule.id(), rule.name(), version, auth, detail, hit.alternative().confidence(), ev, risk, cves,
                    Boolean.TRUE.equals(tls), notes);
        }

        Evidence evidence(Response r, String snippet, String what) {
            return new Evidence(r.request().describe(), r.status(), Matching.clean(snippet, 200), what);
        }
    }

    static int confidenceRank(String c) {
        return switch (c) {
            case "high" -> 3;
            case "medium" -> 2;
            default -> 1;
        };
    }

    List<CveMatch> cves(Rule rule, String version) {
        return rules.cves().matches(rule.id(), version, rule.scheme());
    }

    static Risk risk(Rule rule, String auth, String detail, List<CveMatch> cves, String authEvidence) {
        Rule.RiskSpec spec = rule.risk();
        String severity;
        List<String> reasons = new ArrayList<>();
        String summary;
        if ("setup-takeover".equals(detail)) {
            severity = "critical";
            reasons.add("takeover");
            reasons.addAll(nz(spec.impacts()));
            summary = "No administrator exists yet: the first visitor to sign up owns this " + rule.name() + ". " + spec.summary();
        } else if (Service.AUTH_NONE.equals(auth) || "registration-open".equals(detail)) {
            severity = spec.severity();
            reasons.addAll(nz(spec.impacts()));
            summary = ("registration-open".equals(detail) ? "Anyone can create an account. " : "") + spec.summary();
        } else if (Service.AUTH_REQUIRED.equals(auth)) {
            severity = spec.protectedSeverity() == null ? "low" : spec.protectedSeverity();
            summary = rule.name() + " is reachable but requires authentication" + ("proxy".equals(detail) ? " (a proxy in front)" : "") + ".";
        } else {
            severity = Risk.rank(spec.severity()) < Risk.rank("medium") ? "medium" : spec.severity();
            reasons.addAll(nz(spec.impacts()));
            summary = "Authentication state unknown. If open: " + spec.summary();
        }
        for (CveMatch c : cves) {
            if (Risk.rank(c.severity()) < Risk.rank(severity)) {
                severity = c.severity();
            }
        }
        if (!cves.isEmpty()) {
            reasons.add("known-cve");
        }
        return new Risk(severity.toLowerCase(Locale.ROOT), new ArrayList<>(new LinkedHashSet<>(reasons)), summary);
    }

    static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
