package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.fingerprint.SafetyPolicy;
import org.aiscan.fingerprint.fixture.Fixture;
import org.aiscan.fingerprint.fixture.FixtureRunner;
import org.aiscan.lab.GroundTruthCheck;
import org.aiscan.lab.Lab;
import org.aiscan.lab.ScanOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fingerprinting against the lab: its hosts replay recorded fixtures (hosts.conf says which, and each
 * fixture's "expect" is the truth), its listeners log every request (the recording), and one host
 * runs hostile servers.
 */
class FingerprintIT {
    static Lab lab;

    /** A lab port serving a fixture: address, port, fixture. */
    record Served(String address, int port, Fixture fixture, String name) {
    }

    @BeforeAll
    static void up() throws Exception {
        lab = Lab.up();
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /** What the lab serves where, from hosts.conf (dropped ports left out: they are filtered, not served). */
    static List<Served> served() throws Exception {
        List<Served> out = new ArrayList<>();
        for (String line : Files.readAllLines(Lab.ROOT.resolve("test-fixtures/lab/hosts.conf"))) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            List<String> dropped = f.length > 3 ? List.of(f[3].split(",")) : List.of();
            for (String spec : f[2].split(",")) {
                if (!spec.contains("=") || dropped.contains(spec.substring(0, spec.indexOf('=')))) {
                    continue;
                }
                int port = Integer.parseInt(spec.substring(0, spec.indexOf('=')));
                String name = spec.substring(spec.indexOf('=') + 1);
                Fixture fx = FixtureRunner.read(Lab.ROOT.resolve("test-fixtures/fingerprints/" + name + ".yaml"));
                out.add(new Served("198.18.0." + f[1], port, fx, name));
                out.add(new Served("2001:2::" + f[1], port, fx, name));
            }
        }
        return out;
    }

    @Test
    void everyServedFixtureIsIdentifiedAsRecordedAndOnlySafeRequestsWereSent(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("fp.jsonl");
        Lab.Run r = GroundTruthCheck.aiscan(List.of("198.18.0.10-12", "2001:2::10-2001:2::12", "-p", "ai-default,22",
                "--jsonl", out.toString(), "-q"), 300);
        assertEquals(0, r.code(), r.err());
        Map<String, JsonNode> byEndpoint = new HashMap<>();
        for (JsonNode p : ScanOutput.parse(Files.readString(out)).ports()) {
            byEndpoint.put(p.get("ip").asText() + " " + p.get("port").asInt(), p);
        }
        List<Served> served = served();
        assertTrue(served.size() >= 20, "the lab serves fixtures on " + served.size() + " endpoints");
        for (Served s : served) {
            JsonNode p = byEndpoint.get(s.address() + " " + s.port());
            assertNotNull(p, "no record for " + s);
            JsonNode svc = p.get("service");
            Fixture.Expect e = s.fixture().expect();
            String where = s.address() + ":" + s.port() + " (" + s.name() + ")";
            assertEquals(e.id(), svc.get("id").asText(), where);
            if (e.version() != null) {
                assertEquals(e.version(), svc.get("version").asText(), where);
            }
            if (e.auth() != null) {
                assertEquals(e.auth(), svc.get("auth").asText(), where);
            }
            if (e.authDetail() != null) {
                assertEquals(e.authDetail(), svc.get("auth_detail").asText(), where);
            }
            assertTrue(p.get("risk").get("severity").isTextual(), where);
            assertTrue(svc.get("evidence").size() > 0, where + " has evidence");
        }

        // The recording: every request any lab listener received.
        SafetyPolicy safety = RuleLoader.load(Lab.ROOT.resolve("rulesets")).ruleset().safety();
        List<String> requests = List.of(lab.requests().split("\n"));
        assertTrue(requests.size() > served.size(), "the listeners recorded the requests");
        for (String line : requests) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ", 4);
            String what = f[2];
            if (what.equals("GET")) {
                String path = f[3].split(" ")[0];
                assertNull(safety.forbidden(path), "sent a forbidden request: " + line);
            } else {
                assertEquals("raw", what, "only GET or an allowed raw payload may be sent: " + line);
                String payload = f[3].replace("\\r", "\r").replace("\\n", "\n");
                assertTrue(safety.rawAllowed(payload), "raw payload not allowed: " + line);
            }
        }
    }

    @Test
    void plainListenersAreGenericHttp(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("plain.jsonl");
        Lab.Run r = GroundTruthCheck.aiscan(List.of("198.18.1.5", "-p", "8000,11434", "--jsonl", out.toString(), "-q"), 120);
        assertEquals(0, r.code(), r.err());
        for (JsonNode p : ScanOutput.parse(Files.readString(out)).ports()) {
            assertEquals("http", p.get("service").get("id").asText(), p.toString());
        }
    }

    @Test
    void hostileServersCostAtMostTheirBudgetAndDoNotDelayOthers(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("hostile.jsonl");
        int budgetMillis = 4000;
        Lab.Run r = Lab.run(List.of("/usr/bin/time", "-f", "peak-rss-kb %M", GroundTruthCheck.AISCAN.toString(),
                "198.18.0.40", "198.18.0.10", "-p", "7001-7007,8000,11434", "--endpoint-budget", String.valueOf(budgetMillis),
                "--request-timeout", "1500", "--jsonl", out.toString(), "-q"), 120);
        assertEquals(0, r.code(), r.err());
        ScanOutput scan = ScanOutput.parse(Files.readString(out));
        double elapsed = scan.summary().get("elapsed_s").asDouble();
        int hostile = 0;
        boolean hostileSeen = false;
        // the servers that hold a connection until a timeout (hostile.py's tarpit, drip and hugeheaders); the
        // others (garbage, a redirect loop, a body or a bomb cut at the size cap) fail fast and may come first
        List<Integer> stalling = List.of(7001, 7002, 7007);
        for (JsonNode p : scan.ports()) { // in the order they were written
            if (p.get("ip").asText().equals("198.18.0.10")) {
                // the good endpoints are identified and written before any stalling one gives up
                assertFalse(hostileSeen, p.get("port") + " was written after a stalling endpoint: the hostile ones delayed it; order: "
                        + scan.ports().stream().map(x -> x.get("ip").asText() + ":" + x.get("port") + " " + x.path("service").path("id").asText()
                        + " " + x.get("time").asText()).toList());
                assertTrue(p.get("service").get("id").asText().matches("vllm|ollama"), p.toString());
            } else {
                hostileSeen |= stalling.contains(p.get("port").asInt());
                hostile++;
            }
        }
        assertEquals(7, hostile, "every hostile endpoint is still reported");
        long rss = Long.parseLong(r.err().lines().filter(l -> l.startsWith("peak-rss-kb")).findFirst().orElseThrow().split(" ")[1]);
        // timings are printed, not asserted (test-fixtures/lab/bench.sh measures them)
        System.out.println("hostile servers: scan " + elapsed + " s with a " + budgetMillis + " ms budget, peak RSS " + rss / 1024 + " MB");
        assertTrue(rss < 600 * 1024, "memory stays bounded with hostile servers: peak RSS " + rss / 1024 + " MB");
    }
}
