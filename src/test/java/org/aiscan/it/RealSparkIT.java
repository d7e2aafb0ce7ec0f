package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.TreeSet;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.fingerprint.SafetyPolicy;
import org.aiscan.lab.Lab;
import org.aiscan.it.RealProductsIT.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Apache Spark (spark-core_2.13 from Maven Central, fetched and cached by
 * test-fixtures/realprod/spark.sh), started in a network namespace that holds nothing but loopback:
 * a standalone master (UI 8080, 7077), a worker (UI 8081) and an application (UI 4040). aiscan scans
 * the namespace's 127.0.0.1 without {@code -p}, as a new user would; each UI must be found on its
 * default port as spark, open, with the version Spark itself shows (the master's and worker's page,
 * the application's /api/v1/version), which is also the version spark.sh fetched. The test skips,
 * saying why, only when Maven Central cannot supply the jars.
 */
class RealSparkIT {
    static final Path SCRIPT = Lab.ROOT.resolve("test-fixtures/realprod/spark.sh");
    static final ObjectMapper JSON = new ObjectMapper();


    static final Map<String, Variant> started = new LinkedHashMap<>();
    static String fetched;
    static Map<String, JsonNode> scan;
    static Path logs;

    @BeforeAll
    static void up() throws Exception {
        for (Variant v : RealProductsIT.up(SCRIPT, "RealSparkIT", 900)) {
            started.put(v.variant(), v);
        }
        logs = Path.of(Lab.run(List.of(SCRIPT.toString(), "logdir"), 10).out().strip());
        fetched = Lab.run(List.of(SCRIPT.toString(), "version"), 10).out().strip();
        String ns = started.values().iterator().next().ns();
        scan = RealProductsIT.scan(Files.createTempDirectory("realspark"), ns, List.of("127.0.0.1"), null);
    }

    @AfterAll
    static void down() throws Exception {
        if (Lab.isRoot()) {
            Lab.run(List.of(SCRIPT.toString(), "down"), 120);
        }
    }

    static Variant variant(String name) {
        Variant v = started.get(name);
        assertNotNull(v, name + " was not started: " + started.keySet());
        return v;
    }

    static JsonNode service(Variant v) {
        JsonNode line = scan.get(v.addr() + " " + v.port());
        assertNotNull(line, v + " was not found by a scan without -p: " + scan.keySet());
        return line.get("service");
    }

    /** A request from the test itself (not from aiscan), inside the namespace. */
    static String get(Variant v, String path) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", v.ns(), "curl", "-sS", "--max-time", "20",
                "http://" + v.addr() + ":" + v.port() + path));
        Lab.Run r = Lab.run(cmd, 30);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    /** The version a master's or worker's page shows in its header. */
    static String pageVersion(Variant v) throws Exception {
        Matcher m = Pattern.compile("<span class=\"version\"[^>]*>([^<]+)</span>").matcher(get(v, "/"));
        assertTrue(m.find(), v + ": its page shows no version");
        return m.group(1);
    }

    @Test
    void everySparkUiIsFoundOnItsDefaultPortAsSparkShowsItself() throws Exception {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("master", pageVersion(variant("master")));
        shown.put("worker", pageVersion(variant("worker")));
        shown.put("app", JSON.readTree(get(variant("app"), "/api/v1/version")).get("spark").asText());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : shown.entrySet()) {
            assertEquals(fetched, e.getValue(), e.getKey() + " runs the Spark spark.sh fetched");
            JsonNode s = service(variant(e.getKey()));
            String got = s.get("id").asText() + " auth=" + s.get("auth").asText() + "/" + s.path("auth_detail").asText("-") + " version="
                    + s.path("version").asText("-");
            String want = "spark auth=none/open version=" + e.getValue();
            System.out.printf("RealSparkIT: %-7s %s %s (Spark says %s)%n", e.getKey(), want.equals(got) ? "ok   " : "WRONG", got, e.getValue());
            if (!want.equals(got)) {
                wrong.add(e.getKey() + ": want " + want + ", got " + got);
            }
        }
        assertTrue(wrong.isEmpty(), "identified wrongly: " + wrong);
    }

    @Test
    void theMastersOwnStateIsWhatAiscanReadsAndItAsksForNoCredentials() throws Exception {
        Variant master = variant("master");
        // the product's own answer: its state, without credentials, naming the worker that registered
        JsonNode state = JSON.readTree(get(master, "/json/"));
        assertEquals("spark://127.0.0.1:7077", state.get("url").asText(), state.toString());
        assertEquals("ALIVE", state.get("status").asText(), state.toString());
        assertEquals(1, state.get("aliveworkers").asInt(), "the worker registered: " + state);
        JsonNode s = service(master);
        assertEquals("high", s.get("confidence").asText(), s.toString());
        assertTrue(s.get("evidence").toString().contains("GET /json/"), "the master's state is the evidence: " + s.get("evidence"));
        // the worker's own state names the master
        JsonNode worker = JSON.readTree(get(variant("worker"), "/json/"));
        assertEquals("spark://127.0.0.1:7077", worker.get("masterurl").asText(), worker.toString());
    }

    /**
     * Every request aiscan sent (its User-Agent names it; spark.sh's readiness checks and this test's own
     * requests are curl's), read from spark.sh's capture: a GET of a path the safety policy allows,
     * without a query.
     */
    @Test
    void everyRequestOnTheWireIsAnAllowedGet() throws Exception {
        SafetyPolicy safety = RuleLoader.load(Lab.ROOT.resolve("rulesets")).ruleset().safety();
        Pattern request = Pattern.compile("(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE) (/\\S*) HTTP/1\\.[01]\\r?\\n((?:[^\\r\\n]+\\r?\\n)*)");
        Lab.Run r = Lab.run(List.of("tcpdump", "-nn", "-A", "-r", logs.resolve("wire.pcap").toString()), 120);
        assertEquals(0, r.code(), r.err());
        TreeSet<String> seen = new TreeSet<>();
        int count = 0;
        Matcher m = request.matcher(r.out());
        while (m.find()) {
            if (!m.group(3).contains("User-Agent: aiscan/")) {
                continue;
            }
            String path = m.group(2).replaceFirst("\\?.*", "");
            assertEquals("GET", m.group(1), "Spark received " + m.group(1) + " " + path + " from aiscan");
            assertNull(safety.forbidden(path), "Spark received a forbidden path: " + path);
            assertFalse(m.group(2).contains("?"), "aiscan sent a query: " + m.group(2));
            seen.add(path);
            count++;
        }
        assertTrue(count > 0, "the capture shows no request from aiscan");
        assertTrue(seen.contains("/json/"), "the master's state was asked for: " + seen);
        System.out.printf("RealSparkIT: %d requests from aiscan, all GETs of allowed paths (%d distinct)%n", count, seen.size());
    }
}
