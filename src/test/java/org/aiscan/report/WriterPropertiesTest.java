package org.aiscan.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Evidence;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.Service;
import org.aiscan.model.Utf8;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.remediate.Bundle;
import org.aiscan.remediate.Planner;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every writer renders any model the scanner can produce (see {@link Generated}), and each output
 * is read back by a reader nobody here wrote: jsoup for HTML (chromium in ReportIT), the JDK's XML
 * parser for nmap XML (ndiff in ReportIT), the SARIF 2.1.0 schema, Apache Commons CSV, the
 * exposition format's grammar (promtool in ReportIT), Jackson for JSON, commonmark-java for
 * Markdown and the remediation README, bash -n for the remediation scripts.
 */
class WriterPropertiesTest {
    private static final int TRIES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n]]");
    private static JsonSchema sarifSchema;

    /** What a writer sees once text went through UTF-8 (a lone surrogate cannot: it becomes U+FFFD). */
    static String utf8(String s) {
        return s == null ? null : new String(Utf8.bytes(s), StandardCharsets.UTF_8);
    }

    static String render(ThrowingWriter w) throws Exception {
        StringWriter out = new StringWriter();
        w.write(out);
        return utf8(out.toString());
    }

    @FunctionalInterface
    interface ThrowingWriter {
        void write(java.io.Writer w) throws Exception;
    }

    /**
     * One generated report through every writer: {@value #TRIES} cases, each checked by every
     * writer's reader (a failure names the writer and the seed that repeats the case).
     */
    @Test
    void everyWriterRendersAnyReport() throws Exception {
        Gen.check(TRIES, 20261204L, Generated.report(), WriterPropertiesTest::everyWriter);
    }

    static void everyWriter(Report r) throws Exception {
        writer("htmlParsesWithNothingActiveAndEveryValueAsText", () -> htmlParsesWithNothingActiveAndEveryValueAsText(r));
        writer("nmapXmlIsWellFormedWithOnePortPerEndpoint", () -> nmapXmlIsWellFormedWithOnePortPerEndpoint(r));
        writer("sarifValidatesAgainstTheSchema", () -> sarifValidatesAgainstTheSchema(r));
        writer("markdownHasNoLinkImageHtmlOrHeadingFromData", () -> markdownHasNoLinkImageHtmlOrHeadingFromData(r));
        writer("csvParsesToOneRecordPerRowWithEveryCellGuarded", () -> csvParsesToOneRecordPerRowWithEveryCellGuarded(r));
        writer("prometheusTextfileFollowsTheExpositionFormat", () -> prometheusTextfileFollowsTheExpositionFormat(r));
        writer("jsonLinesReadBackToTheSameScan", () -> jsonLinesReadBackToTheSameScan(r));
        writer("theTableIsOneLinePerEndpointWithoutControlCharacters", () -> theTableIsOneLinePerEndpointWithoutControlCharacters(r));
        writer("auditTextHasEveryDiagnosisAndNoControlCharacter", () -> auditTextHasEveryDiagnosisAndNoControlCharacter(r));
        writer("auditJsonReadsBackTheDiagnoses", () -> auditJsonReadsBackTheDiagnoses(r));
        writer("remediationReadmeAndScriptsStayInertAndParse", () -> remediationReadmeAndScriptsStayInertAndParse(r));
    }

    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    /** Runs one writer's check; a failure says which writer. */
    static void writer(String name, Check c) throws Exception {
        try {
            c.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(name + ": " + e, e);
        }
    }

    // -------------------------------------------------------------------------------------- HTML

    static void htmlParsesWithNothingActiveAndEveryValueAsText(Report r) throws Exception {
        checkHtml(r, render(w -> HtmlReport.write(r, null, w)));
    }

    static void checkHtml(Report r, String html) {
        Document d = Jsoup.parse(html);
        assertEquals(1, d.select("style").size(), "one style element: ours");
        assertEquals(0, d.select("script, img, iframe, object, embed, link, base, form, input, math, video, audio, source, frame").size(),
                "no active element");
        assertEquals(0, d.select("svg a, svg image, svg use, svg foreignobject, svg style, svg animate, svg set").size(),
                "the path diagrams draw and nothing else");
        Set<String> ids = new java.util.HashSet<>(d.select("[id]").eachAttr("id")); // once: a lookup per link was quadratic
        for (Element e : d.getAllElements()) {
            e.attributes().forEach(a -> {
                String k = a.getKey().toLowerCase(java.util.Locale.ROOT);
                boolean inPage = k.equals("href") && a.getValue().startsWith("#") && ids.contains(a.getValue().substring(1));
                assertFalse(k.startsWith("on") || !inPage && Set.of("src", "href", "xlink:href", "srcdoc", "action", "formaction", "style", "background").contains(k),
                        "attribute " + k + "=" + a.getValue() + " on " + e.tagName() + " (links go only to a place in the page)");
            });
        }
        assertEquals(1, d.select("meta[http-equiv=Content-Security-Policy]").size());
        assertTrue(d.select("meta[http-equiv=Content-Security-Policy]").attr("content").startsWith("default-src 'none'"));
        List<Endpoint> open = r.openEndpoints();
        List<Element> rows = d.select("table.endpoints > tbody > tr.open");
        assertEquals(open.size(), rows.size(), "one row per open endpoint, under its host");
        Map<String, Element> byEndpoint = new java.util.HashMap<>();
        rows.forEach(row -> byEndpoint.put(row.child(0).text(), row));
        for (Endpoint e : open) {
            Element row = byEndpoint.get(e.port().endpoint());
            assertTrue(row != null, "a row for " + e.port().endpoint());
            Service s = e.service();
            String version = s == null || s.version() == null ? "" : s.version();
            assertEquals(norm(HtmlReport.text(version)), norm(row.child(2).text()), "the version is text, cell for cell");
        }
        assertEquals(r.audit().diagnoses().size(), d.select("article.finding").size(), "one article per diagnosis");
        for (Element host : d.select("section.host")) {
            for (Element ep : host.select("section.endpoint")) {
                List<String> fixes = ep.select("div.fix").eachText();
                assertEquals(new java.util.LinkedHashSet<>(fixes).size(), fixes.size(), "no fix printed twice for one endpoint: " + fixes);
            }
        }
        List<String> targets = r.scan().run().targets();
        int hosts = r.audit().hosts().size();
        assertEquals(norm(HtmlReport.text("aiscan report — " + (targets.size() > 3 && hosts > 1 ? hosts + " hosts, " + targets.size() + " targets"
                : String.join(", ", targets)))), norm(d.title()), "the title is the targets' text, or for a fleet its size");
    }

    static String norm(String s) {
        return org.jsoup.internal.StringUtil.normaliseWhitespace(utf8(s)).strip();
    }

    // ---------------------------------------------------------------------------------- nmap XML

    static void nmapXmlIsWellFormedWithOnePortPerEndpoint(Report r) throws Exception {
        checkXml(r, render(w -> NmapXml.write(r, w)));
    }

    static void checkXml(Report r, String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        org.w3c.dom.Document d = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        assertEquals("nmaprun", d.getDocumentElement().getTagName());
        NodeList ports = d.getElementsByTagName("port");
        assertEquals(r.scan().endpoints().size(), ports.getLength(), "one port element per endpoint");
        NodeList services = d.getElementsByTagName("service");
        for (int i = 0; i < services.getLength(); i++) {
            String name = ((org.w3c.dom.Element) services.item(i)).getAttribute("name");
            assertFalse(name.isEmpty(), "a service element always has a name (ndiff prints it)");
        }
    }

    // ------------------------------------------------------------------------------------- SARIF

    static void sarifValidatesAgainstTheSchema(Report r) throws Exception {
        checkSarif(r, render(w -> Sarif.write(r, Generated.policy()::code, w)));
    }

    static synchronized JsonSchema sarifSchema() throws Exception {
        if (sarifSchema == null) {
            sarifSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                    .getSchema(Files.readString(Path.of("test-fixtures/schemas/sarif-2.1.0-rtm.5.json")));
        }
        return sarifSchema;
    }

    static void checkSarif(Report r, String sarif) throws Exception {
        JsonNode doc = JSON.readTree(sarif);
        Set<ValidationMessage> errors = sarifSchema().validate(doc);
        assertEquals(Set.of(), errors);
        assertEquals(r.audit().diagnoses().size(), doc.path("runs").get(0).path("results").size(), "one result per diagnosis");
    }

    // ---------------------------------------------------------------------------------- Markdown

    static void markdownHasNoLinkImageHtmlOrHeadingFromData(Report r) throws Exception {
        String md = render(w -> Markdown.write(r, w));
        Node doc = Parser.builder().build().parse(md);
        List<String> bad = inert(doc, Set.of("aiscan report", "Hosts, worst first", "Fix first", "Host-wide", "Not matched to a snapshot"),
                List.of("Host ", "Endpoint "));
        assertEquals(List.of(), bad);
        assertFalse(CONTROL.matcher(md).find(), "no control character");
    }

    /**
     * Active or structural nodes a reader of the Markdown would see: links, images, raw HTML, and
     * headings other than the writer's own (by exact text or prefix).
     */
    static List<String> inert(Node doc, Set<String> headings, List<String> headingPrefixes) {
        List<String> bad = new ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                bad.add("link " + link.getDestination());
            }

            @Override
            public void visit(Image image) {
                bad.add("image " + image.getDestination());
            }

            @Override
            public void visit(HtmlInline html) {
                bad.add("inline html " + html.getLiteral());
            }

            @Override
            public void visit(HtmlBlock html) {
                bad.add("html block " + html.getLiteral());
            }

            @Override
            public void visit(Heading h) {
                StringBuilder t = new StringBuilder();
                for (Node n = h.getFirstChild(); n != null; n = n.getNext()) {
                    if (n instanceof Text x) {
                        t.append(x.getLiteral());
                    }
                }
                String s = t.toString();
                if (!headings.contains(s) && headingPrefixes.stream().noneMatch(s::startsWith)) {
                    bad.add("heading " + s);
                }
            }
        });
        return bad;
    }

    // --------------------------------------------------------------------------------------- CSV

    static void csvParsesToOneRecordPerRowWithEveryCellGuarded(Report r) throws Exception {
        String csv = render(w -> Csv.write(r, w));
        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(csv)).getRecords();
        assertEquals(1 + r.scan().endpoints().size() + r.audit().diagnoses().size(), records.size(), "header, endpoints, diagnoses");
        for (CSVRecord rec : records) {
            assertEquals(Csv.HEADER.size(), rec.size(), "every record has every column");
            for (String cell : rec) {
                assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0, "unguarded formula cell: " + cell);
            }
        }
        // rows come in the report's order (hosts worst first): each endpoint's row is found by address and port
        Map<String, List<String>> want = new java.util.HashMap<>();
        for (org.aiscan.model.Endpoint e : r.scan().endpoints()) {
            Service s = e.service();
            want.computeIfAbsent(e.port().address() + " " + e.port().port(), k -> new ArrayList<>())
                    .add(s == null || s.version() == null ? "" : utf8(s.version()));
        }
        for (CSVRecord rec : records.subList(1, records.size())) {
            if (rec.get(0).equals("endpoint")) {
                String got = rec.get(7);
                List<String> versions = want.getOrDefault(rec.get(2) + " " + rec.get(3), new ArrayList<>());
                String match = versions.stream().filter(v -> v.equals(got) || got.startsWith("'") && !v.startsWith("'")
                        && v.equals(got.substring(1))).findFirst().orElse(null);
                assertTrue(match != null, "the version survives, guard aside: " + got + " for " + rec.get(2) + " " + rec.get(3));
                versions.remove(match);
            }
        }
        assertTrue(want.values().stream().allMatch(List::isEmpty), "every endpoint has its row");
    }

    // -------------------------------------------------------------------------------- Prometheus

    /** The text exposition format (prometheus/docs exposition_formats.md) for the lines we write. */
    static final Pattern PROM = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|[a-zA-Z_:][a-zA-Z0-9_:]*"
            + "(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\")(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\")*})?"
            + " [-+]?([0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|Inf)");

    static void prometheusTextfileFollowsTheExpositionFormat(Report r) throws Exception {
        String prom = render(w -> PromTextfile.write(r, w));
        checkProm(prom);
        long open = r.openEndpoints().size();
        long counted = java.util.Arrays.stream(prom.split("\n")).filter(l -> l.startsWith("aiscan_open_endpoints{")).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
        assertEquals(open, counted, "the open endpoints add up");
    }

    static void checkProm(String prom) {
        assertTrue(prom.endsWith("\n"));
        Set<String> series = new java.util.HashSet<>();
        for (String line : prom.split("\n")) {
            assertTrue(PROM.matcher(line).matches(), "not exposition format: " + line);
            if (!line.startsWith("#")) {
                assertTrue(series.add(line.substring(0, line.lastIndexOf(' '))), "a series twice: " + line);
            }
        }
    }

    // ----------------------------------------------------------------------------------- JSON Lines

    static void jsonLinesReadBackToTheSameScan(Report r) throws Exception {
        ScanResult scan = r.scan();
        Path f = Files.createTempFile("aiscan-prop", ".jsonl");
        try {
            try (JsonLinesWriter w = new JsonLinesWriter(Utf8.writer(f), true, s -> true)) {
                w.start(scan.run());
                for (Endpoint e : scan.endpoints()) {
                    w.result(e);
                }
                if (scan.summary() != null) {
                    w.finish(scan.summary());
                }
            }
            ScanResult back = ScanFile.read(f);
            assertEquals(scan.endpoints().size(), back.endpoints().size());
            for (int i = 0; i < scan.endpoints().size(); i++) {
                assertEquals(expected(scan.endpoints().get(i)), back.endpoints().get(i), "endpoint " + i);
            }
            ScanRun a = scan.run();
            ScanRun b = back.run();
            assertEquals(a.targets().stream().map(WriterPropertiesTest::utf8).toList(), b.targets());
            assertEquals(utf8(a.ports()), b.ports());
            assertEquals(a.started(), b.started());
            assertEquals(a.seed(), b.seed());
            assertEquals(scan.summary() == null, back.summary() == null);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** An endpoint as its JSON line can carry it: text through UTF-8, the round trip time in 10 µs steps. */
    static Endpoint expected(Endpoint e) {
        PortResult p = e.port();
        long rtt = p.rttMicros() < 0 ? -1 : Math.round(Math.round(p.rttMicros() / 10.0) / 100.0 * 1000);
        PortResult q = new PortResult(p.address(), p.port(), p.state(), utf8(p.reason()), rtt, p.time());
        Service s = e.service();
        if (s == null) {
            return new Endpoint(q, null);
        }
        List<Evidence> ev = s.evidence().stream().map(x -> new Evidence(utf8(x.request()), x.status(), utf8(x.snippet()), utf8(x.what()))).toList();
        org.aiscan.model.Risk risk = new org.aiscan.model.Risk(utf8(s.risk().severity()), s.risk().reasons().stream().map(WriterPropertiesTest::utf8)
                .toList(), utf8(s.risk().summary()));
        List<org.aiscan.model.CveMatch> cves = s.cves().stream().map(c -> new org.aiscan.model.CveMatch(utf8(c.id()), utf8(c.severity()),
                utf8(c.title()), utf8(c.affected()), utf8(c.checked()))).toList();
        return new Endpoint(q, new Service(utf8(s.id()), utf8(s.name()), utf8(s.version()), utf8(s.auth()), utf8(s.authDetail()),
                utf8(s.confidence()), ev, risk, cves, s.tls(), s.notes().stream().map(WriterPropertiesTest::utf8).toList()));
    }

    // ------------------------------------------------------------------------------------- table

    static void theTableIsOneLinePerEndpointWithoutControlCharacters(Report r) throws Exception {
        StringWriter out = new StringWriter();
        TableWriter t = new TableWriter(new PrintWriter(out), s -> true);
        t.start(r.scan().run());
        r.scan().endpoints().forEach(t::result);
        t.finish(r.scan().summary() != null ? r.scan().summary()
                : new org.aiscan.model.ScanSummary(Instant.EPOCH, 0, 0, 0, 0, 0, 0, 0, false, null, List.of(), List.of()));
        String text = out.toString().replace(System.lineSeparator(), "\n");
        assertFalse(CONTROL.matcher(text).find(), "no control character reaches the terminal");
        List<String> lines = text.lines().toList();
        if (r.scan().endpoints().isEmpty()) {
            assertTrue(lines.size() <= 1);
        } else {
            assertEquals(1 + r.scan().endpoints().size(), lines.size(), "a header and one line per endpoint");
            int state = lines.get(0).indexOf("STATE");
            for (String l : lines.subList(1, lines.size())) {
                assertTrue(l.substring(state).startsWith("open") || l.substring(state).startsWith("closed") || l.substring(state).startsWith("filtered"),
                        "columns stay aligned: " + l);
            }
        }
    }

    // ------------------------------------------------------------------------------------- audit

    static void auditTextHasEveryDiagnosisAndNoControlCharacter(Report r) throws Exception {
        StringWriter out = new StringWriter();
        AuditText.write(r.audit(), new PrintWriter(out), false);
        String text = out.toString();
        assertFalse(CONTROL.matcher(text).find(), "no control character reaches the terminal");
        for (Diagnosis d : r.audit().diagnoses()) {
            assertTrue(text.contains(d.code().name()), d.code().name());
        }
        assertTrue(text.strip().lines().reduce((a, b) -> b).orElse("").matches("\\d+ hosts?, \\d+ diagnos(is|es).*"), "ends with the counts");
    }

    static void auditJsonReadsBackTheDiagnoses(Report r) throws Exception {
        AuditResult a = r.audit();
        JsonNode doc = JSON.readTree(render(w -> AuditJson.write(a, w)));
        assertEquals(AuditJson.SCHEMA, doc.path("schema").asText());
        JsonNode ds = doc.path("diagnoses");
        assertEquals(a.diagnoses().size(), ds.size());
        for (int i = 0; i < ds.size(); i++) {
            Diagnosis d = a.diagnoses().get(i);
            assertEquals(d.code().name(), ds.get(i).path("code").asText());
            assertEquals(utf8(d.why()), ds.get(i).path("why").asText());
            assertEquals(d.ip() == null ? null : d.ip().toString(), ds.get(i).path("ip").isNull() ? null : ds.get(i).path("ip").asText());
            assertEquals(d.evidence().size(), ds.get(i).path("evidence").size());
        }
        assertEquals(a.hosts().size(), doc.path("hosts").size());
    }

    // ------------------------------------------------------------------------------- remediation

    static void remediationReadmeAndScriptsStayInertAndParse(Report r) throws Exception {
        Planner planner = new Planner(new Planner.Options(List.of(org.aiscan.model.Cidr.parse("198.51.100.0/24")), "/etc/nginx/aiscan"), "test", java.time.Clock.systemUTC());
        for (HostAudit h : r.audit().hosts()) {
            Bundle b = planner.plan(h, r.audit().diagnoses());
            String readme = b.files().get("README.md");
            assertTrue(readme != null && !readme.isBlank(), "a README in every bundle");
            assertEquals(List.of(), inert(Parser.builder().build().parse(readme), Set.of(), List.of("aiscan remediation for ")),
                    "no link, image, HTML or heading from data in the README");
            for (Map.Entry<String, String> f : b.files().entrySet()) {
                assertFalse(CONTROL.matcher(f.getValue().replace("\t", "")).find(), "no control character in " + f.getKey());
                if (f.getKey().endsWith(".sh")) {
                    Path sh = Files.createTempFile("aiscan-prop", ".sh");
                    try {
                        Files.writeString(sh, f.getValue());
                        Process p = new ProcessBuilder("bash", "-n", sh.toString()).redirectErrorStream(true).start();
                        String err = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        assertEquals(0, p.waitFor(), f.getKey() + " does not parse: " + err);
                    } finally {
                        Files.deleteIfExists(sh);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------- edges

    @Test
    void zeroAndTenThousandEndpointsRenderInEveryFormat() throws Exception {
        for (int n : new int[] {0, 10_000}) {
            Report r = Generated.sized(n);
            assertEquals(n, r.scan().endpoints().size());
            checkHtml(r, render(w -> HtmlReport.write(r, null, w)));
            checkXml(r, render(w -> NmapXml.write(r, w)));
            checkSarif(r, render(w -> Sarif.write(r, Generated.policy()::code, w)));
            checkProm(render(w -> PromTextfile.write(r, w)));
            assertEquals(1 + n + r.audit().diagnoses().size(), CSVFormat.RFC4180.parse(new StringReader(render(w -> Csv.write(r, w))))
                    .getRecords().size());
            JSON.readTree(render(w -> AuditJson.write(r.audit(), w)));
            assertFalse(render(w -> Markdown.write(r, w)).isEmpty());
        }
    }

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacterInAFile() throws Exception {
        Path f = Files.createTempFile("aiscan-utf8", ".txt");
        try {
            try (java.io.Writer w = Utf8.writer(f)) {
                w.write("a\ud800b");
            }
            assertEquals("a\uFFFDb", Files.readString(f));
            byte[] raw = Files.readAllBytes(f);
            assertEquals("a\uFFFDb", new String(new ByteArrayInputStream(raw).readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
