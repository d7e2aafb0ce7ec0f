package org.aiscan.remediate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.model.Cidr;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.Vantage;
import org.aiscan.target.PortSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The remediation bundle of every research host sample (audited from its snapshot alone, trusted
 * 10.20.0.0/16 and 2001:db8:20::/48, a fixed clock) is byte-identical to its golden copy in
 * test-fixtures/golden/remediation/SAMPLE/, and to a second run. After an intended change, write the
 * golden copies again with {@code -Daiscan.golden.write=true} and review the diff.
 */
class GoldenBundlesTest {
    static final Path SAMPLES = Path.of("test-fixtures/host-samples");
    static final Path GOLDEN = Path.of("test-fixtures/golden/remediation");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    static AuditPolicy policy;
    static Correlator correlator;

    @BeforeAll
    static void load() throws Exception {
        policy = AuditPolicy.load(Path.of("rulesets/policy/audit.yaml"));
        correlator = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset());
    }

    static Stream<String> samples() throws IOException {
        try (Stream<Path> s = Files.walk(SAMPLES)) {
            return s.filter(p -> p.getFileName().toString().startsWith("ip-addr")).map(p -> SAMPLES.relativize(p.getParent()).toString())
                    .sorted().toList().stream();
        }
    }

    /** bundle-relative path -> content, for one sample. */
    static Map<String, String> bundle(String sample) throws Exception {
        Path dir = SAMPLES.resolve(sample);
        AuditResult a = correlator.predict(List.of(new Correlator.SnapshotInput(dir, Collector.fromFiles(dir, "golden"))),
                List.of(Vantage.internet()), PortSpec.parse("ai-default"));
        Planner planner = new Planner(new Planner.Options(List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("2001:db8:20::/48")),
                "/etc/nginx/aiscan"), "golden", CLOCK);
        Map<String, String> out = new TreeMap<>();
        for (HostAudit h : a.hosts()) {
            out.putAll(planner.plan(h, a.diagnoses()).files());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theBundleIsTheGoldenOneByteForByte(String sample) throws Exception {
        Map<String, String> first = bundle(sample);
        assertEquals(first, bundle(sample), "two runs, one bundle");
        assertTrue(first.containsKey("README.md"), sample);
        Path golden = GOLDEN.resolve(sample.replace('/', '+')); // step folders beside their sample, not inside
        if (Boolean.getBoolean("aiscan.golden.write")) {
            if (Files.isDirectory(golden)) {
                try (Stream<Path> old = Files.walk(golden)) {
                    for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            for (Map.Entry<String, String> e : first.entrySet()) {
                Path f = golden.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
            }
        }
        Map<String, String> expected = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(golden)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            expected.put(golden.relativize(f).toString(), Files.readString(f));
        }
        assertEquals(expected.keySet(), first.keySet(), sample + ": the files of the bundle");
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name), first.get(name), sample + "/" + name);
        }
    }
}
