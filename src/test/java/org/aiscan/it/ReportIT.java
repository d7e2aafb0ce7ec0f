package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.lab.Lab;
import org.aiscan.lab.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report formats with their real readers: the HTML in headless chromium (run inside an empty
 * network namespace, so neither the page nor the browser's own background services can reach
 * anything), nmap XML in ndiff, and {@code aiscan report} re-rendering a scan without rescanning.
 */
class ReportIT {
    private static final Path HOSTILE = Lab.ROOT.resolve("test-fixtures/reports/hostile-scan.jsonl");

    @TempDir
    Path tmp;

    static Lab.Run aiscan(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString()));
        cmd.addAll(List.of(args));
        return Lab.run(cmd, 120);
    }

    /** Runs chromium headless in a fresh namespace that has only a loopback interface. */
    private Lab.Run chromium(List<String> args) throws Exception {
        assumeTrue(Lab.run(List.of("sh", "-c", "command -v chromium"), 10).code() == 0, "chromium is not installed");
        String ns = "aisr-chrome";
        Lab.run(List.of("ip", "netns", "del", ns), 10);
        Lab.run(List.of("ip", "netns", "add", ns), 10);
        try {
            Lab.run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"), 10);
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-extensions", "--user-data-dir=" + tmp.resolve("profile-" + System.nanoTime())));
            cmd.addAll(args);
            return Lab.run(cmd, 90);
        } finally {
            Lab.run(List.of("ip", "netns", "del", ns), 10);
        }
    }

    @Test
    void htmlOpensInChromiumWithNoConsoleErrorNoRequestAndBannersAsText() throws Exception {
        Path html = tmp.resolve("hostile.html");
        Lab.Run r = aiscan("report", HOSTILE.toString(), "--html", html.toString());
        assertEquals(0, r.code(), r.err());
        String url = html.toUri().toString();

        Path netlog = tmp.resolve("netlog.json");
        Path shot = Lab.ROOT.resolve("target/report-screenshot.png");
        Files.deleteIfExists(shot);
        Lab.Run c = chromium(List.of("--window-size=1280,2200", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                "--log-net-log=" + netlog, "--screenshot=" + shot, url));
        assertEquals(0, c.code(), c.err());
        assertTrue(Files.size(shot) > 20_000, "a screenshot was saved: " + shot);
        List<String> console = c.err().lines().filter(l -> l.contains(":CONSOLE")).toList();
        assertEquals(List.of(), console, "console messages");

        assertEquals(List.of(), pageRequests(netlog), "requests made by the page");

        Lab.Run dom = chromium(List.of("--dump-dom", url));
        assertEquals(0, dom.code(), dom.err());
        String d = dom.out();
        assertTrue(d.contains("&lt;script&gt;alert('version')&lt;/script&gt;"), "the hostile version is text in the DOM");
        assertFalse(d.contains("<script") || d.contains("<img") || d.contains("<iframe"), "no element from a banner in the DOM");
        assertFalse(d.contains("<title>pwned"), "document.title was not changed by a banner");
    }

    /** Requests the page made, from chromium's net log: the browser's own services have no origin, the page's have one. */
    static List<String> pageRequests(Path netlog) throws Exception {
        JsonNode log = new ObjectMapper().readTree(netlog.toFile());
        java.util.Map<Integer, String> types = new java.util.HashMap<>();
        log.path("constants").path("logEventTypes").fields().forEachRemaining(e -> types.put(e.getValue().asInt(), e.getKey()));
        List<String> out = new ArrayList<>();
        for (JsonNode e : log.path("events")) {
            if ("URL_REQUEST_START_JOB".equals(types.get(e.path("type").asInt())) && e.path("params").has("url")) {
                String u = e.path("params").path("url").asText();
                String initiator = e.path("params").path("initiator").asText();
                if (!u.startsWith("file:") && !u.startsWith("data:") && !initiator.equals("not an origin")) {
                    out.add(u + " from " + initiator);
                }
            }
        }
        return out;
    }

    @Test
    void theBrowserChecksCatchARequestAndAConsoleMessage() throws Exception {
        Path bad = tmp.resolve("bad.html");
        Files.writeString(bad, "<html><body><img src=\"http://198.18.99.99/x.png\"><script>console.error('boom')</script></body></html>");
        Path netlog = tmp.resolve("bad-netlog.json");
        Lab.Run c = chromium(List.of("--enable-logging=stderr", "--v=0", "--log-net-log=" + netlog, "--dump-dom", bad.toUri().toString()));
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().lines().anyMatch(l -> l.contains(":CONSOLE") && l.contains("boom")), c.err());
        assertEquals(1, pageRequests(netlog).size(), "the image request is seen (it cannot leave: the namespace has only loopback)");
    }

    @Test
    void ndiffReadsTwoAiscanXmlFiles() throws Exception {
        try (Scenario s = Scenario.up("webapps")) {
            Path a = tmp.resolve("a.xml");
            Path b = tmp.resolve("b.xml");
            assertEquals(0, aiscan("-q", "--mode", "connect", "--all-states", "-p", "22,3000,8080", "--xml", a.toString(), s.v4()).code());
            // close Open WebUI with a reset: the second scan sees it closed
            s.exec(10, "iptables", "-I", "INPUT", "-p", "tcp", "--dport", "3000", "-j", "REJECT", "--reject-with", "tcp-reset");
            assertEquals(0, aiscan("-q", "--mode", "connect", "--all-states", "-p", "22,3000,8080", "--xml", b.toString(), s.v4()).code());
            Lab.Run same = Lab.run(List.of("ndiff", a.toString(), a.toString()), 30);
            assertEquals(0, same.code(), same.out() + same.err());
            Lab.Run diff = Lab.run(List.of("ndiff", a.toString(), b.toString()), 30);
            assertEquals(1, diff.code(), "ndiff exits 1 when the scans differ: " + diff.err());
            assertTrue(diff.out().lines().anyMatch(l -> l.matches("-3000/tcp\\s+open\\s+open-webui.*")), diff.out());
            assertTrue(diff.out().lines().anyMatch(l -> l.matches("\\+3000/tcp\\s+closed.*")), diff.out());
            assertFalse(diff.out().contains("8080/tcp"), "unchanged ports are not listed: " + diff.out());
        }
    }

    @Test
    void reportRendersAScanAgainInEveryFormat() throws Exception {
        List<String> args = new ArrayList<>(List.of("report", HOSTILE.toString()));
        for (String f : List.of("html", "xml", "sarif", "md", "csv", "prom")) {
            args.add("--" + f);
            args.add(tmp.resolve("r." + f).toString());
        }
        Lab.Run r = aiscan(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("html", "xml", "sarif", "md", "csv", "prom")) {
            assertTrue(Files.size(tmp.resolve("r." + f)) > 100, f);
        }
        assertTrue(Files.readString(tmp.resolve("r.prom")).contains("aiscan_diagnoses{severity=\"high\"} 2"));
        Lab.Run none = aiscan("report", HOSTILE.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("aiscan: nothing to write"), none.err());
        Lab.Run bad = aiscan("report", Lab.ROOT.resolve("README.md").toString(), "--html", tmp.resolve("x.html").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("README.md:1: not JSON") || bad.err().contains("README.md:1: not an aiscan scan line"), bad.err());
    }
}
