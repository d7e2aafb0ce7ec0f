package org.aiscan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.ScanResult;
import org.aiscan.report.ScanFile;
import org.aiscan.schedule.ScanDiff;
import picocli.CommandLine;

/** {@code aiscan diff OLD NEW}: what changed between two scans. */
public final class DiffCommand implements Callable<Integer> {
    Path old;
    Path now;

    /** This command's command line, declared in code ({@link OptionTable}). */
    static CommandLine commandLine() {
        DiffCommand c = new DiffCommand();
        OptionTable t = OptionTable.command(c, "diff")
                .description("Compare two scans: what opened, closed or changed service, version or auth.",
                        "OLD and NEW are --jsonl files or run folders of a state folder. Lines: + newly open, - no longer open,",
                        "~ open with another service, version or authentication.")
                .footer("", "Exit codes: 0 the same, 1 they differ, 2 bad input.");
        t.positional("OLD").index("0").value(Path.class, v -> c.old = v);
        t.positional("NEW").index("1").value(Path.class, v -> c.now = v);
        return t.commandLine();
    }

    @Override
    public Integer call() throws Exception {
        List<ScanDiff.Change> changes = ScanDiff.diff(read(old), read(now));
        for (ScanDiff.Change c : changes) {
            String mark = switch (c.kind()) {
                case NEW -> "+";
                case GONE -> "-";
                case NOT_RESCANNED -> "?";
                case CHANGED -> "~";
            };
            System.out.println(mark + " " + c.endpoint() + "  " + c.what());
        }
        System.out.flush();
        return changes.isEmpty() ? 0 : 1;
    }

    private static ScanResult read(Path p) throws java.io.IOException {
        Path f = Files.isDirectory(p) ? p.resolve("scan.jsonl") : p;
        if (!Files.isRegularFile(f)) {
            throw new InvalidInputException(p + ": neither a scan's --jsonl file nor a run folder holding scan.jsonl");
        }
        return ScanFile.read(f);
    }
}
