package org.aiscan.fingerprint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.aiscan.grab.Response;
import org.aiscan.model.CveMatch;
import org.aiscan.model.Evidence;
import org.aiscan.model.Risk;
import org.aiscan.model.Service;
import org.jspecify.annotations.Nullable;

/**
 * What an identified endpoint is, from the answers collected: version, authentication state,
 * what it discloses, risk, known vulnerabilities, and the evidence each rests on.
 */
final class Description {
    private final Ruleset rules;

    Description(Ruleset rules) {
        this.rules = rules;
    }

    /** The service of the winning identification; every follow-up request has been sent (or could not be). */
    Service of(Scoring.Hit hit, Scoring scoring, Exchanges ex) {
        Rule rule = hit.rule();
        Matching matching = scoring.matching();
        List<String> notes = new ArrayList<>(ex.notes);
        if (ex.stalled()) {
            notes.add(ex.whyStopped());
        }
        List<Evidence> ev = new ArrayList<>();
        for (Matcher m : hit.alternative().match()) {
            Response r = scoring.answer(m);
            if (r != null && !m.negative() && matching.holds(m, r)) {
                ev.add(evidence(r, matching.snippet(m, r), "identify"));
            }
        }
        if (hit.alternative().note() != null) {
            notes.add(hit.alternative().note());
        }
        String version = null;
        for (Extractor x : rule.version()) {
            Response r = ex.get(x.probe().request());
            String v = matching.extract(x, r);
            if (v != null) {
                version = v;
                ev.add(evidence(r, v, "version"));
                break;
            }
        }
        Rule.AuthState auth = null;
        for (Rule.AuthState a : rule.auth()) {
            if (scoring.holds(a.condition(), a.match())) {
                auth = a;
                for (Matcher m : a.match()) {
                    Response r = scoring.answer(m);
                    if (r != null && !m.negative() && (a.condition() == Rule.Condition.AND || matching.holds(m, r))) {
                        ev.add(evidence(r, (a.evidence() == null ? "" : a.evidence() + ": ") + matching.snippet(m, r), "auth"));
                    }
                }
                break;
            }
        }
        for (Rule.Exposure e : rule.exposes()) {
            Response r = ex.get(e.probe().request());
            List<String> values = matching.exposed(e, r);
            if (!values.isEmpty()) {
                ev.add(evidence(r, e.what() + ": " + String.join(", ", values), "exposes"));
            }
        }
        if (rule.kind() == Rule.Kind.GENERIC && auth != null && auth.detail() == Rule.AuthDetail.PROXY) {
            List<String> usual = new ArrayList<>();
            for (Rule r : rules.rules()) {
                if (r.kind() != Rule.Kind.GENERIC && r.hints(ex.port)) {
                    usual.add(r.name());
                }
            }
            if (!usual.isEmpty()) {
                notes.add("protected by an authenticating proxy; the product behind it is unconfirmed (port " + ex.port
                        + " is the default of " + String.join(", ", usual) + ")");
            }
        }
        if (ex.certificate() != null) {
            ev.add(new Evidence("TLS handshake", 0, Matching.clean(ex.certificate(), 200), "tls"));
        }
        List<CveMatch> cves = rules.cves().matches(rule.id(), version, rule.scheme());
        String line = rules.cves().readAs(rule.id(), version, rule.scheme());
        if (line != null) {
            notes.add(line);
        }
        String unknown = rule.scheme().unknownBecause(version);
        if (unknown != null && !rules.cves().forService(rule.id()).isEmpty()) {
            notes.add(unknown);
        }
        if (auth != null && auth.access() == Rule.Access.UNKNOWN) {
            notes.add("auth unknown: " + auth.evidence());
        }
        Risk risk = risk(rule, auth, cves);
        return new Service(rule.id(), rule.name(), version, auth == null ? Service.AUTH_UNKNOWN : auth.access().key(),
                auth == null || auth.detail() == null ? null : auth.detail().key(), hit.alternative().confidence().key(), ev, risk, cves,
                ex.tls(), notes);
    }

    /** The record of an endpoint no rule identified. */
    static Service unidentified(Exchanges ex, String why) {
        List<Evidence> ev = new ArrayList<>();
        ex.all().stream().findFirst().ifPresent(r -> ev.add(evidence(r, r.error() != null ? r.error() : Matching.clean(r.text(), 120),
                "identify")));
        List<String> notes = new ArrayList<>(ex.notes);
        notes.add("unidentified: " + why);
        return new Service(null, null, null, Service.AUTH_UNKNOWN, null, "low", ev, new Risk("info", List.of(),
                "An open port whose service could not be identified."), List.of(), ex.tls(), notes);
    }

    static Evidence evidence(Response r, String snippet, String what) {
        return new Evidence(r.request().describe(), r.status(), Matching.clean(redact(snippet), 200), what);
    }

    /**
     * What looks like a secret: 32 or more hex digits (MCP Inspector 2.x puts such a token in its
     * page), 32 or more letters and digits without a separator, 40 or more base64 characters, or a
     * token with a known key prefix ({@code sk-}, {@code hf_}, {@code ghp_}, …). A name made of words
     * and separators (a model's, {@code Meta-Llama-3.1-8B-Instruct-Q4_K_M}) is none of these.
     */
    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "\\b(?:sk|pk|rk|hf|ghp|gho|ghs|glpat|xox[bap])[-_][A-Za-z0-9_-]{16,}|\\bAKIA[0-9A-Z]{16}\\b"
                    + "|(?<![A-Za-z0-9_-])[0-9a-fA-F]{32,}(?![A-Za-z0-9_-])|(?<![A-Za-z0-9_-])[A-Za-z0-9]{32,}(?![A-Za-z0-9_-])"
                    + "|[A-Za-z0-9+/]{40,}={0,2}");

    /**
     * The snippet with anything that looks like a secret replaced: a report is handed on, and what a
     * server gives away must not travel further in it.
     */
    static String redact(String snippet) {
        return SECRET.matcher(snippet).replaceAll("[redacted]");
    }

    /**
     * The risk in the state found: the rule's severity when open, its protected severity behind a
     * login, at least medium when the state is unknown; setup takeover is critical; an auth state may
     * set its own severity and summary; a known vulnerability raises the severity to its own.
     */
    static Risk risk(Rule rule, Rule.@Nullable AuthState auth, List<CveMatch> cves) {
        Rule.RiskSpec spec = rule.risk();
        String severity;
        List<String> reasons = new ArrayList<>();
        String summary;
        Rule.AuthDetail detail = auth == null ? null : auth.detail();
        if (detail == Rule.AuthDetail.SETUP_TAKEOVER) {
            severity = "critical";
            reasons.add("takeover");
            reasons.addAll(spec.impacts());
            summary = "No administrator exists yet: the first visitor to sign up owns this " + rule.name() + ". " + spec.summary();
        } else if (auth != null && (auth.access() == Rule.Access.NONE || detail == Rule.AuthDetail.REGISTRATION_OPEN)) {
            severity = spec.severity();
            reasons.addAll(spec.impacts());
            summary = (detail == Rule.AuthDetail.REGISTRATION_OPEN ? "Anyone can create an account. " : "") + spec.summary();
        } else if (auth != null && auth.required()) {
            severity = spec.protectedSeverity();
            summary = rule.name() + " is reachable but requires authentication" + (detail == Rule.AuthDetail.PROXY ? " (a proxy in front)" : "")
                    + ".";
        } else { // no state matched, or the rule says this state cannot be decided
            severity = Risk.rank(spec.severity()) < Risk.rank("medium") ? "medium" : spec.severity();
            reasons.addAll(spec.impacts());
            summary = "Authentication state unknown. If open: " + spec.summary();
        }
        if (auth != null && auth.severity() != null && cves.isEmpty()) {
            severity = auth.severity();
        }
        if (auth != null && auth.summary() != null) {
            summary = auth.summary();
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
}
