package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.aiscan.console.Console;
import org.aiscan.model.Address;
import org.aiscan.model.CannotProceedException;
import org.aiscan.model.Endpoint;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.report.CollectingWriter;
import org.aiscan.report.ResultWriter;
import org.aiscan.scan.ScanJob;
import org.aiscan.schedule.Checkpoint;
import org.aiscan.schedule.StateDir;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A state folder's run, interrupted and resumed, without probing anything: the run folder is written by hand. */
class ResumableRunTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final Console console = Console.plain(new PrintStream(said, true, StandardCharsets.UTF_8), false);

    private ScanConfig config(String... args) {
        CommandLine cl = ScanCommand.commandLine();
        cl.parseArgs(args);
        return ScanConfig.of((ScanCommand) cl.getCommandSpec().userObject(), Map.of());
    }

    private static TargetSet targets(ScanConfig c) {
        return ScanTargets.build(c.targets());
    }

    private static ScanRun run(ScanConfig c, ScanPlan plan, Instant started) {
        return new ScanRun("test", started, "connect", c.targets().described(), c.ports().toSpec(), plan.targets().size(), plan.probes(),
                plan.seed(), c.shard().toString(), 0, List.of(), false);
    }

    private static Endpoint open(String ip, int port) {
        return new Endpoint(new PortResult(Address.parse(ip), port, PortState.OPEN, "syn-ack", 1000, Instant.parse("2026-12-01T00:00:01Z")),
                null);
    }

    /** A run that wrote one endpoint and was killed in the middle of its second line. */
    private Path interrupted(ScanConfig c) throws Exception {
        try (StateDir state = StateDir.open(tmp)) {
            TargetSet set = targets(c);
            ScanPlan plan = new ScanPlan(set, c.ports(), 42, c.shard());
            ResumableRun r = ResumableRun.start(state, c, plan);
            ResultWriter w = r.results(st -> st == PortState.OPEN);
            w.start(run(c, plan, Instant.parse("2026-12-01T00:00:00Z")));
            w.result(open("198.18.0.1", 80));
            w.close();
            Files.writeString(r.dir().resolve(ResumableRun.RESULTS), "{\"schema\":\"aiscan-sc", StandardOpenOption.APPEND);
            new Checkpoint(c.targets().described(), c.ports().toSpec(), 42, c.shard().toString(), 4, 1, new long[] {4, 4, 1, 0, 3})
                    .write(r.dir());
            return r.dir();
        }
    }

    @Test
    void aResumedRunContinuesTheInterruptedOneInItsOrderWithWhatItWrote() throws Exception {
        Path dir = interrupted(config("--state-dir", tmp.toString(), "--seed", "42", "-p", "80,81", "198.18.0.1-4"));
        ScanConfig c = config("--state-dir", tmp.toString(), "--resume", "-p", "80,81", "198.18.0.1-4");
        try (StateDir state = StateDir.open(tmp)) {
            ResumableRun r = ResumableRun.resume(state, c, targets(c), console);
            assertEquals(dir, r.dir());
            assertEquals(42, r.plan().seed(), "the interrupted run's order");
            assertTrue(said.toString().contains("resuming " + dir.getFileName() + ": 1 of 2 slices done, 1 results written"), said.toString());
            assertFalse(Files.readString(dir.resolve(ResumableRun.RESULTS)).contains("aiscan-sc\""), "the cut line is dropped");
            assertEquals(List.of(4L, 4L, 1L, 0L, 3L), java.util.Arrays.stream(r.counters()).boxed().toList());
            ScanJob.Chunks chunks = r.chunks();
            assertEquals(4, chunks.size());
            assertEquals(1, chunks.first());
            assertEquals(java.util.Set.of("198.18.0.1|80"), chunks.written());

            CollectingWriter all = r.collector(st -> st == PortState.OPEN);
            ResultWriter file = r.results(st -> st == PortState.OPEN);
            ScanPlan plan = r.plan();
            for (ResultWriter w : List.of(file, all)) {
                w.start(run(c, plan, Instant.parse("2026-12-02T00:00:00Z")));
                w.result(open("198.18.0.3", 81));
                w.close();
            }
            ScanResult whole = all.scan();
            assertEquals(Instant.parse("2026-12-01T00:00:00Z"), whole.run().started(), "the run record the file holds");
            assertEquals(List.of("198.18.0.1:80", "198.18.0.3:81"), whole.endpoints().stream().map(e -> e.port().endpoint()).toList());
            String text = Files.readString(dir.resolve(ResumableRun.RESULTS));
            assertEquals(1, text.lines().filter(l -> l.contains("\"type\":\"run\"")).count(), text);
            assertEquals(2, text.lines().filter(l -> l.contains("\"type\":\"port\"")).count(), text);

            r.end(state, true, 30, console);
            assertEquals(dir, state.last().orElseThrow());
        }
    }

    @Test
    void nothingToResumeIsARuntimeErrorAndAnotherScanAUsageError() throws Exception {
        ScanConfig fresh = config("--resume", "-p", "80", "198.18.0.1");
        try (StateDir state = StateDir.open(tmp)) {
            CannotProceedException e = assertThrows(CannotProceedException.class, () -> ResumableRun.resume(state, fresh, targets(fresh), console));
            assertTrue(e.getMessage().startsWith("nothing to resume in " + tmp), e.getMessage());
        }
        interrupted(config("--seed", "42", "-p", "80,81", "198.18.0.1-4"));
        for (ScanConfig other : List.of(config("--resume", "-p", "80", "198.18.0.1-4"), config("--resume", "-p", "80,81", "198.18.0.1-5"),
                config("--resume", "-p", "80,81", "--shard", "0/2", "198.18.0.1-4"), config("--resume", "--seed", "7", "-p", "80,81", "198.18.0.1-4"))) {
            try (StateDir state = StateDir.open(tmp)) {
                assertThrows(InvalidInputException.class, () -> ResumableRun.resume(state, other, targets(other), console));
            }
        }
    }

    @Test
    void aBrokenCheckpointIsTheStateFoldersProblemNotAUsageError() throws Exception {
        Path dir = interrupted(config("--seed", "42", "-p", "80,81", "198.18.0.1-4"));
        Files.writeString(dir.resolve(Checkpoint.FILE), "{\"schema\": \"something else\"}");
        ScanConfig c = config("--resume", "-p", "80,81", "198.18.0.1-4");
        try (StateDir state = StateDir.open(tmp)) {
            CannotProceedException e = assertThrows(CannotProceedException.class, () -> ResumableRun.resume(state, c, targets(c), console));
            assertTrue(e.getMessage().endsWith("checkpoint; start a new run without --resume"), e.getMessage());
        }
    }

    @Test
    void aRunStoppedBeforeItsFirstLineStartsItsFileAgain() throws Exception {
        ScanConfig c = config("--seed", "42", "-p", "80", "198.18.0.1");
        Path dir;
        try (StateDir state = StateDir.open(tmp)) {
            ResumableRun r = ResumableRun.start(state, c, new ScanPlan(targets(c), c.ports(), 42, c.shard()));
            dir = r.dir();
            Files.writeString(dir.resolve(ResumableRun.RESULTS), "{\"schema\"");
        }
        try (StateDir state = StateDir.open(tmp)) {
            ResumableRun r = ResumableRun.resume(state, config("--resume", "-p", "80", "198.18.0.1"), targets(c), console);
            assertFalse(Files.exists(dir.resolve(ResumableRun.RESULTS)));
            assertTrue(r.chunks().written().isEmpty());
            assertNull(r.collector(st -> true).scan(), "nothing collected before the run starts");
            r.end(state, false, 30, console);
            assertTrue(said.toString().contains("the run stopped; continue it with --resume (" + dir + ")"), said.toString());
            assertTrue(state.last().isEmpty());
        }
    }
}
