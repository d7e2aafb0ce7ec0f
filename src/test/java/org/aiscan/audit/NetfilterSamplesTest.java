package org.aiscan.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.model.Address;
import org.aiscan.model.PortState;
import org.aiscan.model.audit.Prediction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluator against ground truth: every host-samples folder records what probes from outside
 * actually got ({@code reachability.txt}, measured when the sample was captured). For each probe the
 * evaluator, given only the snapshot, must predict the same state — open, closed (reset) or
 * filtered (timeout) — without uncertainty.
 */
class NetfilterSamplesTest {
    static final Path SAMPLES = Path.of("test-fixtures/host-samples");
    private static final Pattern PROBE = Pattern.compile(
            "^(REACHABLE|UNREACHABLE)\\s+(tcp|udp)/(\\d+) v([46])(?:.*?from (?:public-ish |RFC1918 source )?([0-9a-f.:]+))?.*?"
                    + "->\\s*(.*)$");
    private static final Pattern URL = Pattern.compile("\\((?:https?://|udp:)\\[?([0-9a-f.:]+?)\\]?:\\d+/?\\)");
    private static final Pattern SOURCES = Pattern.compile("source ([0-9.]+) / ([0-9a-f:]+)");

    /** One measured probe. */
    record Probe(String folder, String proto, int port, int family, Address src, Address dst, String expected, String line) {
        @Override
        public String toString() {
            return folder + " " + proto + "/" + port + " v" + family + " from " + src + ": " + expected;
        }
    }

    static Stream<Probe> probes() throws Exception {
        List<Probe> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(SAMPLES)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("0\\d-.*")).sorted().toList()) {
                out.addAll(probes(dir));
            }
        }
        return out.stream();
    }

    static List<Probe> probes(Path dir) throws Exception {
        Path f = dir.resolve("reachability.txt");
        if (!Files.exists(f)) {
            return List.of();
        }
        Map<String, Probe> byKey = new LinkedHashMap<>();
        Address v4src = null;
        Address v6src = null;
        Address v4dst = null;
        Address v6dst = null;
        String folder = dir.getFileName().toString();
        String sub = "";
        for (String line : Files.readAllLines(f)) {
            Matcher s = SOURCES.matcher(line);
            if (line.startsWith("#") && s.find()) {
                v4src = Address.parse(s.group(1));
                v6src = Address.parse(s.group(2));
            }
            if (line.startsWith("## step")) {
                char step = line.charAt("## step ".length());
                sub = step == 'A' ? "/stepA" : step == 'C' ? "/stepC" : "";
            }
            Matcher m = PROBE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            int family = Integer.parseInt(m.group(4));
            Matcher u = URL.matcher(line);
            Address dst = u.find() ? Address.parse(u.group(1)) : family == 4 ? v4dst : v6dst;
            if (dst == null) {
                continue; // a probe not aimed at the host (direct container routing)
            }
            if (family == 4) {
                v4dst = dst;
            } else {
                v6dst = dst;
            }
            Address src = m.group(5) != null ? Address.parse(m.group(5)) : family == 4 ? v4src : v6src;
            if (src == null) { // the lab's convention: the root namespace is .1 / ::1 of the host's link
                src = family == 4 ? Address.parse(dst.toString().replaceAll("\\.\\d+$", ".1"))
                        : Address.parse(dst.toString().replaceAll(":[0-9a-f]+$", ":1"));
            }
            String result = m.group(6);
            String expected = m.group(1).equals("REACHABLE") ? "open"
                    : result.contains("refused") || result.contains("reset") ? "closed"
                    : result.contains("timeout") || result.contains("dropped") ? "filtered" : "not-open";
            Probe p = new Probe(folder + sub, m.group(2), Integer.parseInt(m.group(3)), family, src, dst, expected, line);
            byKey.put(p.folder() + p.proto() + p.port() + p.family() + p.src(), p); // a later line is the later state
        }
        return new ArrayList<>(byKey.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void predictionMatchesWhatWasMeasured(Probe probe) throws Exception {
        HostView v = HostView.of(Collector.fromFiles(SAMPLES.resolve(probe.folder()), "test"));
        Prediction p = new Netfilter(v).evaluate(probe.src(), probe.dst(), probe.proto(), probe.port());
        String why = probe.line() + "\n  predicted " + p.state() + " via " + p.path() + " decided by " + p.decidedBy() + "\n  steps "
                + p.steps() + "\n  uncertain " + p.uncertain();
        assertTrue(p.uncertain().isEmpty(), "uncertain: " + why);
        if (probe.expected().equals("not-open")) {
            assertFalse(p.state() == PortState.OPEN, why);
        } else {
            assertEquals(probe.expected(), p.state().label(), why);
        }
    }
}
