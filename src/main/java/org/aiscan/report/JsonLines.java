package org.aiscan.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.aiscan.model.PortResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;

/**
 * The JSON Lines schema ({@value #SCHEMA}): every line is one object with {@code schema} and
 * {@code type}. Types: {@code run} (first line: how the scan was made), {@code port} (one per
 * endpoint), {@code summary} (last line). Field names are snake_case and stable.
 */
public final class JsonLines {
    public static final String SCHEMA = "aiscan/1";
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonLines() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode run(ScanRun r) {
        ObjectNode o = header("run");
        o.put("time", r.started().toString());
        o.put("version", r.version());
        o.put("engine", r.engine());
        ArrayNode t = o.putArray("targets");
        r.targets().forEach(t::add);
        o.put("ports", r.ports());
        o.put("addresses", r.addresses());
        o.put("probes", r.probes());
        o.put("seed", r.seed());
        o.put("shard", r.shard());
        o.put("rate", r.rate());
        if (r.scannerAddress() != null) {
            o.put("scanner_ip", r.scannerAddress());
        } else {
            o.putNull("scanner_ip");
        }
        return o;
    }

    public static ObjectNode port(PortResult p) {
        ObjectNode o = header("port");
        o.put("time", p.time().toString());
        o.put("ip", p.address().toString());
        o.put("port", p.port());
        o.put("proto", "tcp");
        o.put("state", p.state().label());
        o.put("reason", p.reason());
        if (p.rttMicros() >= 0) {
            o.put("rtt_ms", Math.round(p.rttMicros() / 10.0) / 100.0);
        } else {
            o.putNull("rtt_ms");
        }
        o.putNull("service");
        return o;
    }

    public static ObjectNode summary(ScanSummary s) {
        ObjectNode o = header("summary");
        o.put("time", s.finished().toString());
        o.put("elapsed_s", Math.round(s.elapsedSeconds() * 1000) / 1000.0);
        o.put("probes", s.probes());
        o.put("decided", s.decided());
        o.put("sent", s.sent());
        o.put("open", s.open());
        o.put("closed", s.closed());
        o.put("filtered", s.filtered());
        o.put("complete", s.complete());
        if (s.stopReason() != null) {
            o.put("stop_reason", s.stopReason());
        } else {
            o.putNull("stop_reason");
        }
        ArrayNode w = o.putArray("warnings");
        s.warnings().forEach(w::add);
        ArrayNode n = o.putArray("notes");
        s.notes().forEach(n::add);
        return o;
    }

    private static ObjectNode header(String type) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("type", type);
        return o;
    }
}
