package org.aiscan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;

/**
 * Runs {@code scanner/aiscan} on the lab and judges every endpoint of the scanned space against the
 * ground truth: open exactly where the lab listens, filtered where the lab drops, closed on every
 * other port of a live address, filtered (silent) on dark addresses. One wrong endpoint fails.
 */
public final class GroundTruthCheck {
    public static final Path AISCAN = Lab.ROOT.resolve("scanner/aiscan");

    private GroundTruthCheck() {
    }

    /** A scanned space: targets in aiscan's syntax and a port spec, parsed as the scanner parses them. */
    public record Space(TargetSet targets, PortList ports) {
        public static Space of(List<String> targets, String ports) {
            TargetParser p = new TargetParser(TargetParser.SYSTEM, false);
            List<AddressRange> ranges = new ArrayList<>();
            targets.forEach(t -> ranges.addAll(p.parse(t)));
            return new Space(TargetSet.build(ranges, ExclusionList.empty()), PortSpec.parse(ports));
        }

        /** The lab's truth restricted to this space. */
        public Truth truth(Truth all) {
            return all.within(targets::contains, ports::contains);
        }

        public long probes() {
            return targets.size() * ports.size();
        }
    }

    /** Result of one checked scan. */
    public record Checked(ScanOutput scan, Lab.Run run, Set<Truth.Endpoint> open) {
    }

    public static Lab.Run aiscan(List<String> args, int timeoutSeconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(AISCAN.toString()));
        cmd.addAll(args);
        return Lab.run(cmd, timeoutSeconds);
    }

    public static Checked scanAndCompare(Truth truth, List<String> targets, String ports, Path dir, String... extra)
            throws Exception {
        return scanAndCompare(List.of(), truth, targets, ports, dir, extra);
    }

    /** The same, with aiscan started through {@code prefix} (e.g. {@code ip netns exec NS}: a scanner on another host). */
    public static Checked scanAndCompare(List<String> prefix, Truth truth, List<String> targets, String ports, Path dir, String... extra)
            throws Exception {
        Path out = dir.resolve("scan-" + System.nanoTime() + ".jsonl");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(AISCAN.toString());
        cmd.addAll(targets);
        cmd.addAll(List.of("-p", ports, "--all-states", "--no-fingerprint", "--jsonl", out.toString()));
        cmd.addAll(List.of(extra));
        Lab.Run r = Lab.run(cmd, 300);
        assertEquals(0, r.code(), "aiscan failed: " + r.err());
        assertTrue(r.err().lines().allMatch(l -> l.startsWith("aiscan: ")), "only aiscan's own lines on stderr (no library's): " + r.err());
        ScanOutput scan = ScanOutput.parse(Files.readString(out));

        Space space = Space.of(targets, ports);
        Truth expected = space.truth(truth);
        Map<Truth.Endpoint, String> got = scan.states();

        assertEquals(space.probes(), got.size(), "one verdict per probe");
        Set<Truth.Endpoint> gotOpen = new HashSet<>();
        got.forEach((e, s) -> {
            if (s.equals("open")) {
                gotOpen.add(e);
            }
        });
        Set<Truth.Endpoint> missing = new HashSet<>(expected.open());
        missing.removeAll(gotOpen);
        Set<Truth.Endpoint> falseOpen = new HashSet<>(gotOpen);
        falseOpen.removeAll(expected.open());
        assertTrue(missing.isEmpty(), "open ports not found: " + missing + "\n" + r.err());
        assertTrue(falseOpen.isEmpty(), "false opens: " + falseOpen);
        for (Truth.Endpoint e : expected.filtered()) {
            assertEquals("filtered", got.get(e), "dropped port should be filtered: " + e);
        }
        List<String> wrong = new ArrayList<>();
        got.forEach((e, s) -> {
            if (expected.open().contains(e) || expected.filtered().contains(e)) {
                return;
            }
            String want = expected.live().contains(e.address()) ? "closed" : "filtered";
            if (!want.equals(s)) {
                wrong.add(e + " is " + s + ", expected " + want);
            }
        });
        assertTrue(wrong.isEmpty(), wrong.size() + " endpoints in the wrong state, e.g. " + wrong.subList(0, Math.min(5, wrong.size())));
        assertTrue(scan.summary().get("complete").asBoolean());
        assertEquals(expected.open().size(), scan.summary().get("open").asInt());
        return new Checked(scan, r, gotOpen);
    }
}
