package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.lab.GroundTruthCheck;
import org.aiscan.lab.Lab;
import org.aiscan.lab.ScanOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Debian packages in a lab namespace (test-fixtures/lab/services.sh): Prometheus,
 * node_exporter, Jupyter with and without a token, Redis open and with a password, nginx's default
 * page and nginx basic auth in front of Prometheus. Versions come from the installed packages.
 */
class RealServicesIT {
    static Lab lab;
    static final Path SERVICES = Lab.ROOT.resolve("test-fixtures/lab/services.sh");

    @BeforeAll
    static void up() throws Exception {
        lab = Lab.up();
        Lab.Run r = Lab.run(List.of(SERVICES.toString(), "up"), 120);
        assertEquals(0, r.code(), "services.sh up failed: " + r.err());
    }

    @AfterAll
    static void down() throws Exception {
        Lab.run(List.of(SERVICES.toString(), "down"), 60);
        if (lab != null) {
            lab.close();
        }
    }

    /** The upstream version of an installed package: "5:7.0.15-1~deb12u1" gives "7.0.15". */
    static String packageVersion(String pkg) throws Exception {
        Lab.Run r = Lab.run(List.of("dpkg-query", "-W", "-f", "${Version}", pkg), 30);
        assertEquals(0, r.code(), "dpkg-query " + pkg + ": " + r.err());
        String v = r.out().trim().replaceFirst("^\\d+:", "");
        return v.split("[-+~]")[0];
    }

    @Test
    void eachServiceIsIdentifiedWithItsPackageVersionAndAuthState(@TempDir Path dir) throws Exception {
        Map<Integer, String[]> expected = new HashMap<>();
        for (String line : Lab.run(List.of(SERVICES.toString(), "list"), 30).out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4) {
                expected.put(Integer.parseInt(f[0]), f);
            }
        }
        assertEquals(8, expected.size());
        String ports = String.join(",", expected.keySet().stream().map(String::valueOf).toList());
        Path out = dir.resolve("svc.jsonl");
        Lab.Run r = GroundTruthCheck.aiscan(List.of("198.18.0.30", "-p", ports, "--jsonl", out.toString(), "-q"), 180);
        assertEquals(0, r.code(), r.err());
        Map<Integer, JsonNode> got = new HashMap<>();
        for (JsonNode p : ScanOutput.parse(Files.readString(out)).ports()) {
            got.put(p.get("port").asInt(), p);
        }
        for (Map.Entry<Integer, String[]> e : expected.entrySet()) {
            int port = e.getKey();
            String id = e.getValue()[1];
            String auth = e.getValue()[2];
            String pkg = e.getValue()[3];
            JsonNode p = got.get(port);
            assertNotNull(p, "port " + port + " not reported open");
            JsonNode s = p.get("service");
            assertEquals(id, s.get("id").asText(), "port " + port + ": " + s);
            assertEquals(auth, s.get("auth").asText(), "port " + port + ": " + s);
            String want = packageVersion(pkg);
            String version = s.get("version").asText();
            if (id.equals("http")) {
                assertEquals("nginx/" + want, version, "port " + port);
            } else if (!(id.equals("redis") && auth.equals("required"))) { // a password hides INFO
                assertTrue(version.startsWith(want), "port " + port + ": detected " + version + ", package " + want);
            }
        }
        assertEquals("proxy", got.get(8080).get("service").get("auth_detail").asText(), "nginx basic auth is a proxy");
        assertEquals("product", got.get(8889).get("service").get("auth_detail").asText(), "Jupyter's own token");
        assertEquals("open", got.get(8888).get("service").get("auth_detail").asText());
    }

    /**
     * The bench's F2 workload as a correctness test: the lab's /24 over the AI port set holds the
     * recorded services, the real ones and a host with ten hostile servers on AI ports; every known
     * service is identified as the lab's own list says (scored by fpscore.py, not by aiscan), and every
     * hostile endpoint is still written, with why identification stopped.
     */
    @Test
    void hostileServersAmongTheServicesChangeNoIdentification(@TempDir Path dir) throws Exception {
        Path truth = dir.resolve("fptruth.txt");
        Lab.Run t = Lab.run(List.of("python3", Lab.ROOT.resolve("test-fixtures/lab/fpscore.py").toString(), "truth"), 60);
        assertEquals(0, t.code(), t.err());
        Files.writeString(truth, t.out());
        Path out = dir.resolve("f2.jsonl");
        long t0 = System.nanoTime();
        Lab.Run r = GroundTruthCheck.aiscan(List.of("198.18.0.0/24", "-p", "ai-default,22,6380,8889", "--jsonl", out.toString(), "-q"), 180);
        System.out.printf("F2: /24 with hostile servers identified in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.code(), r.err());
        Lab.Run score = Lab.run(List.of("python3", Lab.ROOT.resolve("test-fixtures/lab/fpscore.py").toString(), "score", truth.toString(),
                "aiscan-jsonl", out.toString()), 60);
        String[] counts = score.out().trim().split("\\s+");
        assertEquals(counts[1], counts[0], "every known service identified: " + score.out() + score.err());
        assertTrue(Integer.parseInt(counts[1]) >= 20, score.out());
        Map<Integer, JsonNode> hostile = new HashMap<>();
        for (JsonNode p : ScanOutput.parse(Files.readString(out)).ports()) {
            if (p.get("ip").asText().equals("198.18.0.41")) {
                hostile.put(p.get("port").asInt(), p);
            }
        }
        assertEquals(java.util.Set.of(22, 443, 3000, 5000, 7860, 8000, 8188, 8888, 9090, 11434), hostile.keySet(), "every hostile endpoint written");
        for (int stalling : List.of(22, 443, 5000, 8000, 11434)) {
            JsonNode notes = hostile.get(stalling).get("service").get("notes");
            assertTrue(notes.toString().contains("the endpoint stalled"), stalling + ": " + notes);
        }
    }
}
