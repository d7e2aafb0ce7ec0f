package org.aiscan.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Address;

/** A parsed aiscan JSON Lines file. */
public record ScanOutput(JsonNode run, List<JsonNode> ports, JsonNode summary) {
    private static final ObjectMapper M = new ObjectMapper();

    public static ScanOutput parse(String jsonl) throws IOException {
        JsonNode run = null;
        JsonNode summary = null;
        List<JsonNode> ports = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = M.readTree(line);
            switch (n.path("type").asText()) {
                case "run" -> run = n;
                case "port" -> ports.add(n);
                case "summary" -> summary = n;
                default -> throw new IllegalArgumentException("unknown record type: " + line);
            }
        }
        return new ScanOutput(run, ports, summary);
    }

    /** State per endpoint; fails if an endpoint is reported twice. */
    public Map<Truth.Endpoint, String> states() {
        Map<Truth.Endpoint, String> m = new HashMap<>();
        for (JsonNode p : ports) {
            Truth.Endpoint e = new Truth.Endpoint(Address.parse(p.get("ip").asText()), p.get("port").asInt());
            String prev = m.put(e, p.get("state").asText());
            if (prev != null) {
                throw new AssertionError("endpoint reported twice: " + e);
            }
        }
        return m;
    }
}
