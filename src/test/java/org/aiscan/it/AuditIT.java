package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.aiscan.lab.Chromium;
import org.aiscan.lab.Lab;
import org.aiscan.lab.ReportPage;
import org.aiscan.lab.Scenario;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue's scenarios end to end: each host scenario is built with its real firewall, scanned
 * from the root namespace over IPv4 and IPv6, collected from inside, and audited. The diagnosis codes
 * must be exactly the expected set (no extra ones), and for every scanned endpoint the evaluator's
 * prediction must agree with what the scan saw, without uncertainty. The HTML report of each audit,
 * scanned and predicted, is then read in headless chromium ({@link ReportPage}: size, load time, no
 * request, no console message, no serious or critical axe-core violation), after every scenario.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HARDENING = Set.of("OUTBOUND_UNRESTRICTED", "SSH_NOT_RATE_LIMITED", "NO_BRUTEFORCE_PROTECTION");

    @TempDir
    Path tmp;

    /** The HTML reports of this run's audits, by scenario (checked in chromium by the last test). */
    private static final Map<String, String> PAGES = new TreeMap<>();

    static Set<String> with(Set<String> base, String... codes) {
        Set<String> s = new TreeSet<>(base);
        s.addAll(List.of(codes));
        return s;
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("nofw", with(HARDENING, "FIREWALL_INACTIVE", "UNAUTHENTICATED_AI_API", "KNOWN_CVE", "NO_RATE_LIMIT")),
                Arguments.of("ufw-subnet", with(HARDENING, "ALLOW_FROM_ANYWHERE", "ADMIN_ENDPOINT_EXPOSED", "WIDE_BIND_LATENT")),
                Arguments.of("ufw-docker", with(HARDENING, "DOCKER_BYPASSES_FIREWALL", "UNAUTHENTICATED_AI_API", "KNOWN_CVE",
                        "NO_RATE_LIMIT")),
                Arguments.of("ufw-docker-fixed", with(HARDENING, "WIDE_BIND_LATENT")),
                Arguments.of("v6open", with(HARDENING, "IPV6_UNFILTERED", "UNAUTHENTICATED_AI_API", "ADMIN_ENDPOINT_EXPOSED", "KNOWN_CVE",
                        "NO_RATE_LIMIT")),
                Arguments.of("nft-only", with(HARDENING, "WIDE_BIND_LATENT")),
                Arguments.of("ratelimit", with(HARDENING, "FIREWALL_INACTIVE", "UNAUTHENTICATED_AI_API", "KNOWN_CVE")),
                Arguments.of("shadowed", with(HARDENING, "RULE_SHADOWED", "ALLOW_FROM_ANYWHERE", "UNAUTHENTICATED_AI_API", "KNOWN_CVE",
                        "NO_RATE_LIMIT")),
                Arguments.of("loopback", with(Set.of("OUTBOUND_UNRESTRICTED"))),
                Arguments.of("webapps", with(HARDENING, "SETUP_TAKEOVER", "ALLOW_FROM_ANYWHERE", "KNOWN_CVE", "NO_RATE_LIMIT",
                        "PLAINTEXT_BASIC_AUTH")),
                Arguments.of("ratelimit-docker", with(HARDENING, "RATE_LIMIT_INEFFECTIVE", "UNAUTHENTICATED_AI_API", "KNOWN_CVE")),
                Arguments.of("stack-split", with(HARDENING, "FIREWALL_STACK_SPLIT", "ALLOW_FROM_ANYWHERE", "UNAUTHENTICATED_AI_API", "KNOWN_CVE",
                        "NO_RATE_LIMIT")),
                Arguments.of("jupyter-token", with(HARDENING, "ALLOW_FROM_ANYWHERE", "ADMIN_ENDPOINT_EXPOSED", "KNOWN_CVE")),
                Arguments.of("ufw-docker-gap", with(HARDENING, "DOCKER_BYPASSES_FIREWALL", "DOCKER_USER_TRUSTS_PRIVATE", "UNAUTHENTICATED_AI_API",
                        "KNOWN_CVE", "NO_RATE_LIMIT")),
                Arguments.of("kube-iptables", with(HARDENING, "KUBERNETES_SERVICE_EXPOSED", "UNAUTHENTICATED_AI_API", "KNOWN_CVE", "NO_RATE_LIMIT")),
                Arguments.of("kube-nft", with(HARDENING, "KUBERNETES_SERVICE_EXPOSED", "UNAUTHENTICATED_AI_API", "KNOWN_CVE", "NO_RATE_LIMIT")),
                Arguments.of("firewalld", with(HARDENING, "ALLOW_FROM_ANYWHERE", "ADMIN_ENDPOINT_EXPOSED", "KNOWN_CVE", "WIDE_BIND_LATENT")),
                Arguments.of("podman", with(HARDENING, "DNAT_BYPASSES_FIREWALL", "UNAUTHENTICATED_AI_API", "KNOWN_CVE", "NO_RATE_LIMIT")));
    }

    private Path scan(Scenario s) throws Exception {
        return scanPorts(s.name(), s.scanPorts(), s.v4(), s.v6());
    }

    private Path scanPorts(String name, String ports, String... targets) throws Exception {
        Path out = tmp.resolve(name + ".jsonl");
        List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "-q", "--mode", "connect", "-p",
                ports, "--jsonl", out.toString()));
        cmd.addAll(List.of(targets));
        Lab.Run r = Lab.run(cmd, 120);
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private Path collect(Scenario s) throws Exception {
        Path out = tmp.resolve(s.name() + ".json");
        // its own UTS namespace so the snapshot carries the scenario's name as host name
        Lab.Run r = s.exec(90, "unshare", "--uts", "sh", "-c", "hostname " + s.namespace() + " && exec "
                + Lab.ROOT.resolve("scanner/aiscan") + " collect -q -o " + out);
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private JsonNode audit(Path scan, List<Path> snapshots, int expectedExit) throws Exception {
        return audit(scan, snapshots, expectedExit, null);
    }

    /** Audits; the HTML report, when {@code page} names it, is kept for {@link #everyScenariosReportReadsWellInChromium}. */
    private JsonNode audit(Path scan, List<Path> snapshots, int expectedExit, String page) throws Exception {
        Path json = tmp.resolve("audit-" + System.nanoTime() + ".json");
        Path html = tmp.resolve("audit-" + System.nanoTime() + ".html");
        List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "audit", "--scan", scan.toString(),
                "--json", json.toString()));
        if (page != null) {
            cmd.addAll(List.of("--html", html.toString()));
        }
        for (Path p : snapshots) {
            cmd.add("--snapshot");
            cmd.add(p.toString());
        }
        Lab.Run r = Lab.run(cmd, 120);
        assertEquals(expectedExit, r.code(), r.err() + r.out());
        assertFalse(r.err().contains("Exception"), r.err());
        if (page != null) {
            keep(page, html);
        }
        return JSON.readTree(json.toFile());
    }

    private static void keep(String page, Path html) throws java.io.IOException {
        synchronized (PAGES) {
            PAGES.put(page, java.nio.file.Files.readString(html));
        }
    }

    static List<String> brief(JsonNode audit) {
        List<String> out = new ArrayList<>();
        audit.path("diagnoses").forEach(d -> out.add(d.path("code").asText() + " " + d.path("ip").asText() + ":" + d.path("port").asText()
                + " " + d.path("evidence").get(0)));
        return out;
    }

    /**
     * The snapshot alone, evaluated for the scanner's own addresses ({@code --from}), predicts exactly
     * the endpoints the scan then finds open. The scan covers every port that could be open: the AI
     * set, SSH, every predicted port and every TCP port any of the scenario's namespaces listens on
     * ({@code ss} inside each, the ground truth).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theSnapshotAlonePredictsWhatTheScanFindsOpen(String name, Set<String> ignored) throws Exception {
        try (Scenario s = Scenario.up(name)) {
            Path snap = collect(s);
            Path json = tmp.resolve("predicted.json");
            Path html = tmp.resolve("predicted.html");
            Lab.Run r = Lab.run(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "audit", "-q", "--snapshot", snap.toString(),
                    "--from", s.rootAddress(4, 1) + "/32," + s.rootAddress(6, 1) + "/128", "--json", json.toString(), "--html", html.toString()), 120);
            assertTrue(r.code() == 0 || r.code() == 3, r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            keep(name + "-predicted", html);
            JsonNode a = JSON.readTree(json.toFile());
            assertEquals("predicted", a.path("mode").asText());
            assertEquals(List.of("internet", "from", "from"), kinds(a));
            Set<String> predicted = new TreeSet<>();
            Set<Integer> ports = new TreeSet<>(List.of(22));
            for (JsonNode v : a.path("vantages")) {
                for (JsonNode e : v.path("reachable")) {
                    ports.add(e.path("port").asInt());
                    assertFalse(e.path("predicted").path("uncertain").asBoolean(), e.toString());
                    if (v.path("kind").asText().equals("from")) {
                        predicted.add(endpoint(e.path("ip").asText(), e.path("port").asInt()));
                    }
                }
            }
            for (String ns : Lab.run(List.of("ip", "netns", "list"), 10).out().lines().map(l -> l.split(" ")[0]).toList()) {
                if (ns.equals(s.namespace()) || ns.startsWith(s.namespace() + "-")) {
                    for (String l : Lab.run(List.of("ip", "netns", "exec", ns, "ss", "-Htln"), 10).out().lines().toList()) {
                        String local = l.trim().split("\\s+")[3];
                        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
                    }
                }
            }
            String list = "ai-default," + String.join(",", ports.stream().map(String::valueOf).toList());
            Path scan = scanPorts(name + "-all", list, s.v4(), s.v6());
            assertEquals(openEndpoints(scan), predicted, name + ": predicted from " + s.rootAddress(4, 1) + " vs the scan of " + list);
        }
    }

    private static List<String> kinds(JsonNode audit) {
        List<String> out = new ArrayList<>();
        audit.path("vantages").forEach(v -> out.add(v.path("kind").asText()));
        return out;
    }

    private static String endpoint(String ip, int port) {
        return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    private static Set<String> openEndpoints(Path jsonl) throws java.io.IOException {
        Set<String> out = new TreeSet<>();
        for (String line : java.nio.file.Files.readAllLines(jsonl)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("type").asText().equals("port") && n.path("state").asText().equals("open")) {
                out.add(endpoint(n.path("ip").asText(), n.path("port").asInt()));
            }
        }
        return out;
    }

    static Set<String> codes(JsonNode audit) {
        Set<String> s = new TreeSet<>();
        audit.path("diagnoses").forEach(d -> s.add(d.path("code").asText()));
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void exactCodesAndPredictionsAgreeWithTheScan(String name, Set<String> expected) throws Exception {
        try (Scenario s = Scenario.up(name)) {
            Path scan = scan(s);
            Path snap = collect(s);
            JsonNode parsed = JSON.readTree(snap.toFile());
            assertEquals("[]", parsed.path("problems").toString(), name + ": a real collect parses with no unreadable line");
            boolean exposures = expected.stream().anyMatch(c -> !HARDENING.contains(c) && !c.equals("WIDE_BIND_LATENT"));
            JsonNode a = audit(scan, List.of(snap), exposures ? 3 : 0, name + "-scanned");
            assertEquals(expected, codes(a), name + ": " + brief(a));
            JsonNode host = a.path("hosts").get(0);
            assertEquals(s.namespace(), host.path("hostname").asText());
            assertEquals(2, host.path("scanned").size(), "both addresses matched: " + host.path("scanned"));
            assertEquals(host.path("checked").asLong(), host.path("agreeing").asLong(), "every prediction agrees: " + host.path("endpoints"));
            for (JsonNode e : host.path("endpoints")) {
                assertFalse(e.path("predicted").path("uncertain").asBoolean(), "no uncertain prediction: " + e);
                assertTrue(e.path("agrees").asBoolean(), e.toString());
            }
            for (JsonNode d : a.path("diagnoses")) {
                assertFalse(d.path("why").asText().contains("{"), "every placeholder filled: " + d.path("why"));
                assertTrue(d.path("evidence").size() > 0, "evidence for " + d);
                assertTrue(d.path("remediation").size() > 0, "remediation for " + d);
            }
            facts(name, s, a);
        }
    }

    /** A few facts per scenario beyond the code set: which port, which rule. */
    private static void facts(String name, Scenario s, JsonNode a) {
        switch (name) {
            case "jupyter-token" -> {
                JsonNode d = find(a, "ADMIN_ENDPOINT_EXPOSED");
                assertEquals(8888, d.path("port").asInt());
                assertEquals("medium", d.path("severity").asText(), "below the unauthenticated case");
                assertTrue(d.path("why").asText().contains("a login is not a network boundary"), d.path("why").asText());
                assertTrue(d.path("evidence").toString().contains("auth required (product)"), d.path("evidence").toString());
            }
            case "ufw-docker-gap" -> {
                String bypass = find(a, "DOCKER_BYPASSES_FIREWALL").path("evidence").toString();
                assertTrue(bypass.contains("-A DOCKER-USER -d 10.0.0.0/8 -m conntrack --ctstate NEW -j ufw-docker-logging-deny")
                        && bypass.contains("not taken: -d 10.0.0.0/8 does not hold for the destination 198.19.32.2"),
                        "the DOCKER-USER lines walked and why none took the connection: " + bypass);
                assertTrue(bypass.contains("-A DOCKER-USER -j ufw-user-forward"), bypass);
                JsonNode gap = find(a, "DOCKER_USER_TRUSTS_PRIVATE");
                assertTrue(gap.path("why").asText().contains("198.19.32.0/24 (br-compose)")
                        && gap.path("why").asText().contains("10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"), gap.path("why").asText());
                assertTrue(gap.path("evidence").toString().contains("br-compose 198.19.32.1/24"), gap.path("evidence").toString());
            }
            case "stack-split" -> {
                String ev = find(a, "FIREWALL_STACK_SPLIT").path("evidence").toString();
                assertTrue(ev.contains("iptables-nft-v4 (stderr)") && ev.contains("iptables-legacy tables present"),
                        "the warning iptables-nft-save printed on stderr is the evidence: " + ev);
                assertTrue(ev.contains("iptables-legacy-v4"), "and the legacy dump that holds the rules: " + ev);
            }
            case "ufw-docker" -> {
                JsonNode d = find(a, "DOCKER_BYPASSES_FIREWALL");
                assertEquals(s.v4(), d.path("ip").asText());
                assertEquals(8000, d.path("port").asInt());
                String ev = d.path("evidence").toString();
                assertTrue(ev.contains("--to-destination 10.17.0.2:8000") && ev.contains("DENY IN") && ev.contains("docker-proxy"), ev);
            }
            case "v6open" -> {
                Set<Integer> ports = new TreeSet<>();
                a.path("diagnoses").forEach(d -> {
                    if (d.path("code").asText().equals("IPV6_UNFILTERED")) {
                        assertEquals(s.v6(), d.path("ip").asText());
                        ports.add(d.path("port").asInt());
                    }
                });
                assertEquals(Set.of(9090, 11434), ports);
            }
            case "shadowed" -> {
                JsonNode d = find(a, "RULE_SHADOWED");
                assertEquals(8188, d.path("port").asInt());
                assertTrue(d.path("evidence").toString().contains("8000:9000"), d.toString());
            }
            case "ratelimit-docker" -> assertTrue(find(a, "RATE_LIMIT_INEFFECTIVE").path("evidence").toString().contains("connlimit"));
            case "ufw-subnet" -> assertEquals(11434, find(a, "WIDE_BIND_LATENT").path("port").asInt());
            case "firewalld" -> {
                String ev = find(a, "ALLOW_FROM_ANYWHERE").path("evidence").toString();
                assertTrue(ev.contains("tcp dport 8888 accept"), "firewalld's own nft rule for the zone's port: " + ev);
                assertEquals(8000, find(a, "WIDE_BIND_LATENT").path("port").asInt(), "vLLM listens, the zone rejects it");
            }
            case "podman" -> {
                JsonNode d = find(a, "DNAT_BYPASSES_FIREWALL");
                assertEquals(8000, d.path("port").asInt());
                assertTrue(d.path("why").asText().contains("published by Podman"), d.path("why").asText());
                String ev = d.path("evidence").toString();
                assertTrue(ev.contains("NETAVARK-HOSTPORT-DNAT") && ev.contains("-A INPUT -p tcp -m tcp --dport 8000 -j DROP") && ev.contains("conmon"),
                        "netavark's own rules, the input drop it bypasses and conmon's socket: " + ev);
            }
            case "kube-iptables", "kube-nft" -> {
                JsonNode d = find(a, "KUBERNETES_SERVICE_EXPOSED");
                assertEquals(s.v4(), d.path("ip").asText());
                assertEquals(30080, d.path("port").asInt());
                assertTrue(d.path("why").asText().contains("NodePort of ai/vllm:http"), d.path("why").asText());
                String ev = d.path("evidence").toString();
                assertTrue(name.equals("kube-nft") ? ev.contains("map service-nodeports: tcp . 30080 : goto external-Q5PMYNKJ-ai/vllm/tcp/http")
                        : ev.contains("-A KUBE-NODEPORTS -p tcp -m comment --comment \\\"ai/vllm:http\\\" -m tcp --dport 30080"),
                        "the walked kube-proxy rules are the evidence: " + ev);
                assertFalse(codes(a).contains("DOCKER_BYPASSES_FIREWALL"), "not Docker's");
            }
            default -> {
            }
        }
    }

    private static JsonNode find(JsonNode a, String code) {
        for (JsonNode d : a.path("diagnoses")) {
            if (d.path("code").asText().equals(code)) {
                return d;
            }
        }
        throw new AssertionError("no " + code + " in " + a.path("diagnoses"));
    }

    @Test
    void severalHostsInOneRunAreMatchedByTheirAddresses() throws Exception {
        try (Scenario one = Scenario.up("nofw"); Scenario two = Scenario.up("ufw-docker")) {
            Path scan = scanPorts("two", "ai-default,22", one.v4(), one.v6(), two.v4(), two.v6());
            JsonNode a = audit(scan, List.of(collect(one), collect(two)), 3, "nofw+ufw-docker-scanned");
            assertEquals(2, a.path("hosts").size());
            for (JsonNode d : a.path("diagnoses")) {
                String host = d.path("host").asText();
                String ip = d.path("ip").asText();
                if (!ip.isEmpty() && !ip.equals("null")) {
                    String expected = host.equals(one.namespace()) ? one.v4() + "|" + one.v6() : two.v4() + "|" + two.v6();
                    assertTrue(Set.of(expected.split("\\|")).contains(ip), d.toString());
                }
            }
            assertTrue(codes(a).contains("DOCKER_BYPASSES_FIREWALL") && codes(a).contains("FIREWALL_INACTIVE"), codes(a).toString());
            assertEquals(0, a.path("unmatched").size());
        }
    }

    /** After every scenario: each of this run's reports, as a person opens it (see {@link ReportPage}). */
    @Test
    @Order(Integer.MAX_VALUE)
    @Timeout(600)
    void everyScenariosReportReadsWellInChromium() throws Exception {
        Map<String, String> pages;
        synchronized (PAGES) {
            pages = new TreeMap<>(PAGES);
        }
        assumeTrue(!pages.isEmpty(), "no scenario was audited in this run, so there is no report to read");
        String axe = ReportPage.axe();
        List<ReportPage.Checked> checked = new ArrayList<>();
        try (Chromium c = ReportPage.browser(tmp.resolve("chrome"))) {
            for (Map.Entry<String, String> e : pages.entrySet()) {
                Path f = tmp.resolve(e.getKey() + ".html");
                java.nio.file.Files.writeString(f, e.getValue());
                checked.add(ReportPage.check(c, axe, e.getKey(), f));
            }
        }
        org.junit.jupiter.api.Assertions.assertAll(checked.stream().map(x -> (org.junit.jupiter.api.function.Executable) x::assertWithinBounds));
    }
}
