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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aiscan merge}: join the shards of one scan. */
@Command(name = "merge", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Join the shards of one scan (--shard I/N, same targets, ports and seed) into one.",
            "Every shard must be there once (--partial merges what is there and says the result is incomplete)."},
        footer = {"", "Exit codes: 0 merged and complete, 4 merged but shards missing or unfinished, 2 parts that do not belong together."})
public final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PART.jsonl", arity = "1..*")
    List<Path> parts = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The merged scan (JSON Lines).")
    Path output;

    @Option(names = "--partial", description = "Merge even when shards are missing.")
    boolean partial;

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
