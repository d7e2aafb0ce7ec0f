package org.aiscan.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.aiscan.console.Console;
import org.aiscan.model.CannotProceedException;
import org.aiscan.model.Endpoint;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.Utf8;
import org.aiscan.report.AtomicFile;
import org.aiscan.report.CollectingWriter;
import org.aiscan.report.JsonLinesWriter;
import org.aiscan.report.ResultWriter;
import org.aiscan.report.ScanFile;
import org.aiscan.scan.ScanJob;
import org.aiscan.schedule.Checkpoint;
import org.aiscan.schedule.StateDir;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetSet;
import org.jspecify.annotations.Nullable;

/**
 * A run kept in the state folder: a run folder of its own holding the results ({@value #RESULTS})
 * and a checkpoint replaced after every slice, so that an interrupted run (Ctrl-C, SIGTERM, kill -9)
 * continues where it stopped. A resumed run takes the interrupted run's seed, slices and counters,
 * and the results it wrote: they are not written twice, and the scan's whole result holds them.
 */
final class ResumableRun {
    /** The results file in a run folder. */
    static final String RESULTS = "scan.jsonl";

    private final Path dir;
    private final Checkpoint checkpoint;
    private final ScanPlan plan;
    private final @Nullable ScanResult earlier;
    private final Set<String> written = new HashSet<>();
    private final boolean resumed;

    private ResumableRun(Path dir, Checkpoint checkpoint, ScanPlan plan, @Nullable ScanResult earlier, boolean resumed) {
        this.dir = dir;
        this.checkpoint = checkpoint;
        this.plan = plan;
        this.earlier = earlier;
        this.resumed = resumed;
        if (earlier != null) {
            for (Endpoint e : earlier.endpoints()) {
                written.add(ScanJob.key(e.port()));
            }
        }
    }

    /** A new run folder for {@code plan}, with its first checkpoint. */
    static ResumableRun start(StateDir state, ScanConfig config, ScanPlan plan) throws IOException {
        Path dir = state.newRun(Instant.now());
        Checkpoint cp = new Checkpoint(config.targets().described(), config.ports().toSpec(), plan.seed(), config.shard().toString(),
                config.state().checkpointEvery(), 0, new long[5]);
        cp.write(dir);
        return new ResumableRun(dir, cp, plan, null, false);
    }

    /**
     * The state folder's interrupted run, continued: the same targets, ports and shard, in the same
     * order. Nothing to resume is a runtime error; other targets, ports, shard or seed a usage error.
     */
    static ResumableRun resume(StateDir state, ScanConfig config, TargetSet set, Console console) throws IOException {
        Path dir = state.resumable().orElseThrow(() -> new CannotProceedException("nothing to resume in " + state.dir()
                + ": its last run finished; start a new run without --resume"));
        Checkpoint cp = Checkpoint.read(dir);
        if (!cp.targets().equals(config.targets().described()) || !cp.ports().equals(config.ports().toSpec())
                || !cp.shard().equals(config.shard().toString())) {
            throw new InvalidInputException("the interrupted run " + dir.getFileName() + " scanned " + String.join(" ", cp.targets())
                    + " -p " + cp.ports() + " shard " + cp.shard() + "; resume it with the same targets, ports and shard");
        }
        if (config.seed() != null && config.seed() != cp.seed()) {
            throw new InvalidInputException("the interrupted run used --seed " + cp.seed() + "; a resume continues that order");
        }
        ScanPlan plan = new ScanPlan(set, config.ports(), cp.seed(), config.shard());
        Path results = dir.resolve(RESULTS);
        ScanResult earlier = written(results);
        if (earlier == null) { // stopped before its first line: start the file again
            Files.deleteIfExists(results);
        }
        ResumableRun run = new ResumableRun(dir, cp, plan, earlier, true);
        console.say(String.format(Locale.ROOT, "resuming %s: %,d of %,d slices done, %,d results written", dir.getFileName(),
                cp.chunksDone(), (plan.probes() + cp.chunk() - 1) / Math.max(1, cp.chunk()), run.written.size()));
        return run;
    }

    /**
     * What an interrupted run wrote (a partial last line, cut by a crash, is dropped first), or null
     * when the file does not even hold the run record.
     */
    private static @Nullable ScanResult written(Path jsonl) throws IOException {
        if (!Files.exists(jsonl)) {
            return null;
        }
        byte[] b = Files.readAllBytes(jsonl);
        int end = b.length;
        while (end > 0 && b[end - 1] != '\n') {
            end--;
        }
        if (end != b.length) {
            try (FileChannel ch = FileChannel.open(jsonl, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
        }
        return end == 0 ? null : ScanFile.read(jsonl);
    }

    /** The plan this run walks (a resumed run's is the interrupted run's order). */
    ScanPlan plan() {
        return plan;
    }

    Path dir() {
        return dir;
    }

    /** The run folder's results file: started, or continued after what the interrupted run wrote. */
    ResultWriter results(Predicate<PortState> shown) throws IOException {
        Path f = dir.resolve(RESULTS);
        return resumed && Files.exists(f)
                ? JsonLinesWriter.continuing(Utf8.writer(f, StandardOpenOption.APPEND), shown)
                : new JsonLinesWriter(Utf8.writer(f), true, shown);
    }

    /** The whole scan in memory: what the interrupted run wrote, then what this one finds. */
    CollectingWriter collector(Predicate<PortState> shown) {
        return earlier == null ? new CollectingWriter(shown) : CollectingWriter.continuing(earlier, shown);
    }

    /** Slices of the checkpoint's size, the checkpoint replaced after each; what was written is not written again. */
    ScanJob.Chunks chunks() {
        return new ScanJob.Chunks(checkpoint.chunk(), checkpoint.chunksDone(), (n, counters) -> checkpoint.advanced(n, counters).write(dir),
                written);
    }

    /** The counters of the slices the interrupted run finished, or null for a new run. */
    long @Nullable [] counters() {
        return resumed ? checkpoint.counters() : null;
    }

    /** Copies the run's results to the --jsonl file, whole, in one step. */
    void publish(Path jsonl) throws IOException {
        Path from = dir.resolve(RESULTS);
        AtomicFile.write(jsonl, w -> w.write(Files.readString(from, StandardCharsets.UTF_8)));
    }

    /** A complete run becomes the folder's last and old runs beyond {@code keep} go; a stopped one says how to continue. */
    void end(StateDir state, boolean complete, int keep, Console console) throws IOException {
        if (complete) {
            state.finished(dir);
            state.prune(keep);
        } else {
            console.error("the run stopped; continue it with --resume (" + dir + ")");
        }
    }
}
