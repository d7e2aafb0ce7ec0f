package org.aiscan.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Remedy;
import org.aiscan.model.Risk;
import org.aiscan.model.Severity;
import org.aiscan.model.Utf8;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.ListenerCheck;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.Reach;
import org.aiscan.model.audit.Vantage;
import org.jspecify.annotations.Nullable;

/**
 * The audit as JSON ({@value #SCHEMA}): {@code diagnoses} (the contract of DESIGN.md §3: code, ip,
 * port, severity, why, evidence, remediation), then per host the endpoints with observed and
 * predicted state, the listeners evaluated beyond the scan, and notes.
 */
public final class AuditJson {
    public static final String SCHEMA = "aiscan-audit/1";
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private AuditJson() {
    }

    /** Writes atomically (a temporary file, then a rename), or to stdout for {@code -}. */
    public static void write(AuditResult r, String target, Writer stdout) throws IOException {
        if (target.equals("-")) {
            write(r, stdout);
            stdout.flush();
            return;
        }
        Path file = Path.of(target).toAbsolutePath();
        Path tmp = Files.createTempFile(file.getParent(), ".aiscan-audit", ".tmp");
        try {
            try (Writer w = Utf8.writer(tmp)) {
                write(r, w);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(AuditResult r, Writer out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.useDefaultPrettyPrinter();
        g.writeStartObject();
        g.writeStringField("schema", SCHEMA);
        g.writeStringField("mode", r.predicted() ? "predicted" : "scan");
        g.writeStringField("scan", r.scanFile() == null ? null : r.scanFile().toString());
        g.writeBooleanField("scan_complete", r.scanComplete());
        g.writeObjectFieldStart("counts");
        for (Severity sev : Severity.ALL) {
            g.writeNumberField(sev.label(), r.count(sev));
        }
        g.writeEndObject();
        g.writeArrayFieldStart("diagnoses");
        for (Diagnosis d : r.diagnoses()) {
            diagnosis(g, d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("hosts");
        for (HostAudit h : r.hosts()) {
            host(g, h);
        }
        g.writeEndArray();
        addresses(g, "unmatched", r.unmatched());
        strings(g, "notes", r.notes());
        if (r.predicted()) {
            vantages(g, r);
        }
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }

    static void diagnosis(JsonGenerator g, Diagnosis d) throws IOException {
        g.writeStartObject();
        g.writeStringField("code", d.code().name());
        g.writeStringField("host", d.host());
        g.writeStringField("ip", d.ip() == null ? null : d.ip().toString());
        if (d.port() > 0) {
            g.writeNumberField("port", d.port());
            g.writeStringField("proto", d.proto());
        } else {
            g.writeNullField("port");
        }
        g.writeStringField("severity", d.severity().label());
        g.writeStringField("why", d.why());
        evidence(g, "evidence", d.evidence());
        g.writeArrayFieldStart("remediation");
        for (Remedy m : d.remediation()) {
            g.writeStartObject();
            g.writeStringField("kind", m.kind());
            g.writeObjectFieldStart("params");
            for (Map.Entry<String, String> e : m.params().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Without a scan: per vantage, its networks and source addresses and every endpoint it is predicted to reach. */
    private static void vantages(JsonGenerator g, AuditResult r) throws IOException {
        g.writeArrayFieldStart("vantages");
        for (Vantage v : r.vantages()) {
            g.writeStartObject();
            g.writeStringField("kind", v.kind().label());
            g.writeArrayFieldStart("networks");
            for (Cidr c : v.networks()) {
                g.writeString(c.toString());
            }
            g.writeEndArray();
            addresses(g, "sources", v.sources());
            g.writeArrayFieldStart("reachable");
            for (Reach x : r.reach()) {
                if (!x.vantage().equals(v.label())) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("host", x.host());
                g.writeStringField("ip", x.ip().toString());
                g.writeNumberField("port", x.port());
                g.writeStringField("proto", x.proto());
                prediction(g, x.prediction());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void host(JsonGenerator g, HostAudit h) throws IOException {
        g.writeStartObject();
        g.writeStringField("hostname", h.hostname());
        g.writeStringField("snapshot", h.snapshotFile() == null ? null : h.snapshotFile().toString());
        addresses(g, "addresses", h.addresses());
        addresses(g, "scanned", h.scanned());
        addresses(g, "scanner_sources", h.sources());
        g.writeNumberField("checked", h.checked());
        g.writeNumberField("agreeing", h.agreeing());
        g.writeArrayFieldStart("endpoints");
        for (EndpointCheck e : h.endpoints()) {
            g.writeStartObject();
            g.writeStringField("ip", e.ip().toString());
            g.writeNumberField("port", e.port());
            g.writeStringField("proto", e.proto());
            g.writeStringField("observed", e.observed().label());
            prediction(g, e.prediction());
            g.writeBooleanField("agrees", e.agrees());
            g.writeStringField("explanation", e.explanation());
            g.writeStringField("service", e.service() == null ? null : e.service().id());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("listeners");
        for (ListenerCheck l : h.listeners()) {
            g.writeStartObject();
            g.writeStringField("listener", l.listener().text().trim());
            g.writeStringField("proto", l.listener().proto());
            g.writeNumberField("port", l.listener().port());
            g.writeStringField("ip", l.ip().toString());
            prediction(g, l.prediction());
            g.writeEndObject();
        }
        g.writeEndArray();
        strings(g, "notes", h.notes());
        g.writeEndObject();
    }

    private static void prediction(JsonGenerator g, Prediction p) throws IOException {
        g.writeObjectFieldStart("predicted");
        g.writeStringField("state", p.state().label());
        g.writeBooleanField("uncertain", p.isUncertain());
        g.writeStringField("path", p.path().name());
        g.writeStringField("outcome", p.outcome().label());
        g.writeStringField("forwarded_to", p.forwardedTo());
        line(g, "decided_by", p.decidedBy());
        line(g, "dnat", p.dnat());
        evidence(g, "receivers", p.receivers());
        evidence(g, "rate_limits", p.rateLimits());
        evidence(g, "uncertain_rules", p.uncertain());
        g.writeEndObject();
    }

    private static void line(JsonGenerator g, String field, @Nullable EvidenceLine e) throws IOException {
        if (e == null) {
            g.writeNullField(field);
            return;
        }
        g.writeFieldName(field);
        evidenceLine(g, e);
    }

    private static void evidence(JsonGenerator g, String field, List<EvidenceLine> ev) throws IOException {
        g.writeArrayFieldStart(field);
        for (EvidenceLine e : ev) {
            evidenceLine(g, e);
        }
        g.writeEndArray();
    }

    private static void evidenceLine(JsonGenerator g, EvidenceLine e) throws IOException {
        g.writeStartObject();
        g.writeStringField("source", e.source());
        g.writeNumberField("line", e.line());
        g.writeStringField("text", e.text());
        g.writeEndObject();
    }

    private static void addresses(JsonGenerator g, String field, List<Address> as) throws IOException {
        g.writeArrayFieldStart(field);
        for (Address a : as) {
            g.writeString(a.toString());
        }
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, String field, List<String> ss) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : ss) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
