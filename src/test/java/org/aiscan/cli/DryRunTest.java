package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.console.Console;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetSet;
import picocli.CommandLine;

import org.junit.jupiter.api.Test;

/**
 * A dry run goes through the engine a scan would use: with {@code --mode connect}, the connect
 * engine's own path with a printing connector, one line per connect it would start, in the plan's
 * order; then one line saying what it would have sent.
 */
class DryRunTest {
    @Test
    void everyConnectTheEngineWouldStartInThePlansOrderThenOneLine() throws Exception {
        CommandLine cl = ScanCommand.commandLine();
        cl.parseArgs("198.18.0.1-3", "-p", "80,8000", "--seed", "7", "--shard", "1/2", "--mode", "connect", "--dry-run");
        ScanConfig config = ScanConfig.of((ScanCommand) cl.getCommandSpec().userObject(), Map.of());
        TargetSet set = ScanTargets.build(config.targets());
        ScanPlan plan = new ScanPlan(set, config.ports(), config.seed(), config.shard());
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < plan.probes(); i++) {
            Probe p = plan.probeAt(i);
            expected.add(p.address() + " " + p.port() + " connect");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try (Console console = Console.plain(new PrintStream(said, true, StandardCharsets.UTF_8), false)) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = DryRun.run(set, plan, config, console);
        } finally {
            System.setOut(stdout);
        }
        assertEquals(ExitCodes.OK, code);
        assertEquals(3, expected.size(), "half of 6 probes");
        assertEquals(expected, out.toString(StandardCharsets.UTF_8).lines().toList());
        assertTrue(said.toString().contains("dry run (connect): 3 probes over 3 addresses (shard 1/2, seed 7); nothing sent"), said.toString());
    }
}
