package org.aiscan.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.model.ScanResult;
import org.aiscan.model.audit.AuditResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every format renders the hostile scan (test-fixtures/reports/hostile-scan.jsonl) with the banner
 * text as text: escaped in HTML and Markdown, guarded in CSV, well-formed in XML, valid SARIF.
 */
class ReportFormatsTest {
    static Report report;
    static AuditPolicy policy;

    @BeforeAll
    static void load() throws Exception {
        policy = AuditPolicy.load(Path.of("rulesets/policy/audit.yaml"));
        ScanResult scan = ScanFile.read(Path.of("test-fixtures/reports/hostile-scan.jsonl"));
        AuditResult audit = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset()).run(scan, List.of(), List.of());
        report = new Report(scan, audit, Map.of(), "test", Instant.parse("2026-11-21T10:00:03Z"));
    }

    @Test
    void theScanHasFindingsToRender() {
        Set<String> codes = new java.util.TreeSet<>();
        report.audit().diagnoses().forEach(d -> codes.add(d.code().name()));
        assertTrue(codes.containsAll(Set.of("UNAUTHENTICATED_AI_API", "KNOWN_CVE", "ADMIN_ENDPOINT_EXPOSED", "PLAINTEXT_BASIC_AUTH")), codes.toString());
    }

    @Test
    void htmlEscapesEverythingAndLoadsNothing() throws Exception {
        StringWriter w = new StringWriter();
        HtmlReport.write(report, null, w);
        String html = w.toString();
        assertFalse(html.contains("<script"), "no script element");
        assertFalse(html.contains("<img") || html.contains("<iframe") || html.contains("<b>bold"), "no injected element");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;version&#39;)&lt;/script&gt;"), "the version shows as text");
        assertTrue(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "the snippet shows as text");
        assertFalse(java.util.regex.Pattern.compile("<[^>]*\\s((src|style)\\s*=|href\\s*=\\s*\"(?!#))").matcher(html).find(),
                "no attribute that loads anything (links go only to a place in the page)");
        assertFalse(html.contains("url(//") && !html.contains("url(//203.0.113.9/y)}&lt;/style&gt;"), "CSS from a banner is text");
        assertTrue(html.contains("default-src 'none'"), "a content security policy that forbids loads");
        assertEquals(1, html.split("<style>", -1).length - 1, "one style block: ours");
    }

    @Test
    void csvGuardsFormulas() throws Exception {
        StringWriter w = new StringWriter();
        Csv.write(report, w);
        String csv = w.toString();
        assertTrue(csv.contains("\"'=HYPERLINK(\"\"http://203.0.113.9/x\"\",\"\"click\"\")\""), csv);
        assertTrue(csv.contains("\"'+SUM(1,1)\n# injected heading\n[link](http://203.0.113.9)\""), csv);
        assertTrue(csv.contains("\"'-2+3 metrics and targets\""), csv);
        for (String line : csv.split("\r\n")) {
            for (String cell : line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                String c = cell.startsWith("\"") ? cell.substring(1) : cell;
                assertFalse(!c.isEmpty() && "=+-@".indexOf(c.charAt(0)) >= 0, "unguarded cell " + cell);
            }
        }
        assertEquals("'@x", Csv.cell("@x").replace("\"", ""));
        assertEquals("\"a,b\"", Csv.cell("a,b"));
    }

    @Test
    void markdownKeepsBannersInert() throws Exception {
        StringWriter w = new StringWriter();
        Markdown.write(report, w);
        String md = w.toString();
        String prose = md.replaceAll("(?s)```\n.*?\n```", ""); // fenced blocks are shown as code, whatever they hold
        assertTrue(md.contains("```\nscan: 198.18.0.10:8000 open"), "evidence is fenced: " + md);
        assertFalse(prose.contains("<script"), prose);
        assertTrue(md.contains("&lt;script&gt;"), md);
        assertFalse(md.contains("\n# injected heading"), "no heading from a banner");
        for (String line : md.split("\n")) {
            if (line.startsWith("| 198.18.0.10:8000")) {
                assertEquals(7, line.split("(?<!\\\\)\\|", -1).length - 1, "a pipe in a banner does not add a cell (six columns): " + line);
            }
        }
    }

    @Test
    void sarifValidatesAgainstTheSchema() throws Exception {
        StringWriter w = new StringWriter();
        Sarif.write(report, policy::code, w);
        ObjectMapper om = new ObjectMapper();
        JsonNode doc = om.readTree(w.toString());
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(Files.readString(Path.of("test-fixtures/schemas/sarif-2.1.0-rtm.5.json")));
        Set<ValidationMessage> errors = schema.validate(doc);
        assertEquals(Set.of(), errors);
        assertEquals("2.1.0", doc.path("version").asText());
        JsonNode results = doc.path("runs").get(0).path("results");
        assertEquals(report.audit().diagnoses().size(), results.size());
        for (JsonNode r : results) {
            String rule = doc.path("runs").get(0).path("tool").path("driver").path("rules").get(r.path("ruleIndex").asInt()).path("id").asText();
            assertEquals(r.path("ruleId").asText(), rule, "ruleIndex points at the rule");
        }
        // the validator does catch a broken log
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("version", "9");
        assertFalse(schema.validate(doc).isEmpty());
    }

    @Test
    void nmapXmlIsWellFormedWithoutControlCharacters() throws Exception {
        StringWriter w = new StringWriter();
        NmapXml.write(report, w);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(w.toString())));
        assertEquals("nmaprun", d.getDocumentElement().getTagName());
        assertEquals(3, d.getElementsByTagName("port").getLength());
        assertEquals("3.5.0\uFFFD\uFFFD", ((org.w3c.dom.Element) d.getElementsByTagName("service").item(2)).getAttribute("version"));
    }

    @Test
    void prometheusTextfileIsTheExpositionFormat() throws Exception {
        StringWriter w = new StringWriter();
        PromTextfile.write(report, w);
        for (String line : w.toString().split("\n")) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
                    || line.matches("[a-z_]+(\\{[a-z_]+=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\"})? -?[0-9.]+(e[0-9+-]+)?"), "not exposition format: " + line);
        }
        assertTrue(w.toString().contains("aiscan_open_endpoints{service=\"vllm\"} 1"));
        assertEquals("a\\\"b\\\\c\\n", PromTextfile.label("a\"b\\c\n"));
    }
}
