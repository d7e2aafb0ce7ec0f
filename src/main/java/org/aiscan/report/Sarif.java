package org.aiscan.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Fix;
import org.aiscan.model.Remedy;
import org.aiscan.model.Severity;
import org.aiscan.model.audit.CodeDescription;
import org.jspecify.annotations.Nullable;

/**
 * The diagnoses as SARIF 2.1.0 (what code-scanning dashboards and CI annotate with): one rule per
 * diagnosis code (its policy sentence, catalogue entry and a {@code security-severity} for GitHub),
 * one result per diagnosis at a logical location ({@code host/ip:port}), the evidence lines and the
 * remediation in the result's properties, and a partial fingerprint stable across runs.
 */
public final class Sarif {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Sarif() {
    }

    /** {@code policy} describes each code (the audit policy's {@code code}). */
    public static void write(Report r, Function<DiagnosisCode, ? extends CodeDescription> policy, Writer out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.useDefaultPrettyPrinter();
        List<DiagnosisCode> codes = new ArrayList<>();
        for (Diagnosis d : r.audit().diagnoses()) {
            if (!codes.contains(d.code())) {
                codes.add(d.code());
            }
        }
        codes.sort(null); // in the order of the codes (DESIGN.md §3)
        g.writeStartObject();
        g.writeStringField("$schema", SCHEMA);
        g.writeStringField("version", "2.1.0");
        g.writeArrayFieldStart("runs");
        g.writeStartObject();
        g.writeObjectFieldStart("tool");
        g.writeObjectFieldStart("driver");
        g.writeStringField("name", "aiscan");
        g.writeStringField("semanticVersion", semver(r.version()));
        g.writeStringField("version", r.version() == null ? "unknown" : r.version());
        g.writeArrayFieldStart("rules");
        for (DiagnosisCode c : codes) {
            CodeDescription pc = policy.apply(c);
            g.writeStartObject();
            g.writeStringField("id", c.name());
            g.writeStringField("name", camel(c.name()));
            text(g, "shortDescription", c.name().replace('_', ' ').toLowerCase(Locale.ROOT));
            text(g, "fullDescription", pc.why().replaceAll("\\{[a-z]+}", "…"));
            g.writeObjectFieldStart("defaultConfiguration");
            g.writeStringField("level", level(pc.severity().startsWith("from-") ? "high" : pc.severity()));
            g.writeEndObject();
            g.writeObjectFieldStart("properties");
            g.writeStringField("catalog", pc.catalog());
            g.writeArrayFieldStart("tags");
            g.writeString("security");
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeArrayFieldStart("invocations");
        g.writeStartObject();
        g.writeBooleanField("executionSuccessful", r.scan().complete());
        g.writeStringField("startTimeUtc", r.scan().run().started().toString());
        if (r.scan().summary() != null) {
            g.writeStringField("endTimeUtc", r.scan().summary().finished().toString());
        }
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("results");
        for (Diagnosis d : r.audit().diagnoses()) {
            g.writeStartObject();
            g.writeStringField("ruleId", d.code().name());
            g.writeNumberField("ruleIndex", codes.indexOf(d.code()));
            g.writeStringField("level", level(d.severity().label()));
            text(g, "message", d.why());
            g.writeArrayFieldStart("locations");
            g.writeStartObject();
            g.writeArrayFieldStart("logicalLocations");
            g.writeStartObject();
            g.writeStringField("name", d.where());
            g.writeStringField("fullyQualifiedName", d.host() + "/" + d.where());
            g.writeStringField("kind", "resource");
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeObjectFieldStart("partialFingerprints");
            g.writeStringField("aiscan/v1", fingerprint(d.code() + "|" + d.host() + "|" + d.ip() + "|" + d.port() + "|" + d.proto()));
            g.writeEndObject();
            g.writeObjectFieldStart("properties");
            g.writeStringField("severity", d.severity().label());
            g.writeStringField("security-severity", securitySeverity(d.severity()));
            g.writeStringField("host", d.host());
            if (d.ip() != null) {
                g.writeStringField("ip", d.ip().toString());
            }
            if (d.port() > 0) {
                g.writeNumberField("port", d.port());
            }
            g.writeArrayFieldStart("evidence");
            for (EvidenceLine e : d.evidence()) {
                g.writeString(e.toString());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("remediation");
            for (Remedy m : d.remediation()) {
                g.writeStartObject();
                g.writeStringField("kind", m.kind());
                for (Map.Entry<String, String> e : new java.util.TreeMap<>(m.params()).entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            List<Fix> fixes = r.fixesFor(d);
            if (!fixes.isEmpty()) {
                g.writeArrayFieldStart("fixes");
                for (Fix f : fixes) {
                    g.writeString(f.file() + ": " + f.title());
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }

    private static void text(JsonGenerator g, String field, String text) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    static String level(String severity) {
        return switch (severity) {
            case "critical", "high" -> "error";
            case "medium" -> "warning";
            default -> "note";
        };
    }

    /** GitHub code scanning reads a CVSS-like 0–10 score from the rule or result properties. */
    static String securitySeverity(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "0.0";
        };
    }

    private static String camel(String code) {
        StringBuilder b = new StringBuilder();
        for (String part : code.toLowerCase(Locale.ROOT).split("_")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    private static String semver(@Nullable String v) {
        String s = v == null ? "0.0.0" : v.replaceAll("[^0-9.].*$", "");
        return s.matches("\\d+\\.\\d+\\.\\d+") ? s : "0.0.0";
    }

    private static String fingerprint(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
