package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
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
 * Real products from npm, installed and cached by test-fixtures/realprod/prepare.sh and started by
 * realprod.sh, each variant on a loopback address inside a namespace that holds nothing but loopback
 * (README.md there says how each is installed and started): llama.cpp's llama-server (open, --api-key,
 * router), Chroma, n8n, Flowise (fresh and set up), OpenClaw (token and --auth none), MCP's
 * server-everything (streamable HTTP and SSE), supergateway (SSE, stateless and stateful streamable
 * HTTP), MCP Inspector (0.x with and without its session token, 2.x), Portkey, promptfoo, Genkit,
 * Node-RED (open and with adminAuth), Gemini CLI's A2A server, n8n-MCP (HTTP mode with its token),
 * OmniRoute (password, login switched off, no password yet) and Paperclip (local_trusted and
 * authenticated).
 *
 * aiscan scans each namespace's addresses without {@code -p}, as a new user would; each variant must
 * be found on its default port with the id, auth state and version the product itself shows (the
 * version is what the installed package says). Every request aiscan sent is read back from the
 * capture realprod.sh keeps per namespace: each must be a GET of a path the safety policy allows, and
 * the MCP SSE stream is opened only where nothing else found MCP. The tests skip, saying why, only
 * when the npm registry cannot supply a package.
 */
class RealProductsIT {
    static final Path SCRIPT = Lab.ROOT.resolve("test-fixtures/realprod/realprod.sh");
    static final Path CACHE = Path.of(System.getenv().getOrDefault("AISCAN_REALPROD_CACHE", "/var/cache/aiscan-realprod"));
    static final String NS = "aisrp";

    /** One started variant, as {@code realprod.sh list} prints it. */
    record Variant(String ns, String addr, int port, String id, String variant) {
        String key() {
            return id + " " + variant;
        }
    }

    static Path logs;
    static final Map<String, Variant> started = new LinkedHashMap<>();
    /** Each namespace's scan without -p, by "addr port". */
    static final Map<String, Map<String, JsonNode>> scans = new ConcurrentHashMap<>();

    @BeforeAll
    static void up() throws Exception {
        for (Variant v : up(SCRIPT, "RealProductsIT", 3600)) {
            started.put(v.key(), v);
        }
        logs = Path.of(Lab.run(List.of(SCRIPT.toString(), "logdir"), 10).out().strip());
    }

    /**
     * Runs a real-product script's {@code up} (exit 3, a package the registry cannot supply: the
     * class is skipped with the script's one line) and returns the variants its {@code list} prints.
     */
    static List<Variant> up(Path script, String who, int timeoutSeconds) throws Exception {
        Assumptions.assumeTrue(Lab.isRoot(), "needs root for network namespaces");
        long t0 = System.nanoTime();
        Lab.Run r = Lab.run(List.of(script.toString(), "up"), timeoutSeconds);
        if (r.code() == 3) {
            String why = r.err().lines().filter(l -> l.contains("cannot fetch")).findFirst().orElse(r.err().strip());
            System.out.println(who + " skipped: " + why);
            Assumptions.abort(why);
        }
        assertEquals(0, r.code(), script.getFileName() + " up failed: " + r.err());
        System.out.printf("%s: up in %.1f s (%s)%n", who, (System.nanoTime() - t0) / 1e9,
                r.err().lines().filter(l -> l.contains(" up in ")).findFirst().orElse(""));
        List<Variant> out = new ArrayList<>();
        for (String line : Lab.run(List.of(script.toString(), "list"), 10).out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 5) {
                out.add(new Variant(f[0], f[1], Integer.parseInt(f[2]), f[3], f[4]));
            }
        }
        assertFalse(out.isEmpty(), script.getFileName() + " list printed nothing");
        return out;
    }

    @AfterAll
    static void down() throws Exception {
        if (Lab.isRoot()) {
            Lab.run(List.of(SCRIPT.toString(), "down"), 120);
        }
    }

    static Variant variant(String key) {
        Variant v = started.get(key);
        assertNotNull(v, key + " was not started: " + started.keySet());
        return v;
    }

    /** aiscan inside a namespace, against its addresses, with {@code -p} or (null) without: each endpoint's line by "addr port". */
    static Map<String, JsonNode> scan(Path dir, String ns, List<String> addrs, String ports) throws Exception {
        Path out = dir.resolve("scan-" + ns + "-" + System.nanoTime() + ".jsonl");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, GroundTruthCheck.AISCAN.toString()));
        cmd.addAll(addrs);
        if (ports != null) {
            cmd.addAll(List.of("-p", ports));
        }
        cmd.addAll(List.of("--jsonl", out.toString(), "-q"));
        long t0 = System.nanoTime();
        Lab.Run r = Lab.run(cmd, 300);
        assertEquals(0, r.code(), r.err());
        System.out.printf("RealProductsIT: scan of %s %s %s: %.2f s%n", ns, addrs, ports == null ? "(default ports)" : "-p " + ports,
                (System.nanoTime() - t0) / 1e9);
        Map<String, JsonNode> byEndpoint = new LinkedHashMap<>();
        for (JsonNode p : ScanOutput.parse(Files.readString(out)).ports()) {
            byEndpoint.put(p.get("ip").asText() + " " + p.get("port").asInt(), p);
        }
        return byEndpoint;
    }

    /** The line for a variant from its namespace's scan without -p (one scan per namespace). */
    static JsonNode line(Path dir, Variant v) throws Exception {
        Map<String, JsonNode> s = scans.get(v.ns());
        if (s == null) {
            List<String> addrs = started.values().stream().filter(x -> x.ns().equals(v.ns())).map(Variant::addr).distinct().sorted().toList();
            s = scan(dir, v.ns(), addrs, null);
            scans.put(v.ns(), s);
        }
        JsonNode line = s.get(v.addr() + " " + v.port());
        assertNotNull(line, v + " was not found by a scan without -p: " + s.keySet());
        return line;
    }

    /** A request from the test itself (not from aiscan), inside a namespace. */
    static Lab.Run curl(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        return Lab.run(cmd, 30);
    }

    /** The version an installed npm package says it is. */
    static String packageVersion(String relative) throws Exception {
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(CACHE.resolve(relative).resolve("package.json")));
        assertTrue(m.find(), relative);
        return m.group(1);
    }

    /**
     * What each variant must be: id, auth, auth detail (null: not checked) and version (null: the
     * product shows none without credentials, or one that is not its release; not checked).
     */
    record Expect(String key, String id, String auth, String detail, String version) {
    }

    @Test
    void everyProductIsFoundOnItsDefaultPortWithoutPortsGiven(@TempDir Path dir) throws Exception {
        String flowise = packageVersion("flowise/node_modules/flowise");
        String openclaw = packageVersion("openclaw/node_modules/openclaw");
        String nodeRed = packageVersion("nodered/node_modules/node-red");
        String promptfoo = packageVersion("promptfoo/node_modules/promptfoo");
        String genkit = packageVersion("genkit/node_modules/genkit-cli");
        String n8nMcp = packageVersion("n8nmcp/node_modules/n8n-mcp");
        String omniroute = packageVersion("omniroute/node_modules/omniroute");
        String paperclip = packageVersion("paperclip/node_modules/@paperclipai/server");
        List<Expect> expected = List.of(
                new Expect("flowise fresh", "flowise", "unknown", null, flowise),
                new Expect("flowise setup", "flowise", "unknown", null, flowise),
                new Expect("openclaw token", "openclaw", "required", "product", openclaw),
                new Expect("openclaw none", "openclaw", "none", "open", openclaw),
                new Expect("mcp everything-streamable-http", "mcp", "none", "open", null),
                new Expect("mcp everything-sse", "mcp", "none", "open", null),
                new Expect("mcp supergateway-sse", "mcp", "none", "open", null),
                new Expect("mcp supergateway-streamable-http", "mcp", "none", "open", null),
                new Expect("mcp supergateway-stateful", "mcp", "none", "open", null),
                new Expect("mcp-inspector 0.22-proxy-token", "mcp-inspector", "required", "product", null),
                new Expect("mcp-inspector 0.22-proxy-noauth", "mcp-inspector", "none", "open", null),
                new Expect("mcp-inspector 0.22-client-token", "mcp-inspector", "unknown", null, null),
                new Expect("mcp-inspector 2.12-web", "mcp-inspector", "none", "open", null),
                new Expect("portkey-gateway open", "portkey-gateway", "none", "open", null),
                new Expect("promptfoo view", "promptfoo", "none", "open", promptfoo),
                new Expect("genkit dev-ui", "genkit", "none", "open", genkit),
                new Expect("genkit telemetry-api", "genkit", "none", "open", null),
                new Expect("node-red default", "node-red", "none", "open", nodeRed),
                new Expect("node-red admin-auth", "node-red", "required", "product", nodeRed),
                new Expect("a2a gemini-cli", "gemini-cli-a2a", "none", "open", null),
                new Expect("chroma open", "chroma", "none", "open", null),
                new Expect("llama-cpp open", "llama-cpp", "none", "open", null),
                new Expect("llama-cpp api-key", "llama-cpp", "required", "product", null),
                new Expect("n8n fresh", "n8n", "none", "setup-takeover", null),
                new Expect("n8n-mcp http", "n8n-mcp", "required", "product", n8nMcp),
                new Expect("omniroute login", "omniroute", "required", "product", omniroute),
                new Expect("omniroute open", "omniroute", "none", "open", omniroute),
                new Expect("omniroute fresh", "omniroute", "required", "product", omniroute),
                new Expect("paperclip local-trusted", "paperclip", "none", "open", paperclip),
                // authenticated mode shows no version without a login
                new Expect("paperclip authenticated", "paperclip", "required", "product", null));
        List<String> wrong = new ArrayList<>();
        for (Expect e : expected) {
            JsonNode s = line(dir, variant(e.key())).get("service");
            String got = s.get("id").asText() + " auth=" + s.get("auth").asText() + "/" + s.path("auth_detail").asText("-") + " version="
                    + s.path("version").asText("-");
            boolean ok = e.id().equals(s.get("id").asText()) && e.auth().equals(s.get("auth").asText())
                    && (e.detail() == null || e.detail().equals(s.path("auth_detail").asText()))
                    && (e.version() == null || e.version().equals(s.path("version").asText()));
            System.out.printf("RealProductsIT: %-34s %s %s%n", e.key(), ok ? "ok   " : "WRONG", got);
            if (!ok) {
                wrong.add(e + " got " + got);
            }
        }
        System.out.printf("RealProductsIT: %d of %d variants identified as the product shows itself%n", expected.size() - wrong.size(),
                expected.size());
        assertTrue(wrong.isEmpty(), "identified wrongly: " + wrong);
    }

    @Test
    void flowiseSaysUnknownWhereOnlyAPostCouldTell(@TempDir Path dir) throws Exception {
        // the ground truth is the product's own answer to the POST its page sends (the test sends it, never aiscan)
        Variant fresh = variant("flowise fresh");
        Variant setUp = variant("flowise setup");
        String f = curl(fresh.ns(), "-X", "POST", "http://" + fresh.addr() + ":3000/api/v1/auth/resolve").out();
        String s = curl(setUp.ns(), "-X", "POST", "http://" + setUp.addr() + ":3000/api/v1/auth/resolve").out();
        assertTrue(f.contains("/organization-setup"), "a fresh Flowise sends its first visitor to the owner set-up: " + f);
        assertTrue(s.contains("/signin"), "a set-up Flowise asks for a login: " + s);
        for (Variant v : List.of(fresh, setUp)) {
            JsonNode service = line(dir, v).get("service");
            assertEquals("unknown", service.get("auth").asText(), v + ": " + service);
            assertTrue(service.get("notes").toString().contains("no read-only request tells"), "says why: " + service.get("notes"));
        }
    }

    @Test
    void llamaServerVersionIsWhatItReports(@TempDir Path dir) throws Exception {
        Variant open = variant("llama-cpp open");
        String props = curl(open.ns(), "http://127.0.0.1:8080/props").out();
        Matcher m = Pattern.compile("\"build_info\"\\s*:\\s*\"([^\"]+)\"").matcher(props);
        assertTrue(m.find(), "llama-server's own /props: " + props);
        JsonNode line = line(dir, open);
        assertEquals(m.group(1), line.get("service").get("version").asText(), "the version is what /props reports");
        assertTrue(line.get("cves").isEmpty(), "a b1-<sha> source build names no release: " + line.get("cves"));
        // with the key, the protected one answers: the credentials are what the auth state says
        assertTrue(curl(open.ns(), "-H", "Authorization: Bearer realprod-key", "http://127.0.0.1:8081/props").out().contains("build_info"));
        assertEquals("none", line(dir, variant("llama-cpp router")).get("service").get("auth").asText());
    }

    @Test
    void chromaVersionIsWhatItReports(@TempDir Path dir) throws Exception {
        Variant c = variant("chroma open");
        String v = curl(c.ns(), "http://127.0.0.1:8000/api/v2/version").out().replace("\"", "").strip();
        assertEquals(v, line(dir, c).get("service").get("version").asText(), "the version Chroma reports");
    }

    @Test
    void n8nBeforeAndAfterItsOwnerIsSetUp(@TempDir Path dir) throws Exception {
        Variant n = variant("n8n fresh");
        JsonNode fresh = line(dir, n).get("service");
        assertEquals("setup-takeover", fresh.get("auth_detail").asText(), "no owner yet: " + fresh);
        String installed = packageVersion("n8n/node_modules/n8n");
        JsonNode version = fresh.get("version");
        assertTrue(version.isNull() || version.asText().equals(installed), "the installed n8n is " + installed + "; aiscan said " + version);
        // the owner is created by the test (the way its administrator would), then aiscan looks again
        Lab.Run setup = curl(n.ns(), "-X", "POST", "-H", "Content-Type: application/json", "--data",
                "{\"email\":\"owner@example.test\",\"firstName\":\"Lab\",\"lastName\":\"Owner\",\"password\":\"Realprod-Passw0rd\"}",
                "http://127.0.0.1:5678/rest/owner/setup");
        assertTrue(setup.out().contains("owner@example.test"), "owner set-up: " + setup.out() + setup.err());
        JsonNode owned = scan(dir, n.ns(), List.of(n.addr()), "5678").get(n.addr() + " 5678").get("service");
        assertEquals("n8n", owned.get("id").asText(), owned.toString());
        assertEquals("required", owned.get("auth").asText(), owned.toString());
        assertEquals("product", owned.get("auth_detail").asText(), owned.toString());
    }

    /** n8n-MCP: the version its own /health reports; the token it was given is what its /mcp asks for. */
    @Test
    void n8nMcpIsWhatItSaysItIs(@TempDir Path dir) throws Exception {
        Variant v = variant("n8n-mcp http");
        String base = "http://" + v.addr() + ":" + v.port();
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(curl(v.ns(), base + "/health").out());
        assertTrue(m.find(), "n8n-MCP's own /health names its version");
        JsonNode service = line(dir, v).get("service");
        assertEquals(m.group(1), service.get("version").asText(), "the version n8n-MCP reports");
        assertEquals("401", curl(v.ns(), "-o", "/dev/null", "-w", "%{http_code}", base + "/mcp").out().strip(), "no token: refused");
        String withToken = curl(v.ns(), "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer realprod-n8n-mcp-token-0123456789abcdef",
                base + "/mcp").out().strip();
        assertFalse(withToken.equals("401"), "with the configured AUTH_TOKEN /mcp is not refused: " + withToken);
        assertEquals("required", service.get("auth").asText(), service.toString());
    }

    /**
     * OmniRoute: the auth state is what its own settings say and what its key API does for a caller
     * without a session (the test's GETs, not aiscan's); the version is what its monitoring health says.
     */
    @Test
    void omnirouteAuthIsWhatItsSettingsAndKeyApiSay(@TempDir Path dir) throws Exception {
        for (String key : List.of("omniroute login", "omniroute open", "omniroute fresh")) {
            Variant v = variant(key);
            String base = "http://" + v.addr() + ":" + v.port();
            String settings = curl(v.ns(), base + "/api/settings/require-login").out();
            boolean loginRequired = settings.contains("\"requireLogin\":true");
            assertTrue(loginRequired || settings.contains("\"requireLogin\":false"), key + ": " + settings);
            String keys = curl(v.ns(), "-o", "/dev/null", "-w", "%{http_code}", base + "/api/keys").out().strip();
            assertEquals(loginRequired ? "401" : "200", keys, key + ": the key API for a caller without a session (" + settings + ")");
            JsonNode service = line(dir, v).get("service");
            assertEquals(loginRequired ? "required" : "none", service.get("auth").asText(), key + ": " + service);
            Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(curl(v.ns(), base + "/api/monitoring/health").out());
            assertTrue(m.find(), key + ": its own monitoring health names its version");
            assertEquals(m.group(1), service.get("version").asText(), key + ": the version OmniRoute reports");
        }
    }

    /**
     * Paperclip: the auth state is the deployment mode its config.json sets (local_trusted: no login,
     * authenticated: sign-in), which its own /api/health repeats; the version only local_trusted shows.
     */
    @Test
    void paperclipAuthIsItsDeploymentMode(@TempDir Path dir) throws Exception {
        for (String key : List.of("paperclip local-trusted", "paperclip authenticated")) {
            Variant v = variant(key);
            Path config = logs.resolve("home/paperclip-" + key.substring("paperclip ".length()) + "/.paperclip/instances/default/config.json");
            Matcher mode = Pattern.compile("\"deploymentMode\"\\s*:\\s*\"([a-z_]+)\"").matcher(Files.readString(config));
            assertTrue(mode.find(), config.toString());
            String health = curl(v.ns(), "http://" + v.addr() + ":" + v.port() + "/api/health").out();
            assertTrue(health.contains("\"deploymentMode\":\"" + mode.group(1) + "\""), key + ": its /api/health repeats its mode: " + health);
            JsonNode service = line(dir, v).get("service");
            assertEquals(mode.group(1).equals("local_trusted") ? "none" : "required", service.get("auth").asText(), key + ": " + service);
            Matcher version = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(health);
            if (version.find()) {
                assertEquals(version.group(1), service.get("version").asText(), key + ": the version Paperclip reports");
            } else {
                assertTrue(service.path("version").isNull() || service.path("version").isMissingNode(), key + ": shows no version: " + service);
            }
        }
    }

    /**
     * Every request aiscan sent (its User-Agent names it; realprod.sh's readiness checks and the tests'
     * own set-up requests are curl's), read from each namespace's capture: a GET of a path the safety
     * policy allows; GET /sse reached only the SSE servers, which nothing else identifies. Runs after
     * the scans (JUnit's method order is not fixed, so it scans what was not scanned yet).
     */
    @Test
    void everyRequestOnTheWireIsAnAllowedGet(@TempDir Path dir) throws Exception {
        for (Variant v : started.values()) {
            if (List.of(6274, 6277, 1880, 3000, 3001, 3100, 4000, 4033, 5678, 8000, 8080, 8081, 8082, 8787, 15500, 18789, 20128, 41242).contains(v.port())) {
                line(dir, v);
            }
        }
        SafetyPolicy safety = RuleLoader.load(Lab.ROOT.resolve("rulesets")).ruleset().safety();
        Pattern request = Pattern.compile("(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE) (/\\S*) HTTP/1\\.[01]\\r?\\n((?:[^\\r\\n]+\\r?\\n)*)");
        Map<String, List<String>> sse = new LinkedHashMap<>();
        for (String ns : started.values().stream().map(Variant::ns).distinct().toList()) {
            Path pcap = logs.resolve(ns.equals(NS) ? "wire.pcap" : "wire-" + ns + ".pcap");
            Lab.Run r = Lab.run(List.of("tcpdump", "-nn", "-A", "-r", pcap.toString()), 120);
            assertEquals(0, r.code(), r.err());
            TreeSet<String> seen = new TreeSet<>();
            int count = 0;
            Matcher m = request.matcher(r.out());
            while (m.find()) {
                if (!m.group(3).contains("User-Agent: aiscan/")) {
                    continue; // realprod.sh's readiness checks and this test's own set-up requests
                }
                String method = m.group(1);
                String path = m.group(2).replaceFirst("\\?.*", "");
                assertEquals("GET", method, ns + " received " + method + " " + path + " from aiscan");
                assertEquals(null, safety.forbidden(path), ns + " received a forbidden path: " + path);
                assertFalse(m.group(2).contains("?"), ns + ": aiscan sent a query: " + m.group(2));
                if (path.equals("/sse")) {
                    sse.computeIfAbsent(ns, k -> new ArrayList<>()).add(path);
                }
                seen.add(path);
                count++;
            }
            assertTrue(count > 0, "the capture of " + ns + " shows no request from aiscan");
            System.out.printf("RealProductsIT: %s: %d requests from aiscan, all GETs of allowed paths (%d distinct)%n", ns, count, seen.size());
        }
        assertEquals(new TreeSet<>(List.of(NS + "-everything-sse", NS + "-supergateway")), new TreeSet<>(sse.keySet()),
                "GET /sse reached only the SSE servers, which nothing else identifies: " + sse);
    }
}
