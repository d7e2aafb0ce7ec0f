package org.aiscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.aiscan.lab.Chromium;
import org.aiscan.lab.Lab;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Service;
import org.aiscan.model.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated reports of {@link WriterPropertiesTest}, 1,000 of them, read by the programs the
 * formats are for: every HTML report loaded in headless chromium (no console message, no request,
 * nothing active in the DOM, every version shown as text), every nmap XML file loaded by ndiff's own
 * parser (compared with itself and with an empty scan), every Prometheus textfile passed through
 * {@code promtool check metrics}.
 */
class ReadersIT {
    static final int CASES = 1000;
    static final long SEED = 4_0000_2026L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<Report> cases;

    /** The cases, made once for the three readers (case i from seed SEED + i). */
    static synchronized List<Report> reports(int n) {
        if (cases == null || cases.size() < n) {
            List<Report> out = new ArrayList<>(n);
            Gen<Report> g = Generated.report();
            for (int i = 0; i < n; i++) {
                out.add(g.next(new Random(SEED + i)));
            }
            cases = out;
        }
        return cases.subList(0, n);
    }

    static String render(WriterPropertiesTest.ThrowingWriter w) throws Exception {
        return WriterPropertiesTest.render(w);
    }

    /** What the page reports about itself: active elements and attributes, title, the endpoint rows, findings. */
    static final String PAGE_CHECK = """
            (() => {
              const bad = document.querySelectorAll('script,img,iframe,object,embed,link,base,form,input,math,video,audio,source,frame,'
                  + 'svg a,svg image,svg use,svg foreignObject,svg style,svg animate,svg set').length;
              let attrs = 0;
              for (const e of document.querySelectorAll('*')) {
                for (const a of e.attributes) {
                  const k = a.name.toLowerCase();
                  const inPage = k === 'href' && a.value.startsWith('#') && document.getElementById(a.value.substring(1)) !== null;
                  if (k.startsWith('on') || !inPage && ['src','href','xlink:href','srcdoc','action','formaction','style','background'].includes(k)) attrs++;
                }
              }
              const rows = [...document.querySelectorAll('table.endpoints > tbody > tr.open')]
                  .map(tr => [tr.children[0].textContent, tr.children[2].textContent]);
              return {bad, attrs, title: document.title, rows, findings: document.querySelectorAll('article.finding').length,
                      styles: document.styleSheets.length};
            })()""";

    @Test
    @Timeout(600)
    void chromiumLoadsEveryGeneratedReportWithNothingActiveAndEveryValueAsText() throws Exception {
        List<Report> reports = reports(CASES);
        try (Chromium c = Chromium.start(tmp)) {
            for (int i = 0; i < reports.size(); i++) {
                Report r = reports.get(i);
                Path f = tmp.resolve("r" + i + ".html");
                Utf8.write(f, render(w -> HtmlReport.write(r, null, w)));
                Chromium.Page p = c.open(f, PAGE_CHECK);
                String at = "case " + i + " (seed " + (SEED + i) + "): ";
                JsonNode v = p.value();
                assertEquals(List.of(), p.console(), at + "console messages");
                assertEquals(List.of(), p.requests(), at + "requests made by the page");
                assertEquals(0, v.path("bad").asInt(), at + "active elements");
                assertEquals(0, v.path("attrs").asInt(), at + "attributes that load or run");
                assertEquals(1, v.path("styles").asInt(), at + "one style sheet: ours");
                assertEquals(WriterPropertiesTest.norm(HtmlReport.text("aiscan report — " + String.join(", ", r.scan().run().targets()))),
                        WriterPropertiesTest.norm(v.path("title").asText()), at + "title");
                assertEquals(r.audit().diagnoses().size(), v.path("findings").asInt(), at + "one article per diagnosis");
                List<Endpoint> open = r.openEndpoints();
                assertEquals(open.size(), v.path("rows").size(), at + "one row per open endpoint, under its host");
                java.util.Map<String, String> versions = new java.util.HashMap<>();
                v.path("rows").forEach(row -> versions.put(row.get(0).asText(), row.get(1).asText()));
                for (Endpoint e : open) {
                    Service s = e.service();
                    String version = s == null || s.version() == null ? "" : s.version();
                    assertTrue(versions.containsKey(e.port().endpoint()), at + "a row for " + e.port().endpoint());
                    assertEquals(WriterPropertiesTest.norm(HtmlReport.text(version)), WriterPropertiesTest.norm(versions.get(e.port().endpoint())),
                            at + "the version is text");
                }
                Files.delete(f);
            }
        }
    }

    @Test
    @Timeout(300)
    void ndiffReadsEveryGeneratedNmapXml() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/lib/python3/dist-packages/ndiff.py")), "ndiff is not installed");
        List<Report> reports = reports(CASES);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            Path f = tmp.resolve("r" + i + ".xml");
            Utf8.write(f, render(w -> NmapXml.write(r, w)));
            files.add(f.toString());
        }
        Path list = tmp.resolve("files.txt");
        Files.write(list, files);
        Lab.Run run = Lab.run(List.of("/usr/bin/python3", Lab.ROOT.resolve("test-fixtures/lab/ndiff-batch.py").toString(), list.toString()), 280);
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(reports.size(), lines.size(), run.err());
        for (int i = 0; i < reports.size(); i++) {
            JsonNode n = JSON.readTree(lines.get(i));
            Report r = reports.get(i);
            String at = "case " + i + " (seed " + (SEED + i) + "): ";
            assertEquals("", n.path("error").asText(""), at + "ndiff could not read it");
            Set<String> hosts = new HashSet<>();
            r.scan().endpoints().forEach(e -> hosts.add(e.port().address().toString()));
            assertEquals(hosts.size(), n.path("hosts").asInt(), at + "hosts");
            assertEquals(r.scan().endpoints().size(), n.path("ports").asInt(), at + "ports");
            assertEquals(0, n.path("self_cost").asInt(), at + "a scan compared with itself has no difference");
            assertEquals(!r.scan().endpoints().isEmpty(), n.path("empty_cost").asInt() > 0, at + "differs from an empty scan iff it has ports");
        }
    }

    @Test
    @Timeout(300)
    void promtoolAcceptsEveryGeneratedTextfile() throws Exception {
        assumeTrue(Lab.run(List.of("sh", "-c", "command -v promtool"), 10).code() == 0, "promtool is not installed");
        List<Report> reports = reports(CASES);
        Path script = tmp.resolve("check.sh");
        StringBuilder sh = new StringBuilder("set -u\nfail=0\n");
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            Path f = tmp.resolve("r" + i + ".prom");
            Utf8.write(f, render(w -> PromTextfile.write(r, w)));
            sh.append("out=$(promtool check metrics < ").append(f).append(" 2>&1) || { echo \"case ").append(i).append(": $out\"; fail=1; }\n");
        }
        sh.append("exit $fail\n");
        Files.writeString(script, sh);
        Lab.Run run = Lab.run(List.of("sh", script.toString()), 280);
        assertEquals(0, run.code(), "promtool found problems: " + run.out() + run.err());
        // and it does reject what is not the format
        Path bad = tmp.resolve("bad.prom");
        Files.writeString(bad, "aiscan_open_endpoints{service=\"a\nb\"} 1\n");
        assertTrue(Lab.run(List.of("sh", "-c", "promtool check metrics < " + bad), 30).code() != 0, "promtool rejects a raw newline in a label");
    }

    @Test
    void theSameSeedGivesTheSameCase() throws Exception {
        StringWriter a = new StringWriter();
        StringWriter b = new StringWriter();
        Csv.write(Generated.report().next(new Random(SEED + 2)), a);
        Csv.write(Generated.report().next(new Random(SEED + 2)), b);
        assertEquals(a.toString(), b.toString(), "a failing case can be repeated from its seed");
    }
}
