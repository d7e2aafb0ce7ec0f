package org.aiscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.lab.Chromium;
import org.aiscan.lab.ReportPage;
import org.aiscan.model.Utf8;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.Vantage;
import org.aiscan.target.PortSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTML report read as a person reads it, in headless chromium (in a network namespace that has
 * only loopback, driven over the DevTools protocol): a generated 256-host fleet compared with last
 * week's scan, and each host sample alone (the five {@code lab-*} samples are captures of the lab's
 * scenarios), scanned and predicted; the lab's scenarios themselves are checked by AuditIT, which
 * builds them. The bounds are {@link ReportPage}'s: under 3 MB, loaded in under 2 s, no request, no
 * console message, no serious or critical axe-core violation. The test skips only when chromium or
 * axe-core is absent (CI installs both).
 */
class ReportBrowserIT {
    static final long SEED = 2026_0023L;
    static final int HOSTS = 256;

    @TempDir
    static Path tmp;
    static Chromium chromium;
    static String axe;

    /** axe-core and the browser, once for the class; each test that finds either missing is skipped, saying which. */
    static synchronized void ready() throws Exception {
        if (chromium == null) {
            axe = ReportPage.axe();
            chromium = ReportPage.browser(tmp.resolve("chrome"));
        }
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
        ready();
        Report r = FleetGen.report(HOSTS, SEED, true);
        assertEquals(HOSTS, r.audit().hosts().size());
        assertTrue(r.openEndpoints().size() > 2 * HOSTS && r.audit().diagnoses().size() > 4 * HOSTS,
                "a fleet with findings: " + r.openEndpoints().size() + " open, " + r.audit().diagnoses().size() + " diagnoses");
        assertTrue(r.comparison() != null && !r.comparison().fixed().isEmpty() && !r.comparison().added().isEmpty(), "compared with last week");
        java.util.Set<String> frontEnds = new java.util.TreeSet<>(Fleet.of(r).hosts().stream().map(Fleet.Host::frontEnd).toList());
        assertTrue(frontEnds.size() >= 3, "hosts behind several firewall front-ends: " + frontEnds);
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
        ready();
        AuditPolicy policy = AuditPolicy.load(Path.of(AuditPolicy.FILE));
        Correlator correlator = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset());
        Path dir = Path.of("test-fixtures/host-samples", sample);
        List<Correlator.SnapshotInput> in = List.of(new Correlator.SnapshotInput(dir, Collector.fromFiles(dir, "test")));
        check(sample + "-scanned", FleetGen.scanned(in, correlator, policy));
        AuditResult predicted = correlator.predict(in, List.of(Vantage.internet()), PortSpec.parse("ai-default"));
        check(sample + "-predicted", new Report(Report.prediction(predicted, "test", Instant.EPOCH), predicted, Map.of(), "test", Instant.EPOCH));
    }

    /** Renders {@code r}, loads it and checks the bounds. */
    static void check(String name, Report r) throws Exception {
        StringWriter w = new StringWriter();
        HtmlReport.write(r, null, w);
        Path file = tmp.resolve(name + ".html");
        Utf8.write(file, w.toString());
        ReportPage.check(chromium, axe, name, file).assertWithinBounds();
    }
}
