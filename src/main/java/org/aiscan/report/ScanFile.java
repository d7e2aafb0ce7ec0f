package org.aiscan.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.PortRanges;
import org.aiscan.model.Utf8;
import org.aiscan.model.CveMatch;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Evidence;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.Risk;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.model.Service;
import org.jspecify.annotations.Nullable;

/**
 * Reads a scan back from its JSON Lines ({@link JsonLines}) into a {@link ScanResult}: the run
 * record, every endpoint and the summary. A file cut short (no summary: the scan was interrupted)
 * is read as far as it goes and says so; a line that is not this schema fails with {@code file:line}.
 */
public final class ScanFile {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ScanFile() {
    }

    public static ScanResult read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(file + ": a folder, not a scan file (pass the --jsonl file of 'aiscan scan')");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no such scan file");
        }
        ScanRun run = null;
        ScanSummary summary = null;
        List<Endpoint> endpoints = new ArrayList<>();
        boolean nonOpen = false;
        try (BufferedReader r = Utf8.reader(file, file.toString())) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o;
                try {
                    o = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new InvalidInputException(file + ":" + n + ": not JSON (" + e.getOriginalMessage() + ")");
                }
                if (o == null || !o.isObject() || !JsonLines.SCHEMA.equals(o.path("schema").asText())) {
                    throw new InvalidInputException(file + ":" + n + ": not an aiscan scan line (expected \"schema\":\"" + JsonLines.SCHEMA
                            + "\"); pass the --jsonl file of `aiscan scan`");
                }
                try {
                    switch (o.path("type").asText()) {
                        case "run" -> run = run(o);
                        case "port" -> {
                            Endpoint e = endpoint(o);
                            nonOpen |= e.port().state() != PortState.OPEN;
                            endpoints.add(e);
                        }
                        case "summary" -> summary = summary(o);
                        default -> {
                        }
                    }
                } catch (RuntimeException e) {
                    throw new InvalidInputException(file + ":" + n + ": " + e.getMessage());
                }
            }
        }
        if (run == null) {
            throw new InvalidInputException(file + ": no run record: not the output of `aiscan scan --jsonl`");
        }
        return new ScanResult(file, run, endpoints, summary, run.allStates() || nonOpen);
    }

    private static ScanRun run(JsonNode o) {
        List<String> targets = new ArrayList<>();
        o.path("targets").forEach(t -> targets.add(t.asText()));
        String ports = o.path("ports").asText("");
        if (!ports.isBlank()) {
            try {
                PortRanges.parse(ports);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the run record's ports are not a port list: " + e.getMessage());
            }
        }
        return new ScanRun(o.path("version").asText(null), Instant.parse(o.path("time").asText()), o.path("engine").asText(null),
                targets, ports, o.path("addresses").asLong(), o.path("probes").asLong(), o.path("seed").asLong(),
                o.path("shard").asText("0/1"), o.path("rate").asLong(), scanners(o), "all".equals(o.path("states").asText()));
    }

    private static List<String> scanners(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.path("scanner_ips").forEach(x -> out.add(x.asText()));
        if (out.isEmpty() && text(o, "scanner_ip") != null) {
            out.add(text(o, "scanner_ip"));
        }
        return out;
    }

    private static Endpoint endpoint(JsonNode o) {
        double rtt = o.path("rtt_ms").isNumber() ? o.path("rtt_ms").asDouble() : -1;
        PortResult pr = new PortResult(Address.parse(o.path("ip").asText()), o.path("port").asInt(),
                PortState.fromLabel(o.path("state").asText()), o.path("reason").asText(""), rtt < 0 ? -1 : Math.round(rtt * 1000),
                Instant.parse(o.path("time").asText()));
        JsonNode s = o.path("service");
        if (!s.isObject()) {
            return new Endpoint(pr, null);
        }
        List<Evidence> ev = new ArrayList<>();
        s.path("evidence").forEach(e -> ev.add(new Evidence(text(e, "request"), e.path("status").asInt(), text(e, "snippet"),
                text(e, "what"))));
        List<String> notes = new ArrayList<>();
        s.path("notes").forEach(x -> notes.add(x.asText()));
        JsonNode r = o.path("risk");
        List<String> reasons = new ArrayList<>();
        r.path("reasons").forEach(x -> reasons.add(x.asText()));
        Risk risk = new Risk(r.path("severity").asText("info"), reasons, r.path("summary").asText(""));
        List<CveMatch> cves = new ArrayList<>();
        o.path("cves").forEach(c -> cves.add(new CveMatch(text(c, "id"), text(c, "severity"), text(c, "title"), text(c, "affected"), text(c, "checked"))));
        Service svc = new Service(text(s, "id"), text(s, "name"), text(s, "version"), s.path("auth").asText(Service.AUTH_UNKNOWN),
                text(s, "auth_detail"), text(s, "confidence"), ev, risk, cves, s.path("tls").asBoolean(), notes);
        return new Endpoint(pr, svc);
    }

    private static ScanSummary summary(JsonNode o) {
        List<String> warnings = new ArrayList<>();
        o.path("warnings").forEach(x -> warnings.add(x.asText()));
        List<String> notes = new ArrayList<>();
        o.path("notes").forEach(x -> notes.add(x.asText()));
        return new ScanSummary(Instant.parse(o.path("time").asText()), o.path("elapsed_s").asDouble(), o.path("probes").asLong(),
                o.path("decided").asLong(), o.path("sent").asLong(), o.path("open").asLong(), o.path("closed").asLong(),
                o.path("filtered").asLong(), o.path("complete").asBoolean(), text(o, "stop_reason"), warnings, notes);
    }

    private static @Nullable String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
