package org.aiscan.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Remedy;
import org.aiscan.model.Severity;
import org.jspecify.annotations.Nullable;

/**
 * The diagnoses of one host as the detectors find them: each is made from its code's policy entry
 * (severity, sentence, remediation kinds, or those of a named variant), typed parameters and the
 * evidence lines, then kept once per (code, address, port, sentence).
 */
final class Findings {
    private final AuditPolicy policy;
    private final String host;
    private final List<Diagnosis> out = new ArrayList<>();

    Findings(AuditPolicy policy, String host) {
        this.policy = policy;
        this.host = host;
    }

    /** A finding with the code's own sentence. */
    void add(DiagnosisCode code, @Nullable Address ip, int port, @Nullable String proto, @Nullable String severity, List<EvidenceLine> evidence,
             Map<String, String> params,
             Map<String, String> fill) {
        add(code, null, ip, port, proto, severity, evidence, params, fill);
    }

    /**
     * A finding: {@code variant} names one of the code's variants in the policy (null for the code
     * itself); {@code severity} overrides a {@code from-…} severity (medium when it names none, as
     * when it is missing); {@code fill} fills the sentence's placeholders, {@code params} the
     * remediation steps.
     */
    void add(DiagnosisCode code, @Nullable String variant, @Nullable Address ip, int port, @Nullable String proto, @Nullable String severity,
             List<EvidenceLine> evidence,
             Map<String, String> params, Map<String, String> fill) {
        AuditPolicy.Code c = policy.code(code).variant(variant);
        String sev = severity;
        if (sev == null || !c.severity().startsWith("from-")) {
            sev = c.severity().startsWith("from-") ? "medium" : c.severity();
        }
        Map<String, String> values = new LinkedHashMap<>(fill);
        values.putIfAbsent("port", String.valueOf(port));
        values.putIfAbsent("family", ip == null ? "" : ip.isV6() ? "6" : "4");
        String why = c.why();
        for (Map.Entry<String, String> e : values.entrySet()) {
            why = why.replace("{" + e.getKey() + "}", e.getValue());
        }
        List<Remedy> remedies = new ArrayList<>();
        for (String kind : c.remediation()) {
            remedies.add(new Remedy(kind, params));
        }
        List<EvidenceLine> ev = EvidenceIndex.distinct(evidence.stream().filter(Objects::nonNull).toList());
        Severity level = Severity.of(sev);
        out.add(new Diagnosis(code, host, ip, port, port > 0 ? (proto == null ? "tcp" : proto) : null, level == null ? Severity.MEDIUM : level,
                why, ev, remedies));
    }

    /** One diagnosis per (code, address, port, protocol, sentence), in the order found. */
    List<Diagnosis> all() {
        Map<String, Diagnosis> m = new LinkedHashMap<>();
        for (Diagnosis d : out) {
            m.putIfAbsent(d.code() + "|" + d.ip() + "|" + d.port() + "|" + d.proto() + "|" + d.why(), d);
        }
        return new ArrayList<>(m.values());
    }

    static Map<String, String> params(Address ip, int port, String proto) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ip", ip.toString());
        m.put("family", ip.isV6() ? "6" : "4");
        m.put("port", String.valueOf(port));
        m.put("proto", proto);
        return m;
    }
}
