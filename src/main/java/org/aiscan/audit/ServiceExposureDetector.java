package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.aiscan.fingerprint.Rule;
import org.aiscan.fingerprint.Ruleset;
import org.aiscan.model.Address;
import org.aiscan.model.Auth;
import org.aiscan.model.CveMatch;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.Evidence;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Observed;
import org.aiscan.model.PortState;
import org.aiscan.model.Risk;
import org.aiscan.model.Service;
import org.aiscan.model.audit.EndpointCheck;
import org.jspecify.annotations.Nullable;

/**
 * What an open, fingerprinted endpoint exposes by itself, whatever the firewall: a setup anyone can
 * finish (SETUP_TAKEOVER), an AI API or an admin endpoint without credentials, a control plane
 * behind nothing but its own login (ADMIN_ENDPOINT_EXPOSED, behind-login), Basic credentials over
 * plain HTTP, known vulnerabilities. Needs no snapshot: a scan alone gets these.
 */
final class ServiceExposureDetector implements Detector {
    private final AuditPolicy policy;
    private final Ruleset rules;

    ServiceExposureDetector(AuditPolicy policy, Ruleset rules) {
        this.policy = policy;
        this.rules = rules;
    }

    @Override
    public void detect(HostContext c, Findings out) {
        for (EndpointCheck e : c.host.endpoints()) {
            boolean reachable = e.open() || e.observed() == Observed.UNKNOWN && e.prediction().state() == PortState.OPEN;
            if (reachable && e.service() != null) {
                endpoint(e.ip(), e.port(), e.endpoint(), e.service(), out);
            }
        }
    }

    /** The service-level findings of one open endpoint. */
    void endpoint(Address ip, int port, String endpoint, Service s, Findings out) {
        if (s.id() == null) {
            return; // unidentified: no rule says what it is, so nothing service-specific can be said
        }
        Map<String, String> params = Findings.params(ip, port, "tcp");
        params.put("service", s.id());
        String category = HostContext.category(rules, s);
        List<EvidenceLine> ev = evidence(endpoint, s);
        String name = HostContext.serviceName(s);
        String detail = s.authDetail() == null ? "" : s.authDetail();
        if (detail.equals("setup-takeover") || detail.equals("registration-open")) {
            out.add(DiagnosisCode.SETUP_TAKEOVER, ip, port, "tcp", null, ev, params, Map.of("service", name, "risk", s.risk().summary()));
        } else if (s.access() == Auth.NONE) {
            String sev = specSeverity(s);
            if (policy.inClass("admin", category, List.of())) {
                out.add(DiagnosisCode.ADMIN_ENDPOINT_EXPOSED, ip, port, "tcp", sev, ev, params, Map.of("service", name, "risk", s.risk().summary()));
            } else if (policy.inClass("ai-api", category, s.risk().reasons())) {
                out.add(DiagnosisCode.UNAUTHENTICATED_AI_API, ip, port, "tcp", sev, ev, params, Map.of("service", name, "risk", s.risk().summary()));
            }
        } else if (s.access() == Auth.REQUIRED && detail.equals("product") && policy.inClass("control-plane", category, List.of())) {
            out.add(DiagnosisCode.ADMIN_ENDPOINT_EXPOSED, "behind-login", ip, port, "tcp", null, ev, params, Map.of("service", name));
        }
        if (s.access() == Auth.REQUIRED && !s.tls() && s.evidence().stream().anyMatch(x -> "auth".equals(x.what())
                && x.snippet() != null && x.snippet().toLowerCase(Locale.ROOT).matches("(?s).*\\bbasic\\b.*"))) {
            List<EvidenceLine> aev = new ArrayList<>(ev.subList(0, 1));
            for (Evidence x : s.evidence()) {
                if ("auth".equals(x.what())) {
                    aev.add(new EvidenceLine("scan", 0, x.request() + " -> " + x.status() + ": " + x.snippet()));
                }
            }
            out.add(DiagnosisCode.PLAINTEXT_BASIC_AUTH, ip, port, "tcp", null, aev, params, Map.of());
        }
        if (!s.cves().isEmpty()) {
            String worst = "info";
            List<String> ids = new ArrayList<>();
            List<EvidenceLine> cev = new ArrayList<>(ev);
            List<String> unverified = new ArrayList<>();
            for (CveMatch c : s.cves()) {
                ids.add(Objects.toString(c.id(), "?"));
                if (!c.verified()) {
                    unverified.add(Objects.toString(c.id(), "?"));
                }
                if (c.severity() != null && Risk.SEVERITIES.contains(c.severity()) && Risk.rank(c.severity()) < Risk.rank(worst)) {
                    worst = c.severity();
                }
                cev.add(new EvidenceLine("rules", 0, c.id() + " (" + Objects.toString(c.severity(), "severity unknown") + ", affects "
                        + Objects.toString(c.affected(), "?") + (c.verified() ? ", checked against " + c.checked()
                        : ", range not verified against an advisory") + "): " + Objects.toString(c.title(), "")));
            }
            String cves = String.join(", ", ids) + (unverified.isEmpty() ? ""
                    : " (" + (unverified.size() == ids.size() ? "no range" : "the range of " + String.join(", ", unverified) + " is")
                    + (unverified.size() == ids.size() ? " verified" : " not verified") + " against an advisory)");
            out.add(DiagnosisCode.KNOWN_CVE, ip, port, "tcp", worst, cev, params, Map.of("service", name, "version", versionText(s.version()),
                    "cves", cves));
        }
    }

    /** A version goes into a sentence only when it looks like one: it was read from a banner. */
    static String versionText(@Nullable String v) {
        return v != null && v.matches("[0-9A-Za-z][0-9A-Za-z.+_~-]{0,39}") ? v : "(version not shown)";
    }

    private String specSeverity(Service s) {
        Rule r = rules.get(s.id());
        return r == null || r.risk() == null ? s.risk().severity() : r.risk().severity();
    }

    private static List<EvidenceLine> evidence(String endpoint, Service s) {
        List<EvidenceLine> ev = new ArrayList<>();
        ev.add(new EvidenceLine("scan", 0, endpoint + " open: " + HostContext.serviceName(s) + (s.version() == null ? "" : " " + s.version())
                + ", auth " + s.auth() + (s.authDetail() == null ? "" : " (" + s.authDetail() + ")")));
        for (Evidence x : s.evidence()) {
            ev.add(new EvidenceLine("scan", 0, x.request() + " -> " + x.status() + ": " + x.snippet()));
            if (ev.size() >= 4) {
                break;
            }
        }
        return ev;
    }
}
