package org.aiscan.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.aiscan.console.Console;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;

/** {@code --dry-run}: every planned probe as {@code ADDRESS PORT}, in the order they would be sent; nothing is sent. */
final class DryRun {
    private DryRun() {
    }

    static int print(ScanPlan plan, Console console) {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        ScanPlan.Cursor c = plan.cursor();
        while (c.hasNext()) {
            Probe p = c.next();
            out.print(p.address());
            out.print(' ');
            out.println(p.port());
        }
        out.flush();
        console.say(String.format(Locale.ROOT, "dry run: %,d probes over %,d addresses (shard %s, seed %d); nothing sent",
                plan.probes(), plan.targets().size(), plan.shard(), plan.seed()));
        return ExitCodes.OK;
    }
}
