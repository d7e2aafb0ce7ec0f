package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.console.Console;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.Shard;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;
import org.junit.jupiter.api.Test;

/** A dry run prints the plan's probes in its order and says what it would have sent. */
class DryRunTest {
    @Test
    void everyProbeInThePlansOrderThenOneLine() {
        TargetSet set = TargetSet.build(new TargetParser(TargetParser.SYSTEM, false).parse("198.18.0.1-3"), ExclusionList.empty());
        ScanPlan plan = new ScanPlan(set, PortSpec.parse("80,8000"), 7, new Shard(1, 2));
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < plan.probes(); i++) {
            Probe p = plan.probeAt(i);
            expected.add(p.address() + " " + p.port());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try (Console console = Console.plain(new PrintStream(said, true, StandardCharsets.UTF_8), false)) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = DryRun.print(plan, console);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(ExitCodes.OK, code);
        assertEquals(3, expected.size(), "half of 6 probes");
        assertEquals(expected, out.toString(StandardCharsets.UTF_8).lines().toList());
        assertTrue(said.toString().contains("dry run: 3 probes over 3 addresses (shard 1/2, seed 7); nothing sent"), said.toString());
    }
}
