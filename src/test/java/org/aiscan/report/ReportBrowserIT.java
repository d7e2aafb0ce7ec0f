package org.aiscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.AuditResult;
import org.aiscan.audit.Correlator;
import org.aiscan.audit.Vantage;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.lab.Chromium;
import org.aiscan.model.Utf8;
import org.aiscan.target.PortSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTML report read as a person reads it, in headless chromium (in a network namespace that has
 * only loopback, driven over the DevTools protocol): a generated 256-host fleet compared with last
 * week's scan, and each host sample alone (the five {@code lab-*} samples are captures of the lab's
 * scenarios), scanned and predicted. Each page is under 3 MB, loads (navigation to load event) in
 * under 2 s, makes no request (any {@code Network.requestWillBeSent} but the document's own counts,
 * {@code data:} URLs too: the report draws with inline SVG and CSS and has nothing to fetch), prints
 * no console message, log entry or exception, and axe-core, injected by this test with
 * {@code Runtime.evaluate} and never part of the page, finds no serious or critical violation.
 *
 * <p>axe-core comes from npm: {@code test-fixtures/realprod/prepare.sh axe} installs it (CI does), and
 * {@code AISCAN_AXE_JS} names its {@code axe.min.js} (default: the real-product cache). The test
 * skips only when chromium or that file is absent.
 */
class ReportBrowserIT {
    static final long SEED = 2026_0023L;
    static final int HOSTS = 256;
    static final long MAX_BYTES = 3_000_000;
    static final long MAX_LOAD_MILLIS = 2_000;
    static final String AXE_ENV = "AISCAN_AXE_JS";

    /** axe's violations, each rule with its impact, how many elements and the first few of them. */
    static final String AXE_RUN = """
            axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
              nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' ' + n.html.substring(0, 160)
                  + (n.any.length ? ' — ' + n.any[0].message : ''))})))""";

    /** Lays out what {@code content-visibility: auto} leaves for later (through the CSSOM: the page's CSP is unchanged). */
    static final String SHOW_ALL = "document.querySelectorAll('section.host').forEach(s => s.style.contentVisibility = 'visible'); true";

    @TempDir
    static Path tmp;
    static Chromium chromium;
    static String axe;

    @BeforeAll
    static void start() throws Exception {
        Path script = Path.of(System.getenv().getOrDefault(AXE_ENV, System.getenv().getOrDefault("AISCAN_REALPROD_CACHE", "/var/cache/aiscan-realprod")
                + "/axe/node_modules/axe-core/axe.min.js"));
        assumeTrue(Files.isRegularFile(script), "axe-core is not installed: no " + script + " (test-fixtures/realprod/prepare.sh axe installs it from npm; "
                + AXE_ENV + " names another axe.min.js)");
        axe = Files.readString(script);
        chromium = Chromium.start(tmp.resolve("chrome"));
        // a fresh browser's first page pays for the browser (its renderer, fonts): paid here on a page of one line
        Path warm = tmp.resolve("warm.html");
        Files.writeString(warm, "<!DOCTYPE html><html lang=\"en\"><title>warm</title><p>warm</p></html>");
        chromium.visit(warm, 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    @Timeout(900)
    void aGenerated256HostFleetReportIsSmallFastQuietAndAccessible() throws Exception {
        Report r = FleetGen.report(HOSTS, SEED, true);
        assertEquals(HOSTS, r.audit().hosts().size());
        assertTrue(r.openEndpoints().size() > 2 * HOSTS && r.audit().diagnoses().size() > 4 * HOSTS,
                "a fleet with findings: " + r.openEndpoints().size() + " open, " + r.audit().diagnoses().size() + " diagnoses");
        check("fleet-" + HOSTS, r);
    }

    static Stream<String> samples() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("test-fixtures/host-samples"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    @Timeout(300)
    void eachHostSamplesReportScannedAndPredicted(String sample) throws Exception {
        AuditPolicy policy = AuditPolicy.load(Path.of(AuditPolicy.FILE));
        Correlator correlator = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset());
        Path dir = Path.of("test-fixtures/host-samples", sample);
        List<Correlator.SnapshotInput> in = List.of(new Correlator.SnapshotInput(dir, Collector.fromFiles(dir, "test")));
        check(sample + "-scanned", FleetGen.scanned(in, correlator, policy));
        AuditResult predicted = correlator.predict(in, List.of(Vantage.internet()), PortSpec.parse("ai-default"));
        check(sample + "-predicted", new Report(Report.prediction(predicted, "test", Instant.EPOCH), predicted, Map.of(), "test", Instant.EPOCH));
    }

    /** Renders {@code r}, loads it and checks the bounds; prints what it measured. */
    static void check(String name, Report r) throws Exception {
        StringWriter w = new StringWriter();
        HtmlReport.write(r, null, w);
        Path file = tmp.resolve(name + ".html");
        Utf8.write(file, w.toString());
        long bytes = Files.size(file);
        assertFalse(w.toString().contains("<script"), name + ": no script in the page");
        Chromium.Visit v = chromium.visit(file, 300);
        List<String> axeConsole = new ArrayList<>();
        // every host's section laid out, as it is once scrolled to: axe reads colours and overlaps from the layout,
        // which content-visibility: auto skips for the sections off screen
        chromium.evaluate(SHOW_ALL, 30, axeConsole);
        assertEquals(Boolean.TRUE, chromium.evaluate(axe + "\n;typeof axe.run === 'function'", 60, axeConsole).asBoolean(), "axe-core loaded");
        long t0 = System.nanoTime();
        JsonNode violations = chromium.evaluate(AXE_RUN, 600, axeConsole);
        long axeMillis = (System.nanoTime() - t0) / 1_000_000;
        List<String> serious = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (JsonNode x : violations) {
            String impact = x.path("impact").asText();
            all.add(x.path("id").asText() + " (" + impact + ", " + x.path("count").asInt() + ")");
            if (impact.equals("serious") || impact.equals("critical")) {
                serious.add(x.path("id").asText() + " (" + impact + ", " + x.path("count").asInt() + " elements): " + x.path("help").asText()
                        + "\n      " + String.join("\n      ", nodes(x)));
            }
        }
        System.out.printf("%s: %,d bytes, load %d ms (browser %d ms), axe %d ms, %d elements; violations: %s%n", name, bytes, v.millis(),
                v.browserMillis(), axeMillis, chromium.evaluate("document.getElementsByTagName('*').length", 30, axeConsole).asInt(), all);
        assertTrue(bytes < MAX_BYTES, name + ": " + bytes + " bytes");
        assertEquals(List.of(), v.requests(), name + ": requests made by the page");
        assertEquals(List.of(), v.console(), name + ": console messages");
        assertTrue(v.millis() < MAX_LOAD_MILLIS, name + ": loaded in " + v.millis() + " ms");
        assertEquals(List.of(), serious, name + ": serious or critical accessibility violations");
        assertEquals(List.of(), axeConsole, name + ": console messages while axe ran");
    }

    private static List<String> nodes(JsonNode violation) {
        List<String> out = new ArrayList<>();
        violation.path("nodes").forEach(n -> out.add(n.asText()));
        return out;
    }
}
