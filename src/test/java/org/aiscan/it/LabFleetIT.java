package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.aiscan.lab.Chromium;
import org.aiscan.lab.Lab;
import org.aiscan.lab.ReportPage;
import org.aiscan.lab.Scenario;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The whole lab as one fleet, the way ops receives it: all eighteen host scenarios up at once, one
 * scan of their 36 addresses, one {@code collect} on each, one audit of it all, and its HTML report
 * read in headless chromium at a laptop's window (1366 × 768). What a person needs from the first
 * screen, and what the page claims against the audit's own JSON:
 *
 * <ul>
 *   <li>the first screen shows the fleet summary (the severity tiles, counting what the JSON holds) and
 *       the worst host, named in the summary and first in the host table, where the worst host is the
 *       one with the most critical, then high, then medium diagnoses in the JSON;</li>
 *   <li>no fix is printed twice for one endpoint;</li>
 *   <li>every endpoint's path diagram is the walk the audit predicted: the SVG's labelled hops are read
 *       back (source, interface, DNAT, hook, deciding rule, end) and compared with that endpoint's
 *       {@code predicted} object in the JSON (path, forwarded_to, dnat, decided_by, outcome,
 *       receivers, uncertainty) and the host's scanner sources.</li>
 * </ul>
 */
class LabFleetIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");
    /** A laptop's window: what "the first screen" means here. */
    private static final int WIDTH = 1366;
    private static final int HEIGHT = 768;

    @TempDir
    Path tmp;

    @Test
    @Timeout(1200)
    void theEighteenHostLabAuditedAsOneFleetReadsWorstFirstWithoutRepeatsAndDrawsEachPredictedPath() throws Exception {
        List<String> names = AuditIT.scenarios().map(a -> (String) a.get()[0]).toList();
        assertEquals(18, names.size());
        List<Scenario> up = new ArrayList<>();
        try {
            for (String n : names) {
                up.add(Scenario.up(n));
            }
            List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "-q", "--mode", "connect", "-p",
                    "ai-default,22,30080", "--jsonl", tmp.resolve("scan.jsonl").toString()));
            up.forEach(s -> cmd.addAll(List.of(s.v4(), s.v6())));
            Lab.Run scan = Lab.run(cmd, 300);
            assertEquals(0, scan.code(), scan.err());
            List<String> audit = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "audit", "-q", "--scan",
                    tmp.resolve("scan.jsonl").toString(), "--json", tmp.resolve("audit.json").toString(), "--html",
                    tmp.resolve("report.html").toString(), "--remediation", tmp.resolve("bundle").toString()));
            for (Scenario s : up) {
                Path snap = tmp.resolve(s.name() + ".json");
                Lab.Run r = s.exec(90, "unshare", "--uts", "sh", "-c", "hostname " + s.namespace() + " && exec "
                        + Lab.ROOT.resolve("scanner/aiscan") + " collect -q -o " + snap);
                assertEquals(0, r.code(), s.name() + ": " + r.err());
                audit.addAll(List.of("--snapshot", snap.toString()));
            }
            Lab.Run r = Lab.run(audit, 300);
            assertEquals(3, r.code(), "exposures found: " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        } finally {
            for (Scenario s : up) {
                s.close();
            }
        }
        JsonNode a = JSON.readTree(tmp.resolve("audit.json").toFile());
        assertEquals(18, a.path("hosts").size(), "every scenario's snapshot is a host");
        assertEquals(0, a.path("unmatched").size(), "every open address belongs to a snapshot: " + a.path("unmatched"));
        for (JsonNode h : a.path("hosts")) {
            assertEquals(2, h.path("scanned").size(), h.path("hostname") + ": both addresses matched");
        }
        Path html = tmp.resolve("report.html");
        Document page = Jsoup.parse(html.toFile());

        long open = Files.readAllLines(tmp.resolve("scan.jsonl")).stream().map(LabFleetIT::json)
                .filter(n -> n.path("type").asText().equals("port") && n.path("state").asText().equals("open"))
                .map(n -> n.path("ip").asText() + " " + n.path("port").asInt()).distinct().count();
        firstScreen(a, html, open);
        noFixTwiceForOneEndpoint(page);
        pathDiagramsAreThePredictedWalks(a, page);

        try (Chromium c = ReportPage.browser(tmp.resolve("chrome-bounds"))) {
            ReportPage.check(c, ReportPage.axe(), "lab-fleet-18", html).assertWithinBounds();
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Counts per severity, from the JSON's diagnoses, for one host or (null) all of them. */
    private static Map<String, Long> counts(JsonNode audit, String host) {
        Map<String, Long> out = new HashMap<>();
        SEVERITIES.forEach(s -> out.put(s, 0L));
        for (JsonNode d : audit.path("diagnoses")) {
            if (host == null || host.equals(d.path("host").asText())) {
                out.merge(d.path("severity").asText(), 1L, Long::sum);
            }
        }
        return out;
    }

    /** The hosts a person calls worst: the most critical diagnoses, then high, then medium (all of them when tied). */
    private static Set<String> worstHosts(JsonNode audit) {
        Set<String> worst = new TreeSet<>();
        long[] best = null;
        for (JsonNode h : audit.path("hosts")) {
            String name = h.path("hostname").asText();
            Map<String, Long> c = counts(audit, name);
            long[] key = {c.get("critical"), c.get("high"), c.get("medium")};
            int cmp = best == null ? 1 : java.util.Arrays.compare(key, best);
            if (cmp > 0) {
                best = key;
                worst.clear();
            }
            if (cmp >= 0) {
                worst.add(name);
            }
        }
        return worst;
    }

    private static final String FIRST_SCREEN = """
            (() => {
              const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
                return {text: e.textContent.replace(/\\s+/g, ' ').trim(), top: r.top, bottom: r.bottom}; };
              const lede = [...document.querySelectorAll('p.lede')].find(p => p.textContent.includes('Worst:'));
              return {
                height: window.innerHeight, width: window.innerWidth,
                tiles: [...document.querySelectorAll('section.summary .tile')].map(t => ({n: t.querySelector('.n').textContent.trim(),
                  severity: t.querySelector('.l').textContent.trim(), bottom: t.getBoundingClientRect().bottom})),
                lede: box(lede),
                worst: box(lede && lede.querySelector('a')),
                firstRow: box(document.querySelector('table.hosts tbody tr td a'))
              };
            })()""";

    private void firstScreen(JsonNode audit, Path html, long open) throws Exception {
        JsonNode s;
        try (Chromium c = ReportPage.browser(tmp.resolve("chrome-screen"))) {
            c.viewport(WIDTH, HEIGHT);
            Chromium.Page p = c.open(html, FIRST_SCREEN);
            assertEquals(List.of(), p.console());
            s = p.value();
        }
        assertEquals(WIDTH, s.path("width").asInt(), "the window is a laptop's: " + s);
        double height = s.path("height").asDouble();
        Map<String, Long> all = counts(audit, null);
        assertEquals(SEVERITIES.size(), s.path("tiles").size(), "a tile per severity: " + s.path("tiles"));
        for (JsonNode t : s.path("tiles")) {
            assertTrue(t.path("bottom").asDouble() <= height, "the summary tile is on the first screen: " + t + " (window " + height + ")");
            assertEquals(all.get(t.path("severity").asText()), Long.valueOf(t.path("n").asText()), "the tile counts the JSON's diagnoses: " + t);
        }
        JsonNode lede = s.path("lede");
        assertTrue(lede.path("text").asText().startsWith("18 hosts, " + open + " open endpoints"), "the summary names the fleet: " + lede);
        // every scenario that lets the scanner's address in lets anyone in (the rules as written: the
        // subnet-only allows of ufw-subnet and ufw-docker-gap leave the scanner out), so each open endpoint is the internet's
        assertTrue(lede.path("text").asText().contains("By the hosts' rules, " + open + " of them are reachable from the internet, 0 only from the"
                + " networks the rules allow, such as the scanner's."), "how far the open endpoints are exposed: " + lede);
        assertTrue(lede.path("text").asText().contains(audit.path("diagnoses").size() + " diagnoses"), lede.toString());
        Set<String> worst = worstHosts(audit);
        assertTrue(worst.contains(s.path("worst").path("text").asText()), "the summary's worst host " + s.path("worst") + " is one of " + worst);
        assertTrue(s.path("worst").path("bottom").asDouble() <= height, "the worst host is on the first screen: " + s.path("worst"));
        assertEquals(s.path("worst").path("text").asText(), s.path("firstRow").path("text").asText(), "the host table starts with it");
        assertTrue(s.path("firstRow").path("bottom").asDouble() <= height, "and its row is on the first screen: " + s.path("firstRow"));
    }

    /** Within one endpoint's section, each fix (its file and its text) appears once. */
    private static void noFixTwiceForOneEndpoint(Document page) {
        int sections = 0;
        int fixes = 0;
        for (Element sec : page.select("section.endpoint")) {
            Set<String> seen = new LinkedHashSet<>();
            for (Element f : sec.select("div.fix")) {
                String key = f.select("span.file").text() + "\n" + f.select("pre.snippet").text();
                assertTrue(seen.add(key), "printed twice under " + sec.select("h3").text() + ": " + key);
                fixes++;
            }
            sections++;
        }
        assertTrue(sections >= 30 && fixes >= sections, sections + " endpoint sections, " + fixes + " fixes");
        Set<String> actions = new LinkedHashSet<>();
        int fleetWide = 0;
        for (Element li : page.select("ol.actions > li")) {
            String key = li.select("> strong").text() + "\n" + li.select("> span.file").text() + "\n" + li.select("> details pre.snippet").text();
            assertTrue(actions.add(key), "the same action twice in Fix first: " + key);
            fleetWide += li.select("> span.meta").text().contains(",") ? 1 : 0;
        }
        assertTrue(actions.size() >= 18, "Fix first lists the fleet's actions: " + actions.size());
        assertTrue(fleetWide > 0, "the same change on several hosts is one action naming them");
    }

    /** The hop texts of one drawn path. */
    private record Hop(String kind, String role, String label, String detail) {
    }

    private static List<Hop> hops(Element svg) {
        List<Hop> out = new ArrayList<>();
        for (Element g : svg.select("g.hop")) {
            List<String> cls = new ArrayList<>(List.of(g.className().trim().split("\\s+")));
            cls.remove("hop");
            assertEquals(2, cls.size(), "a hop says its kind and role: " + g.className());
            out.add(new Hop(cls.get(0), cls.get(1), g.select("text.label").text(), g.select("text.detail").text()));
        }
        return out;
    }

    /** The endpoint as the report writes it: {@code ip:port}, IPv6 in brackets. */
    private static String endpoint(JsonNode e) {
        String ip = e.path("ip").asText();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + e.path("port").asInt();
    }

    /** An evidence line as a rule hop cites it: {@code source:line  text}, cut with an ellipsis when long. */
    private static void cites(JsonNode line, String detail, String what) {
        String whole = (line.path("line").asInt() > 0 ? line.path("source").asText() + ":" + line.path("line").asInt() : line.path("source").asText())
                + "  " + line.path("text").asText().trim();
        String shown = detail.endsWith("…") ? detail.substring(0, detail.length() - 1) : detail;
        assertTrue(whole.replaceAll("\\s+", " ").startsWith(shown.replaceAll("\\s+", " ")) && (shown.length() == detail.length()
                ? whole.replaceAll("\\s+", " ").equals(shown.replaceAll("\\s+", " ")) : shown.length() >= 100),
                what + ": the hop cites " + detail + ", the audit says " + whole);
    }

    private static void pathDiagramsAreThePredictedWalks(JsonNode audit, Document page) {
        Map<String, JsonNode> hostsByName = new HashMap<>();
        audit.path("hosts").forEach(h -> hostsByName.put(h.path("hostname").asText(), h));
        int drawn = 0;
        for (Element sec : page.select("section.host")) {
            String name = sec.select("> h2").text();
            JsonNode host = hostsByName.get(name);
            assertNotNull(host, "a host section per audited host: " + name);
            Map<String, JsonNode> checks = new HashMap<>();
            host.path("endpoints").forEach(e -> checks.put(endpoint(e), e));
            Set<String> sources = new TreeSet<>();
            host.path("scanner_sources").forEach(x -> sources.add(x.asText()));
            for (Element svg : sec.select("svg.path")) {
                String label = svg.attr("aria-label");
                String ep = label.replaceFirst("^how a connection to (.*) is handled$", "$1");
                JsonNode e = checks.get(ep);
                assertNotNull(e, name + ": the diagram of " + ep + " has an evaluated endpoint in the JSON: " + checks.keySet());
                check(name + " " + ep, e, hops(svg), sources);
                drawn++;
            }
        }
        assertTrue(drawn >= 30, "paths drawn: " + drawn);
    }

    private static void check(String where, JsonNode endpoint, List<Hop> hops, Set<String> sources) {
        JsonNode p = endpoint.path("predicted");
        String ip = endpoint.path("ip").asText();
        int port = endpoint.path("port").asInt();
        Hop first = hops.get(0);
        assertEquals("source", first.kind(), where);
        assertTrue(sources.contains(first.label().replaceFirst("^from ", "")), where + ": drawn from " + first.label() + ", scanned from " + sources);
        assertTrue(first.detail().endsWith(" to " + ip + ":" + port), where + ": " + first.detail());
        assertEquals("interface", hops.get(1).kind(), where);

        List<Hop> dnat = hops.stream().filter(h -> h.kind().equals("dnat")).toList();
        if (p.path("dnat").isNull()) {
            assertEquals(List.of(), dnat, where + ": no DNAT predicted, none drawn");
        } else {
            assertEquals(1, dnat.size(), where + ": the predicted DNAT drawn once: " + hops);
            assertTrue(dnat.get(0).label().startsWith("PREROUTING: DNAT to " + p.path("forwarded_to").asText()), where + ": " + dnat.get(0));
            cites(p.path("dnat"), dnat.get(0).detail(), where + " DNAT");
        }

        List<Hop> hook = hops.stream().filter(h -> h.kind().equals("hook")).toList();
        assertEquals(1, hook.size(), where + ": one hook: " + hops);
        String path = p.path("path").asText();
        switch (path) {
            case "INPUT" -> assertTrue(hook.get(0).label().startsWith("INPUT"), where + ": " + hook.get(0));
            case "FORWARD" -> assertEquals("FORWARD (to " + p.path("forwarded_to").asText() + ")", hook.get(0).label(), where);
            default -> assertEquals("stopped before routing", hook.get(0).label(), where + " (path " + path + ")");
        }

        String outcome = p.path("outcome").asText();
        List<Hop> decided = hops.stream().filter(h -> h.role().equals("decided")).toList();
        if (p.path("decided_by").isNull()) {
            assertEquals(List.of(), decided, where + ": nothing decided in the audit, nothing marked");
        } else {
            assertEquals(1, decided.size(), where + ": the one deciding rule is marked: " + hops);
            assertEquals("decides: " + outcome, decided.get(0).label(), where);
            cites(p.path("decided_by"), decided.get(0).detail(), where + " decided by");
        }
        hops.stream().filter(h -> h.role().equals("not-taken")).forEach(h -> assertTrue(h.label().contains(": not taken"), where + ": " + h));

        Hop end = hops.get(hops.size() - 1);
        assertEquals("end", end.kind(), where);
        String text = end.label();
        switch (outcome) {
            case "accept" -> {
                JsonNode rc = p.path("receivers");
                assertEquals(rc.isEmpty() ? "accepted; no receiver in the snapshot" : "accepted by " + rc.get(0).path("text").asText().trim()
                        .replaceAll("\\s+", " "), text.replaceFirst(" — uncertain: .*$", ""), where);
            }
            case "reject" -> assertTrue(text.startsWith("rejected"), where + ": " + text);
            default -> assertTrue(text.startsWith("dropped"), where + " (" + outcome + "): " + text);
        }
        assertEquals(p.path("uncertain").asBoolean(), text.contains(" — uncertain: "), where + ": uncertainty shown as the audit has it: " + text);
        if (endpoint.path("observed").asText().equals("open")) {
            assertEquals("accept", outcome, where + ": open in the scan; the diagram of an agreeing prediction ends accepted");
        }
    }
}
