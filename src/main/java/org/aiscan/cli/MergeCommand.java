package org.aiscan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aiscan.console.Console;
import org.aiscan.report.AtomicFile;
import org.aiscan.model.ScanResult;
import org.aiscan.report.ScanFile;
import org.aiscan.schedule.Merge;
import org.aiscan.model.PortState;
import picocli.CommandLine;

/** {@code aiscan merge}: join the shards of one scan. */
public final class MergeCommand implements Callable<Integer> {
    List<Path> parts = new ArrayList<>();
    Path output;
    boolean partial;

    /** This command's command line, declared in code ({@link OptionTable}). */
    static CommandLine commandLine() {
        MergeCommand c = new MergeCommand();
        OptionTable t = OptionTable.command(c, "merge")
                .description("Join the shards of one scan (--shard I/N, same targets, ports and seed) into one.",
                        "Every shard must be there once (--partial merges what is there and says the result is incomplete).")
                .footer("", "Exit codes: 0 merged and complete, 4 merged but shards missing or unfinished, 2 parts that do not belong together.");
        t.positional("PART.jsonl").arity("1..*").list(Path.class, () -> c.parts, v -> c.parts = v);
        t.option("-o", "--output").required().label("FILE").about("The merged scan (JSON Lines).").value(Path.class, v -> c.output = v);
        t.option("--partial").about("Merge even when shards are missing.").flag(v -> c.partial = v);
        return t.commandLine();
    }

    @Override
    public Integer call() throws Exception {
        List<ScanResult> files = new ArrayList<>();
        for (Path p : parts) {
            files.add(ScanFile.read(p));
        }
        ScanResult merged = Merge.merge(files, partial);
        AtomicFile.write(output, w -> Merge.write(merged, w));
        try (Console console = Console.system(false)) {
            console.say(String.format(java.util.Locale.ROOT, "merged %d part(s): %,d probes, %,d open endpoints -> %s%s", files.size(),
                    merged.run().probes(), merged.endpoints().stream().filter(e -> e.port().state() == PortState.OPEN).count(),
                    output, merged.complete() ? "" : " (incomplete)"));
        }
        return merged.complete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
}
