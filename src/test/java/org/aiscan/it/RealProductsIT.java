package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.fingerprint.SafetyPolicy;
import org.aiscan.lab.GroundTruthCheck;
import org.aiscan.lab.Lab;
import org.aiscan.lab.ScanOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real products from npm, built and cached by test-fixtures/realprod/prepare.sh, run by realprod.sh
 * on 127.0.0.1 in a namespace that has nothing but loopback: llama.cpp's llama-server (open, with
 * --api-key, and in router mode) on a tiny random model, Chroma's Rust server and n8n 2.x. aiscan
 * scans them from inside that namespace; each is checked for the id, the version the product
 * itself reports, the auth state with and without credentials, and, from a capture of everything
 * that reached the products' ports, that no request was anything but a GET of a path the safety
 * policy allows.
 * The tests skip, saying why, only when the npm registry cannot supply a package.
 */
class RealProductsIT {
    static final Path SCRIPT = Lab.ROOT.resolve("test-fixtures/realprod/realprod.sh");
    static final String NS = "aisrp";
    static Path logs;
    static Map<Integer, String> started = new HashMap<>();

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(Lab.isRoot(), "needs root for network namespaces");
        Lab.Run r = Lab.run(List.of(SCRIPT.toString(), "up"), 3600);
        if (r.code() == 3) {
            String why = r.err().lines().filter(l -> l.contains("cannot fetch")).findFirst().orElse(r.err().strip());
            System.out.println("RealProductsIT skipped: " + why);
            Assumptions.abort(why);
        }
        assertEquals(0, r.code(), "realprod.sh up failed: " + r.err());
        logs = Path.of(Lab.run(List.of(SCRIPT.toString(), "logdir"), 10).out().strip());
        for (String line : Lab.run(List.of(SCRIPT.toString(), "list"), 10).out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                started.put(Integer.parseInt(f[0]), f[1] + " " + f[2]);
            }
        }
    }

    @AfterAll
    static void down() throws Exception {
        Lab.run(List.of(SCRIPT.toString(), "down"), 60);
    }

    /** aiscan inside the products' namespace, against 127.0.0.1: each port's line (service, risk, cves). */
    static Map<Integer, JsonNode> scanLines(Path dir, String ports) throws Exception {
        Path out = dir.resolve("scan-" + System.nanoTime() + ".jsonl");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, GroundTruthCheck.AISCAN.toString(), "127.0.0.1",
                "-p", ports, "--jsonl", out.toString(), "-q"));
        Lab.Run r = Lab.run(cmd, 180);
        assertEquals(0, r.code(), r.err());
        Map<Integer, JsonNode> byPort = new HashMap<>();
        for (JsonNode p : ScanOutput.parse(Files.readString(out)).ports()) {
            byPort.put(p.get("port").asInt(), p);
        }
        return byPort;
    }

    /** The service each port was identified as. */
    static Map<Integer, JsonNode> scan(Path dir, String ports) throws Exception {
        Map<Integer, JsonNode> services = new HashMap<>();
        scanLines(dir, ports).forEach((port, line) -> services.put(port, line.get("service")));
        return services;
    }

    /** A request from the test itself (not from aiscan), inside the namespace. */
    static Lab.Run curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, "curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        return Lab.run(cmd, 30);
    }

    @Test
    void llamaServerOpenKeyedAndRouter(@TempDir Path dir) throws Exception {
        Map<Integer, JsonNode> lines = scanLines(dir, "8080,8081,8082");
        Map<Integer, JsonNode> s = new HashMap<>();
        lines.forEach((port, line) -> s.put(port, line.get("service")));
        String build = curl("http://127.0.0.1:8080/props").out();
        Matcher m = Pattern.compile("\"build_info\"\\s*:\\s*\"([^\"]+)\"").matcher(build);
        assertTrue(m.find(), "llama-server's own /props: " + build);
        String buildInfo = m.group(1);

        JsonNode open = s.get(8080);
        assertNotNull(open, "8080 not reported: " + s);
        assertEquals("llama-cpp", open.get("id").asText(), open.toString());
        assertEquals(buildInfo, open.get("version").asText(), "the version is what /props reports");
        assertEquals("none", open.get("auth").asText(), open.toString());
        assertTrue(lines.get(8080).get("cves").isEmpty(), "a b1-<sha> source build names no release: " + lines.get(8080).get("cves"));

        JsonNode keyed = s.get(8081);
        assertEquals("llama-cpp", keyed.get("id").asText(), keyed.toString());
        assertEquals("required", keyed.get("auth").asText(), keyed.toString());
        assertEquals("product", keyed.get("auth_detail").asText(), keyed.toString());
        // with the key, the same server answers: the credentials are what the auth state says
        assertTrue(curl("-H", "Authorization: Bearer realprod-key", "http://127.0.0.1:8081/props").out().contains("build_info"));

        JsonNode router = s.get(8082);
        assertEquals("llama-cpp", router.get("id").asText(), router.toString());
        assertEquals("none", router.get("auth").asText(), router.toString());
        assertOnlySafeRequests(8080, 8081, 8082);
    }

    @Test
    void chromaRustServer(@TempDir Path dir) throws Exception {
        JsonNode c = scan(dir, "8000").get(8000);
        String v = curl("http://127.0.0.1:8000/api/v2/version").out().replace("\"", "").strip();
        assertEquals("chroma", c.get("id").asText(), c.toString());
        assertEquals(v, c.get("version").asText(), "the version Chroma reports");
        assertEquals("none", c.get("auth").asText(), c.toString());
        assertOnlySafeRequests(8000);
    }

    @Test
    void n8nBeforeAndAfterItsOwnerIsSetUp(@TempDir Path dir) throws Exception {
        JsonNode fresh = scan(dir, "5678").get(5678);
        assertEquals("n8n", fresh.get("id").asText(), fresh.toString());
        assertEquals("setup-takeover", fresh.get("auth_detail").asText(), "no owner yet: " + fresh);
        String pkg = Files.readString(Path.of("/var/cache/aiscan-realprod/n8n/node_modules/n8n/package.json"));
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(pkg);
        assertTrue(m.find());
        JsonNode version = fresh.get("version");
        assertTrue(version.isNull() || version.asText().equals(m.group(1)),
                "the installed n8n is " + m.group(1) + "; aiscan said " + version);

        // the owner is created by the test (the way its administrator would), then aiscan looks again
        Lab.Run setup = curl("-X", "POST", "-H", "Content-Type: application/json", "--data",
                "{\"email\":\"owner@example.test\",\"firstName\":\"Lab\",\"lastName\":\"Owner\",\"password\":\"Realprod-Passw0rd\"}",
                "http://127.0.0.1:5678/rest/owner/setup");
        assertTrue(setup.out().contains("owner@example.test"), "owner set-up: " + setup.out() + setup.err());
        JsonNode owned = scan(dir, "5678").get(5678);
        assertEquals("n8n", owned.get("id").asText(), owned.toString());
        assertEquals("required", owned.get("auth").asText(), owned.toString());
        assertEquals("product", owned.get("auth_detail").asText(), owned.toString());
        assertOnlySafeRequests(5678);
    }

    /**
     * Every request that reached the products' ports, read from the capture realprod.sh keeps on the
     * namespace's loopback (llama-server logs no requests — its logger is switched off upstream — and
     * neither do Chroma and n8n, so the wire is their request log): each method is GET and each path
     * one the safety policy allows. The test's own owner set-up is the one POST, and is allowed.
     */
    static void assertOnlySafeRequests(int... ports) throws Exception {
        SafetyPolicy safety = RuleLoader.load(Lab.ROOT.resolve("rulesets")).ruleset().safety();
        Pattern request = Pattern.compile("(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE) (/\\S*) HTTP/1\\.[01]");
        for (int port : ports) {
            Lab.Run r = Lab.run(List.of("tcpdump", "-nn", "-A", "-r", logs.resolve("wire.pcap").toString(), "tcp dst port " + port), 60);
            assertEquals(0, r.code(), r.err());
            List<String> seen = new ArrayList<>();
            int ownSetUps = 0;
            Matcher m = request.matcher(r.out());
            while (m.find()) {
                String method = m.group(1);
                String path = m.group(2).replaceFirst("\\?.*", "");
                if (method.equals("POST") && path.equals("/rest/owner/setup")) {
                    ownSetUps++; // the test's own owner set-up, not aiscan's
                    continue;
                }
                seen.add(method + " " + path);
                assertEquals("GET", method, "port " + port + " received " + method + " " + path);
                assertEquals(null, safety.forbidden(path), "port " + port + " received a forbidden path: " + path);
            }
            assertFalse(seen.isEmpty(), "the capture shows no request to port " + port);
            System.out.printf("%s: %d requests on the wire, all GETs of allowed paths: %s%s%n", started.get(port), seen.size(),
                    new java.util.TreeSet<>(seen), ownSetUps == 0 ? "" : " (and the test's own " + ownSetUps + " owner set-up POST)");
        }
    }
}
