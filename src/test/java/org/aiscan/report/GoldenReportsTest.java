package org.aiscan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.model.Endpoint;
import org.aiscan.model.ScanResult;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.Vantage;
import org.aiscan.target.PortSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reports of every host sample of test-fixtures/host-samples, rendered as {@link FleetGen#scanned} builds them
 * (the sample predicted from the internet, a scan that sees open what was predicted open, the correlation and the
 * bundle's fixes; version {@code test}, the epoch as the clock): HTML, Markdown, nmap XML, SARIF and CSV of the
 * scanned report, the HTML of the prediction, and the audit JSON and text of both. Each is rendered twice in one run, once more under another default
 * locale and time zone, and once from the scan's endpoints in a shuffled order, and must be the same bytes every time
 * and the same bytes as its copy in test-fixtures/golden/reports/SAMPLE/; a mismatch prints a unified diff. After an
 * intended change write the copies again with {@code -Daiscan.golden.write=true} (the property {@link
 * org.aiscan.remediate.GoldenBundlesTest} uses) and review the diff.
 *
 * <p>These files are a change detector, not the correctness oracle: they say that an output changed, not that it
 * is right. Whether a report tells the truth is asserted against the world elsewhere (the lab's audits, the
 * report's own tests, the browser checks).
 */
class GoldenReportsTest {
    static final Path SAMPLES = Path.of("test-fixtures/host-samples");
    static final Path GOLDEN = Path.of("test-fixtures/golden/reports");
    static AuditPolicy policy;
    static Correlator correlator;

    @BeforeAll
    static void load() throws Exception {
        policy = AuditPolicy.load(Path.of(AuditPolicy.FILE));
        correlator = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset());
    }

    static Stream<String> samples() throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** file name -> content: every format of the sample's reports. */
    static Map<String, String> render(String sample, boolean shuffled) throws Exception {
        Path dir = SAMPLES.resolve(sample);
        List<Correlator.SnapshotInput> in = List.of(new Correlator.SnapshotInput(dir, Collector.fromFiles(dir, "test")));
        Report r = FleetGen.scanned(in, correlator, policy);
        if (shuffled) {
            List<Endpoint> eps = new ArrayList<>(r.scan().endpoints());
            Collections.shuffle(eps, new Random(sample.hashCode()));
            ScanResult s = r.scan();
            ScanResult moved = new ScanResult(s.file(), s.run(), eps, s.summary(), s.allStates());
            r = new Report(moved, r.audit(), r.fixes(), r.version(), r.generated(), r.comparison());
        }
        Map<String, String> out = new LinkedHashMap<>();
        StringWriter w = new StringWriter();
        HtmlReport.write(r, null, w);
        out.put("report.html", w.toString());
        w = new StringWriter();
        Markdown.write(r, w);
        out.put("report.md", w.toString());
        w = new StringWriter();
        NmapXml.write(r, w);
        out.put("nmap.xml", w.toString());
        w = new StringWriter();
        Sarif.write(r, policy::code, w);
        out.put("report.sarif", w.toString());
        w = new StringWriter();
        Csv.write(r, w);
        out.put("report.csv", w.toString());
        AuditResult predicted = correlator.predict(in, List.of(Vantage.internet()), PortSpec.parse("ai-default"));
        w = new StringWriter();
        HtmlReport.write(new Report(Report.prediction(predicted, "test", Instant.EPOCH), predicted, Map.of(), "test", Instant.EPOCH), null, w);
        out.put("predicted.html", w.toString());
        w = new StringWriter();
        AuditJson.write(r.audit(), w);
        out.put("audit.json", w.toString());
        w = new StringWriter();
        AuditJson.write(predicted, w);
        out.put("predicted.json", w.toString());
        w = new StringWriter();
        try (PrintWriter p = new PrintWriter(w)) {
            AuditText.write(r.audit(), p, true);
            AuditText.write(predicted, p, true);
        }
        out.put("audit.txt", w.toString());
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyReportOfTheSampleIsItsGoldenCopyByteForByte(String sample) throws Exception {
        Map<String, String> first = render(sample, false);
        assertSame(sample, "a second run", first, render(sample, false));
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        Map<String, String> elsewhere;
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR")); // dotless i, comma decimals
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham")); // +12:45 / +13:45
            elsewhere = render(sample, false);
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
        assertSame(sample, "another default locale and time zone", first, elsewhere);
        assertSame(sample, "the scan's endpoints shuffled", first, render(sample, true));
        Path golden = GOLDEN.resolve(sample);
        if (Boolean.getBoolean("aiscan.golden.write")) {
            Files.createDirectories(golden);
            try (Stream<Path> old = Files.list(golden)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, String> e : first.entrySet()) {
                Files.write(golden.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(Files.isDirectory(golden), golden + " is missing; write it with -Daiscan.golden.write=true");
        Map<String, String> expected = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(golden)) {
            for (Path f : s.sorted().toList()) {
                expected.put(f.getFileName().toString(), new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
            }
        }
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(first.keySet()), sample + ": the files");
        assertSame(sample, "the golden copy in " + golden, expected, first);
    }

    /** Fails with a unified diff of every file that differs. */
    static void assertSame(String sample, String what, Map<String, String> expected, Map<String, String> actual) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String a = actual.get(e.getKey());
            if (!e.getValue().equals(a)) {
                b.append(diff(sample + "/" + e.getKey() + " (expected)", sample + "/" + e.getKey() + " (" + what + ")", e.getValue(),
                        a == null ? "" : a));
            }
        }
        if (b.length() > 0) {
            fail(sample + ": differs from " + what + ":\n" + b);
        }
    }

    /** A unified diff (three lines of context) of two texts, by their longest common subsequence of lines. */
    static String diff(String nameA, String nameB, String a, String b) {
        List<String> x = List.of(a.split("\n", -1));
        List<String> y = List.of(b.split("\n", -1));
        int pre = 0;
        while (pre < x.size() && pre < y.size() && x.get(pre).equals(y.get(pre))) {
            pre++;
        }
        int suf = 0;
        while (suf < x.size() - pre && suf < y.size() - pre && x.get(x.size() - 1 - suf).equals(y.get(y.size() - 1 - suf))) {
            suf++;
        }
        List<String> xs = x.subList(pre, x.size() - suf);
        List<String> ys = y.subList(pre, y.size() - suf);
        int n = xs.size();
        int m = ys.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = xs.get(i).equals(ys.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> ops = new ArrayList<>(); // ' ', '-', '+' followed by the line
        for (int i = Math.max(0, pre - 3); i < pre; i++) {
            ops.add(" " + x.get(i));
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && xs.get(i).equals(ys.get(j))) {
                ops.add(" " + xs.get(i++));
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                ops.add("+" + ys.get(j++));
            } else {
                ops.add("-" + xs.get(i++));
            }
        }
        for (int k = x.size() - suf; k < Math.min(x.size(), x.size() - suf + 3); k++) {
            ops.add(" " + x.get(k));
        }
        int from = Math.max(0, pre - 3);
        long oldLen = ops.stream().filter(o -> o.charAt(0) != '+').count();
        long newLen = ops.stream().filter(o -> o.charAt(0) != '-').count();
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(nameA).append('\n').append("+++ ").append(nameB).append('\n');
        out.append("@@ -").append(from + 1).append(',').append(oldLen).append(" +").append(from + 1).append(',').append(newLen).append(" @@\n");
        int shown = 0;
        for (String o : ops) {
            if (shown++ == 400) {
                out.append("… (").append(ops.size() - 400).append(" more lines)\n");
                break;
            }
            out.append(o).append('\n');
        }
        return out.toString();
    }
}
