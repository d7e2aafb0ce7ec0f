package org.aiscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Fix;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.Risk;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.Vantage;
import org.aiscan.remediate.Planner;
import org.aiscan.target.PortSpec;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report of a fleet, read as the on-call engineer who receives it: the host samples audited
 * together, with a scan that saw open what each host's rules let through from the internet, and the
 * remediation bundle's fixes. Hosts come worst first, the first screen names the worst, each fix is
 * printed once per endpoint, and the actions are ordered by what they close.
 */
class FleetReportTest {
    static Report report;
    static Fleet fleet;
    static Document html;
    static AuditResult predicted;

    @BeforeAll
    static void build() throws Exception {
        AuditPolicy policy = AuditPolicy.load(Path.of(AuditPolicy.FILE));
        Correlator correlator = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset());
        List<Correlator.SnapshotInput> inputs = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("test-fixtures/host-samples"))) {
            for (Path d : s.filter(Files::isDirectory).sorted().toList()) {
                inputs.add(new Correlator.SnapshotInput(d, Collector.fromFiles(d, "test")));
            }
        }
        predicted = correlator.predict(inputs, List.of(Vantage.internet()), PortSpec.parse("ai-default"));
        List<Endpoint> open = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> targets = new ArrayList<>();
        for (HostAudit h : predicted.hosts()) {
            h.addresses().forEach(a -> targets.add(a.toString()));
            for (EndpointCheck c : h.endpoints()) {
                if (c.prediction().state() == PortState.OPEN && c.proto().equals("tcp") && seen.add(c.endpoint())) {
                    open.add(new Endpoint(new PortResult(c.ip(), c.port(), PortState.OPEN, "syn-ack", 900, Instant.EPOCH), c.service()));
                }
            }
        }
        ScanRun run = new ScanRun("test", Instant.EPOCH, "connect", targets, "ai-default", targets.size(), targets.size() * 80L, 1, "0/1", 0,
                List.of(Vantage.INTERNET_V4.toString()), false);
        ScanSummary done = new ScanSummary(Instant.EPOCH, 2.5, targets.size() * 80L, targets.size() * 80L, targets.size() * 80L, open.size(),
                0, 0, true, null, List.of(), List.of());
        ScanResult scan = new ScanResult(Path.of("fleet.jsonl"), run, open, done, false);
        report = FleetGen.audited(correlator, policy, scan, inputs);
        fleet = Fleet.of(report);
        StringWriter w = new StringWriter();
        HtmlReport.write(report, null, w);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/fleet-report.html"), w.toString()); // for a look in a browser
        html = Jsoup.parse(w.toString());
    }

    @Test
    void theFleetHasSomethingToHandOff() {
        assertTrue(fleet.hosts().size() >= 10, "hosts: " + fleet.hosts().size());
        assertTrue(report.audit().diagnoses().size() >= 20, "diagnoses: " + report.audit().diagnoses().size());
        assertTrue(!fleet.actions().isEmpty(), "the bundle's fixes are actions");
    }

    @Test
    void hostsComeWorstFirstAndTheFirstScreenNamesTheWorst() {
        List<Integer> worst = fleet.hosts().stream().map(h -> h.worst() == null ? Risk.SEVERITIES.size() : h.worst().severity().rank()).toList();
        List<Integer> sorted = new ArrayList<>(worst);
        sorted.sort(null);
        assertEquals(sorted, worst, "worst finding's severity, host by host");
        Element lede = html.selectFirst("p.lede");
        assertNotNull(lede);
        Element link = lede.selectFirst("a[href^=#]");
        assertNotNull(link, "the summary names the worst host: " + lede.text());
        assertEquals(fleet.hosts().get(0).name(), link.text());
        List<String> rows = html.select("table.hosts > tbody > tr > td:first-child").eachText();
        assertEquals(fleet.hosts().stream().map(Fleet.Host::name).toList(), rows, "the host table in the same order");
        Element firstHost = html.selectFirst("section.host");
        assertTrue(html.body().html().indexOf("class=\"hosts\"") < html.body().html().indexOf(firstHost.outerHtml().substring(0, 40)),
                "the host table comes before any host's details");
    }

    @Test
    void everyDiagnosisOnceUnderItsEndpointAndEachFixOncePerEndpoint() {
        assertEquals(report.audit().diagnoses().size(), html.select("article.finding").size(), "one article per diagnosis");
        int printedFixes = 0;
        for (Element ep : html.select("section.host section.endpoint")) {
            List<String> fixes = ep.select("div.fix").eachText();
            assertEquals(new LinkedHashSet<>(fixes).size(), fixes.size(), "a fix printed twice for one endpoint: " + ep.selectFirst("h3").text());
            printedFixes += fixes.size();
            for (Element f : ep.select("article.finding")) {
                String where = f.selectFirst(".where").text();
                String heading = ep.selectFirst("h3").text();
                assertTrue(heading.equals("Host-wide") || heading.startsWith(where.replace("/tcp", "")) || where.isEmpty(),
                        "a diagnosis of " + where + " under " + heading);
            }
        }
        long perDiagnosis = report.audit().diagnoses().stream().mapToLong(d -> report.fixesFor(d).size()).sum();
        assertTrue(printedFixes < perDiagnosis, "fixes grouped: " + printedFixes + " printed, " + perDiagnosis + " by diagnosis");
    }

    @Test
    void actionsAreOrderedBySeverityAndNameWhatTheyClose() {
        List<Integer> ranks = fleet.actions().stream().map(a -> a.severity().rank()).toList();
        List<Integer> sorted = new ArrayList<>(ranks);
        sorted.sort(null);
        assertEquals(sorted, ranks);
        List<Element> items = html.select("ol.actions > li");
        assertEquals(fleet.actions().size(), items.size(), "each action once");
        Set<Fix> all = new LinkedHashSet<>();
        report.audit().diagnoses().forEach(d -> all.addAll(report.fixesFor(d)));
        assertEquals(all.size(), fleet.actions().stream().mapToInt(a -> 1 + a.alternatives().size()).sum(), "every fix in one action");
        for (Fleet.Action a : fleet.actions()) {
            for (Fix alt : a.alternatives()) {
                Set<Diagnosis> closedByAlt = new LinkedHashSet<>();
                report.audit().diagnoses().stream().filter(d -> report.fixesFor(d).contains(alt)).forEach(closedByAlt::add);
                assertEquals(Set.copyOf(a.closes()), closedByAlt, "an alternative closes the same findings");
            }
        }
        for (Element li : items) {
            for (Element a : li.select(".closes a")) {
                assertNotNull(html.getElementById(a.attr("href").substring(1)), "links to the diagnosis it closes");
            }
        }
        Fleet.Action top = fleet.actions().get(0);
        assertTrue(top.closes().stream().allMatch(d -> d.ip() == null || top.verify().contains(d.ip().toString())), top.verify());
    }

    /**
     * Markdown and CSV follow the HTML report's order: hosts worst first, each open endpoint followed
     * by its diagnoses; a host's own Markdown file holds its diagnoses once each, a fix once per
     * endpoint, and the actions that close them.
     */
    @Test
    void markdownAndCsvKeepTheFleetOrderAndAHostFileIsTheHostsAlone() throws Exception {
        StringWriter md = new StringWriter();
        Markdown.write(report, md);
        String text = md.toString();
        int last = -1;
        for (Fleet.Host h : fleet.hosts()) {
            int at = text.indexOf("\n## Host " + h.name() + "\n");
            assertTrue(at > last, "host sections worst first: " + h.name());
            last = at;
        }
        assertTrue(text.indexOf("## Fix first") < text.indexOf("\n## Host "), "the actions before the hosts' details");
        Fleet.Host h1 = new Fleet.Host("gpu 1", List.of(), null, "no snapshot", List.of(), List.of(), null);
        Fleet.Host h2 = new Fleet.Host("gpu_1", List.of(), null, "no snapshot", List.of(), List.of(), null);
        Fleet.Host h3 = new Fleet.Host("GPU_1", List.of(), null, "no snapshot", List.of(), List.of(), null);
        assertEquals(List.of("host-gpu_1.md", "host-gpu_1-2.md", "host-GPU_1-3.md"),
                Stream.of(h1, h2, h3).map(Markdown.fileNames(new Fleet(List.of(h1, h2, h3), List.of(), false, null))::get).toList(),
                "names two hosts would share (a case-insensitive disk too) are told apart");

        StringWriter csv = new StringWriter();
        Csv.write(report, csv);
        List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.RFC4180.parse(new java.io.StringReader(csv.toString()))
                .getRecords();
        List<String> hostOrder = new ArrayList<>();
        for (org.apache.commons.csv.CSVRecord row : rows.subList(1, rows.size())) {
            String host = row.get(1);
            if (!host.isEmpty() && (hostOrder.isEmpty() || !hostOrder.get(hostOrder.size() - 1).equals(host))) {
                hostOrder.add(host);
            }
        }
        assertEquals(new ArrayList<>(new LinkedHashSet<>(hostOrder)), hostOrder, "a host's rows are together");
        assertEquals(1 + report.scan().endpoints().size() + report.audit().diagnoses().size(), rows.size(), "every endpoint and diagnosis once");

        for (Fleet.Host h : fleet.hosts()) {
            StringWriter one = new StringWriter();
            Markdown.writeHost(report, fleet, h, one);
            String host = one.toString();
            assertTrue(host.startsWith("# Host " + h.name() + "\n"), host.substring(0, Math.min(80, host.length())));
            for (Diagnosis d : h.all()) {
                assertTrue(host.contains("** " + Markdown.esc(d.why())), "the host's diagnosis " + d.code() + " is in its file");
            }
            long bold = host.lines().filter(l -> l.matches("\\*\\*(CRITICAL|HIGH|MEDIUM|LOW|INFO) [A-Z0-9_\\\\]+\\*\\* .*")).count();
            assertEquals(h.all().size(), bold, "the host's diagnoses, each once and no other host's, in " + h.name());
            for (Fleet.Group g : h.endpoints()) {
                for (Fix f : g.fixes()) {
                    assertTrue(host.contains("Fix (" + Markdown.esc(f.file()) + "): " + Markdown.esc(f.title())), f.file());
                }
            }
            Set<String> touching = new LinkedHashSet<>();
            Set<String> others = new LinkedHashSet<>();
            for (Fleet.Action a : fleet.actions()) {
                String line = Markdown.esc(a.fix().title()) + " (" + Markdown.esc(a.fix().file()) + ")";
                (a.closes().stream().anyMatch(d -> h.all().contains(d)) ? touching : others).add(line);
            }
            others.removeAll(touching); // the same title and file for another host's action reads the same
            touching.forEach(l -> assertTrue(host.contains(l), "action " + l + " closes a finding of " + h.name()));
            others.forEach(l -> assertFalse(host.contains("** " + l), "action " + l + " closes none of " + h.name() + "'s findings"));
            assertTrue(Markdown.fileNames(fleet).get(h).matches("host-[A-Za-z0-9._-]+\\.md"), Markdown.fileNames(fleet).get(h));
        }
    }

    @Test
    void theReportStaysSmallAndSelfContained() {
        WriterPropertiesTest.checkHtml(report, html.outerHtml());
        assertTrue(html.outerHtml().length() < 3_000_000, "size " + html.outerHtml().length());
    }

    @Test
    void aPredictionRendersTooMarkedAsOne() throws Exception {
        Report p = new Report(Report.prediction(predicted, "test", Instant.EPOCH), predicted, Map.of(), "test", Instant.EPOCH);
        StringWriter w = new StringWriter();
        HtmlReport.write(p, null, w);
        Document d = Jsoup.parse(w.toString());
        assertTrue(d.selectFirst("p.lede.predicted").text().startsWith("Predicted, not scanned"), d.selectFirst("p.lede").text());
        Fleet.Exposure ex = Fleet.of(p).exposure();
        assertTrue(d.select("p.lede").text().contains(ex.internet() + " reachable from the internet, " + ex.otherOnly() + " only from"),
                d.select("p.lede").text());
        assertTrue(!w.toString().contains("The scan did not finish"), "a prediction is no unfinished scan");
        long reachable = predicted.hosts().stream().mapToLong(h -> h.endpoints().stream().filter(c -> c.prediction().state() == PortState.OPEN)
                .map(c -> c.endpoint() + "/" + c.proto()).distinct().count()).sum(); // per host: two samples share an address
        assertEquals(reachable, d.select("table.endpoints > tbody > tr.predicted").size() + d.select("table.endpoints > tbody > tr.open").size(),
                "a row per endpoint predicted reachable");
        assertEquals(predicted.diagnoses().size(), d.select("article.finding").size(), "one article per diagnosis");
        WriterPropertiesTest.checkHtml(p, w.toString());
        StringWriter md = new StringWriter();
        Markdown.write(p, md);
        assertTrue(md.toString().contains("**Predicted, not scanned:**"), "the Markdown of a prediction says so");
        Fleet.Exposure x = Fleet.of(p).exposure();
        long fromInternet = predicted.reach().stream().filter(r -> r.vantage().equals(predicted.vantages().get(0).label()))
                .map(r -> r.host() + " " + r.endpoint()).distinct().count();
        assertEquals(fromInternet, x.internet(), "endpoints the internet vantage reaches");
        assertTrue(md.toString().contains(fromInternet + " endpoints are predicted reachable from the internet"), md.toString().substring(0, 600));
        assertEquals(null, fleet.exposure(), "the audit of a scan saw the endpoints from the scanner only");
    }

    @Test
    void everyPathDiagramMatchesItsPredictedPath() throws Exception {
        StringWriter json = new StringWriter();
        AuditJson.write(report.audit(), json);
        com.fasterxml.jackson.databind.JsonNode audit = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toString());
        Map<String, com.fasterxml.jackson.databind.JsonNode> predicted = new LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode h : audit.path("hosts")) {
            for (com.fasterxml.jackson.databind.JsonNode e : h.path("endpoints")) {
                String ip = e.path("ip").asText();
                predicted.put(h.path("hostname").asText() + " " + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + e.path("port").asInt(),
                        e.path("predicted"));
            }
        }
        int drawn = 0;
        for (Element host : html.select("section.host")) {
            String name = host.selectFirst("h2").text();
            for (Element ep : host.select("section.endpoint")) {
                Element svg = ep.selectFirst("svg.path");
                if (svg == null) {
                    continue;
                }
                String endpoint = ep.selectFirst("h3").ownText().trim();
                com.fasterxml.jackson.databind.JsonNode p = predicted.get(name + " " + endpoint);
                assertNotNull(p, "the audit JSON has " + name + " " + endpoint);
                List<String> kinds = svg.select("g.hop").stream().map(g -> g.classNames().stream().filter(c -> !c.equals("hop")).findFirst()
                        .orElse("")).toList();
                String hook = svg.selectFirst("g.hop.hook text.label").text();
                assertTrue(hook.startsWith(p.path("path").asText().equals("NONE") ? "stopped" : p.path("path").asText()), hook + " vs " + p);
                assertEquals(!p.path("dnat").isNull(), kinds.contains("dnat"), "a DNAT hop exactly when the audit has a DNAT: " + endpoint);
                if (!p.path("dnat").isNull()) {
                    assertTrue(svg.selectFirst("g.hop.dnat text.detail").text().contains(p.path("dnat").path("text").asText().trim()
                            .substring(0, Math.min(40, p.path("dnat").path("text").asText().trim().length()))), endpoint);
                }
                List<Element> decided = svg.select("g.hop.decided text.detail");
                assertEquals(1, decided.size(), "one deciding rule drawn: " + endpoint);
                String by = p.path("decided_by").path("text").asText().trim();
                assertTrue(decided.get(0).text().contains(by.substring(0, Math.min(60, by.length()))), decided.get(0).text() + " vs " + by);
                String end = svg.selectFirst("g.hop.end text.label").text();
                String outcome = p.path("outcome").asText();
                assertTrue(end.startsWith(outcome.equals("accept") ? "accepted" : outcome.equals("reject") ? "rejected" : "dropped"), end);
                drawn++;
            }
        }
        assertTrue(drawn >= 10, "path diagrams drawn: " + drawn);
    }

    /**
     * The audit of a real scan with a snapshot says how many of the open endpoints the internet
     * reaches. Sample 07 was probed from 198.18.17.1 / 2001:2:0:17::1 ({@code reachability.txt}, the
     * measured answers, is the scan here); its ufw rules as written let 11434 in from 198.18.17.0/24
     * only and 8188 from 2001:2:0:17::/64 only, so those two open endpoints are the scanner's network's
     * alone, while 9090 (an interface rule), 443, 8888 (an app profile) and 8443 (a destination rule)
     * take anyone. An open 8000, which the rules reject, is not explained by the snapshot: not known.
     */
    @Test
    void aScannedAuditSaysWhichOpenEndpointsTheInternetReaches() throws Exception {
        AuditPolicy policy = AuditPolicy.load(Path.of(AuditPolicy.FILE));
        Correlator correlator = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset());
        Path dir = Path.of("test-fixtures/host-samples/07-ufw-edge-cases");
        List<Correlator.SnapshotInput> in = List.of(new Correlator.SnapshotInput(dir, Collector.fromFiles(dir, "test")));
        List<Endpoint> open = new ArrayList<>();
        java.util.BitSet ports = new java.util.BitSet();
        java.util.regex.Pattern reached = java.util.regex.Pattern.compile("^REACHABLE +tcp/(\\d+) +v[46] +\\(http://\\[?([0-9a-f.:]+?)\\]?:\\d+/\\).*");
        for (String l : Files.readAllLines(dir.resolve("reachability.txt"))) {
            java.util.regex.Matcher m = reached.matcher(l);
            if (m.matches()) {
                int port = Integer.parseInt(m.group(1));
                open.add(new Endpoint(new PortResult(org.aiscan.model.Address.parse(m.group(2)), port, PortState.OPEN, "syn-ack", 900, Instant.EPOCH),
                        null));
                ports.set(port);
            }
        }
        // and one the rules refuse the scanner (8000 is rejected): open in a scan, the snapshot cannot explain it
        open.add(new Endpoint(new PortResult(org.aiscan.model.Address.parse("198.18.17.2"), 8000, PortState.OPEN, "syn-ack", 900, Instant.EPOCH), null));
        ports.set(8000);
        ScanRun run = new ScanRun("test", Instant.EPOCH, "connect", List.of("198.18.17.2", "2001:2:0:17::2"), "443,8000,8188,8443,8888,9090,11434", 2, 2L * open.size(), 0,
                "0/1", 0, List.of("198.18.17.1", "2001:2:0:17::1"), false);
        ScanResult scan = new ScanResult(dir.resolve("reachability.txt"), run, open, null, false);
        AuditResult audit = correlator.run(scan, in, List.of(org.aiscan.model.Address.parse("198.18.17.1"), org.aiscan.model.Address.parse("2001:2:0:17::1")));
        AuditResult internet = correlator.predict(in, List.of(Vantage.internet()), org.aiscan.target.PortList.of(ports));
        Report r = new Report(scan, audit, Map.of(), "test", Instant.EPOCH, null, internet);
        Map<String, Fleet.Exposure.Reached> got = Fleet.Exposure.reached(r, internet);
        Map<String, Fleet.Exposure.Reached> expected = new java.util.TreeMap<>();
        for (String e : List.of("198.18.17.2:11434", "[2001:2:0:17::2]:8188")) {
            expected.put(e, Fleet.Exposure.Reached.NEARER_ONLY);
        }
        for (String e : List.of("198.18.17.2:9090", "[2001:2:0:17::2]:9090", "198.18.17.2:443", "[2001:2:0:17::2]:443", "198.18.17.2:8888",
                "198.18.17.2:8443")) {
            expected.put(e, Fleet.Exposure.Reached.INTERNET);
        }
        expected.put("198.18.17.2:8000", Fleet.Exposure.Reached.UNKNOWN);
        assertEquals(expected, new java.util.TreeMap<>(got), "each measured-open endpoint by the rules as written");
        Fleet.Exposure x = Fleet.of(r).exposure();
        assertEquals(new Fleet.Exposure(6, 2, 1, true), x);
        StringWriter w = new StringWriter();
        HtmlReport.write(r, null, w);
        assertTrue(Jsoup.parse(w.toString()).select("p.lede").text().contains(
                "By the hosts' rules, 6 of them are reachable from the internet, 2 only from the networks the rules allow, such as the scanner's, and for 1 it"
                + " is not known (the address is in no snapshot, a rule on the way was not read, or the snapshot does not explain what the scan saw)."),
                Jsoup.parse(w.toString()).select("p.lede").text());
        StringWriter md = new StringWriter();
        Markdown.write(r, md);
        assertTrue(md.toString().contains(x.scannedSentence()), "the Markdown says it too");
        assertEquals(null, Fleet.of(new Report(scan, audit, Map.of(), "test", Instant.EPOCH)).exposure(), "without the internet's view, nothing is said");
    }
}
