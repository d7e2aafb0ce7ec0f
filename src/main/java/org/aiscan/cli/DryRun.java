package org.aiscan.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.aiscan.console.Console;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.ScanProgress;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetSet;

/**
 * {@code --dry-run} (zmap's): the engine a scan would use runs its own packet path, with a printing
 * frame sender (SYN) or a printing connector (connect) in place of the network. Every frame or
 * connect attempt becomes one line on standard output, {@code ADDRESS PORT} first, in the order it
 * would be sent; nothing is sent and nothing is decided.
 */
final class DryRun {
    private DryRun() {
    }

    static int run(TargetSet set, ScanPlan plan, ScanConfig config, Console console) throws Exception {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        ProbeEngine engine = EngineChooser.dryRun(set, config.ports().size(), config.probing(), console, out, plan.seed());
        return print(engine, plan, console, out);
    }

    /** Runs {@code engine} (one built to print, not send) over the plan; what it prints goes to {@code out}. */
    static int print(ProbeEngine engine, ScanPlan plan, Console console, PrintWriter out) throws Exception {
        try {
            engine.run(plan, (probe, result) -> { }, new ScanProgress(plan.probes()), new Cancellation());
        } finally {
            out.flush();
        }
        console.say(String.format(Locale.ROOT, "dry run (%s): %,d probes over %,d addresses (shard %s, seed %d); nothing sent",
                engine.name(), plan.probes(), plan.targets().size(), plan.shard(), plan.seed()));
        return ExitCodes.OK;
    }
}
