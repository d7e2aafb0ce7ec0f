package org.aiscan.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import org.aiscan.model.CveMatch;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Evidence;
import org.aiscan.model.PortResult;
import org.aiscan.model.Risk;
import org.aiscan.model.Service;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;

/**
 * The JSON Lines schema ({@value #SCHEMA}): every line is one object with {@code schema} and
 * {@code type}. Types: {@code run} (first line: how the scan was made), {@code port} (one per
 * endpoint, with {@code service}, {@code risk} and {@code cves} once fingerprinted), {@code summary}
 * (last line). Field names are snake_case and stable. Written with
 * Jackson's streaming generator: no object tree, nothing buffered beyond one line.
 */
public final class JsonLines {
    public static final String SCHEMA = "aiscan/1";
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonLines() {
    }

    /** A generator for a JSON Lines stream: one root object per line, no separator of its own. */
    public static JsonGenerator generator(Writer out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.setRootValueSeparator(null);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    public static void run(JsonGenerator g, ScanRun r) throws IOException {
        header(g, "run");
        g.writeStringField("time", r.started().toString());
        g.writeStringField("version", r.version());
        g.writeStringField("engine", r.engine());
        g.writeArrayFieldStart("targets");
        for (String t : r.targets()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeStringField("ports", r.ports());
        g.writeNumberField("addresses", r.addresses());
        g.writeNumberField("probes", r.probes());
        g.writeNumberField("seed", r.seed());
        g.writeStringField("shard", r.shard());
        g.writeNumberField("rate", r.rate());
        g.writeStringField("scanner_ip", r.scannerAddress());
        g.writeArrayFieldStart("scanner_ips");
        for (String a : r.scannerAddresses()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeStringField("states", r.allStates() ? "all" : "open");
        end(g);
    }

    public static void port(JsonGenerator g, Endpoint e) throws IOException {
        PortResult p = e.port();
        header(g, "port");
        g.writeStringField("time", p.time().toString());
        g.writeStringField("ip", p.address().toString());
        g.writeNumberField("port", p.port());
        g.writeStringField("proto", "tcp");
        g.writeStringField("state", p.state().label());
        g.writeStringField("reason", p.reason());
        if (p.rttMicros() >= 0) {
            g.writeNumberField("rtt_ms", Math.round(p.rttMicros() / 10.0) / 100.0);
        } else {
            g.writeNullField("rtt_ms");
        }
        Service s = e.service();
        if (s == null) {
            g.writeNullField("service");
        } else {
            service(g, s);
        }
        end(g);
    }

    private static void service(JsonGenerator g, Service s) throws IOException {
        g.writeObjectFieldStart("service");
        g.writeStringField("id", s.id());
        g.writeStringField("name", s.name());
        g.writeStringField("version", s.version());
        g.writeStringField("auth", s.auth());
        g.writeStringField("auth_detail", s.authDetail());
        g.writeStringField("confidence", s.confidence());
        g.writeBooleanField("tls", s.tls());
        g.writeArrayFieldStart("evidence");
        for (Evidence ev : s.evidence()) {
            g.writeStartObject();
            g.writeStringField("what", ev.what());
            g.writeStringField("request", ev.request());
            g.writeNumberField("status", ev.status());
            g.writeStringField("snippet", ev.snippet());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : s.notes()) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeEndObject();
        Risk r = s.risk();
        g.writeObjectFieldStart("risk");
        g.writeStringField("severity", r.severity());
        g.writeArrayFieldStart("reasons");
        for (String x : r.reasons()) {
            g.writeString(x);
        }
        g.writeEndArray();
        g.writeStringField("summary", r.summary());
        g.writeEndObject();
        g.writeArrayFieldStart("cves");
        for (CveMatch c : s.cves()) {
            g.writeStartObject();
            g.writeStringField("id", c.id());
            g.writeStringField("severity", c.severity());
            g.writeStringField("title", c.title());
            g.writeStringField("affected", c.affected());
            g.writeStringField("checked", c.checked());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    public static void summary(JsonGenerator g, ScanSummary s) throws IOException {
        header(g, "summary");
        g.writeStringField("time", s.finished().toString());
        g.writeNumberField("elapsed_s", Math.round(s.elapsedSeconds() * 1000) / 1000.0);
        g.writeNumberField("probes", s.probes());
        g.writeNumberField("decided", s.decided());
        g.writeNumberField("sent", s.sent());
        g.writeNumberField("open", s.open());
        g.writeNumberField("closed", s.closed());
        g.writeNumberField("filtered", s.filtered());
        g.writeBooleanField("complete", s.complete());
        g.writeStringField("stop_reason", s.stopReason());
        g.writeArrayFieldStart("warnings");
        for (String w : s.warnings()) {
            g.writeString(w);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : s.notes()) {
            g.writeString(n);
        }
        g.writeEndArray();
        end(g);
    }

    private static void header(JsonGenerator g, String type) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", SCHEMA);
        g.writeStringField("type", type);
    }

    private static void end(JsonGenerator g) throws IOException {
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
    }
}
