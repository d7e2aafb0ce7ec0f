package org.aiscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.aiscan.console.Console;
import org.aiscan.model.CannotProceedException;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.probe.Cancellation;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.Shard;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;
import org.aiscan.testing.FailingFingerprinter;
import org.aiscan.testing.FakeEngine;
import org.aiscan.testing.RecordingWriter;
import org.junit.jupiter.api.Test;

/** The scan job without root, a network or a clock of its own: a fake engine, failing fingerprinters, a recording writer. */
class ScanJobTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T01:00:00Z"), ZoneOffset.UTC);

    private final Console quiet = Console.plain(new PrintStream(OutputStream.nullOutputStream()), true);
    private final Cancellation cancel = new Cancellation();

    static ScanPlan plan(String targets, String ports) {
        List<AddressRange> ranges = new TargetParser(TargetParser.SYSTEM, false).parse(targets);
        return new ScanPlan(TargetSet.build(ranges, ExclusionList.empty()), PortSpec.parse(ports), 42, Shard.WHOLE);
    }

    static ScanRun run(ScanPlan plan) {
        return new ScanRun("test", FakeEngine.TIME, "fake", List.of("test"), plan.ports().toSpec(), plan.targets().size(), plan.probes(),
                plan.seed(), "0/1", 0, List.of(), false);
    }

    /** Port 80 is open, the rest filtered. */
    static PortState verdict(Probe p) {
        return p.port() == 80 ? PortState.OPEN : PortState.FILTERED;
    }

    static FakeEngine engine() {
        return new FakeEngine(ScanJobTest::verdict);
    }

    private ScanJob job(ScanPlan plan, FakeEngine engine, RecordingWriter writer, Future<? extends ServiceIdentifier> identifier) {
        return new ScanJob(plan, engine, List.of(writer), quiet, st -> st == PortState.OPEN, identifier, 4).withClock(CLOCK);
    }

    private static List<String> endpoints(List<Endpoint> es) {
        return es.stream().map(e -> e.port().endpoint()).toList();
    }

    /** The open endpoints of a fake engine's runs, in the order it decided them. */
    private static List<String> open(FakeEngine engine) {
        List<String> out = new ArrayList<>();
        engine.runs().forEach(r -> r.stream().filter(e -> e.endsWith(":80")).forEach(out::add));
        return out;
    }

    @Test
    void everyWantedResultIsWrittenOnceInOrderAndTheSummaryLast() throws Exception {
        ScanPlan plan = plan("198.18.0.1-4", "80,81");
        FakeEngine engine = engine();
        RecordingWriter w = new RecordingWriter();
        ScanSummary s = job(plan, engine, w, null).run(run(plan), cancel);
        assertEquals(open(engine), endpoints(w.results()));
        assertEquals(4, w.results().size());
        assertEquals(List.of("start", "result", "result", "result", "result", "finish"), w.calls());
        assertSame(s, w.summary());
        assertTrue(s.complete());
        assertEquals(CLOCK.instant(), s.finished());
        assertEquals(List.of(8L, 8L, 4L, 0L, 4L), List.of(s.probes(), s.decided(), s.open(), s.closed(), s.filtered()));
        assertEquals(List.of("fake engine: 8 verdicts"), s.notes());
    }

    @Test
    void aFailingFingerprintLeavesItsEndpointWithoutAServiceAndTheScanGoesOn() throws Exception {
        ScanPlan plan = plan("198.18.0.1-4", "80,81");
        RecordingWriter w = new RecordingWriter();
        ScanSummary s = job(plan, engine(), w, CompletableFuture.completedFuture(FailingFingerprinter.throwing())).run(run(plan), cancel);
        assertTrue(s.complete());
        assertEquals(4, w.results().size());
        assertTrue(w.results().stream().allMatch(e -> e.service() == null));
        assertTrue(s.notes().contains("0 open endpoint(s) fingerprinted with 0 rules"), s.notes().toString());
    }

    @Test
    void rulesThatFailToLoadFailTheJobWithTheirOwnError() {
        ScanPlan plan = plan("198.18.0.1-4", "80,81");
        CannotProceedException broken = new CannotProceedException("the fingerprint rules have 1 problem(s)");
        RecordingWriter w = new RecordingWriter();
        Exception e = assertThrows(Exception.class, () -> job(plan, engine(), w, CompletableFuture.failedFuture(broken)).run(run(plan), cancel));
        assertSame(broken, e);
        assertEquals("the fingerprint rules failed to load", cancel.reason());
    }

    @Test
    void aCancelledScanWritesWhatItFoundAndWhatWasStillBeingIdentified() throws Exception {
        ScanPlan plan = plan("198.18.0.1-8", "80,81");
        FakeEngine engine = FakeEngine.hangingAfter(6, p -> PortState.OPEN);
        FailingFingerprinter tarpit = FailingFingerprinter.hanging();
        RecordingWriter w = new RecordingWriter();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<ScanSummary> f = ex.submit(() -> job(plan, engine, w, CompletableFuture.completedFuture(tarpit)).run(run(plan), cancel));
            assertTrue(engine.awaitHanging(10) && tarpit.started().await(10, TimeUnit.SECONDS));
            cancel.cancel("interrupted");
            ScanSummary s = f.get(ScanJob.CANCEL_GRACE_MILLIS + 10_000, TimeUnit.MILLISECONDS);
            assertFalse(s.complete());
            assertEquals("interrupted", s.stopReason());
            assertEquals(6, s.decided());
            List<String> found = engine.runs().get(0);
            assertEquals(found.stream().sorted().toList(), endpoints(w.results()).stream().sorted().toList(),
                    "every open endpoint found is written");
            assertTrue(w.results().stream().allMatch(e -> e.service() == null), "unidentified at the end of the grace");
            assertEquals("finish", w.calls().get(w.calls().size() - 1));
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void aFullQueueLosesNothingAndASliceIsCheckpointedOnlyOnceItsResultsAreWritten() throws Exception {
        ScanPlan plan = plan("198.18.0.0/22", "80");
        FakeEngine engine = engine();
        CountDownLatch open = new CountDownLatch(1);
        RecordingWriter w = RecordingWriter.heldUntil(open);
        List<long[]> checkpoints = new ArrayList<>();
        ScanJob job = job(plan, engine, w, null).withChunks(new ScanJob.Chunks(256, 0,
                (n, counters) -> checkpoints.add(new long[] {n, w.results().size(), counters[1]}), Set.of()));
        Thread release = new Thread(() -> {
            while (engine.runs().stream().mapToInt(List::size).sum() < plan.probes()) { // every verdict queued behind the held writer
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
            open.countDown();
        });
        release.start();
        ScanSummary s = job.run(run(plan), cancel);
        release.join();
        assertTrue(s.complete());
        assertEquals(1024, w.results().size());
        assertEquals(open(engine), endpoints(w.results()));
        assertEquals(4, checkpoints.size());
        for (int i = 0; i < 4; i++) {
            long[] c = checkpoints.get(i);
            assertEquals(i + 1, c[0]);
            assertEquals(256L * (i + 1), c[1], "slice " + (i + 1) + " checkpointed after its results were written");
            assertEquals(256L * (i + 1), c[2], "the counters at the slice's end");
        }
        assertEquals(4, w.calls().stream().filter("flush"::equals).count());
    }

    @Test
    void aResumedJobRunsOnlyTheSlicesLeftSkipsWhatWasWrittenAndCarriesTheCounters() throws Exception {
        ScanPlan plan = plan("198.18.0.1-4", "80,81");
        List<String> second = new ArrayList<>();
        for (long i = 4; i < 8; i++) {
            Probe p = plan.probeAt(i);
            second.add(p.address().endpoint(p.port()));
        }
        String done = second.stream().filter(e -> e.endsWith(":80")).findFirst().orElseThrow();
        String key = done.substring(0, done.lastIndexOf(':')) + "|80";
        FakeEngine engine = engine();
        RecordingWriter w = new RecordingWriter();
        List<Long> checkpoints = new ArrayList<>();
        ScanJob job = job(plan, engine, w, null).withChunks(new ScanJob.Chunks(4, 1, (n, c) -> checkpoints.add(n), Set.of(key)));
        long openBefore = countOpen(plan, 0, 4);
        ScanSummary s = job.run(run(plan), cancel, new long[] {4, 4, openBefore, 0, 4 - openBefore});
        assertEquals(List.of(second), engine.runs(), "only the second slice, in the plan's order");
        List<String> expected = second.stream().filter(e -> e.endsWith(":80") && !e.equals(done)).toList();
        assertEquals(expected, endpoints(w.results()));
        assertEquals(List.of(2L), checkpoints);
        assertTrue(s.complete());
        assertEquals(8, s.decided());
        assertEquals(4, s.open());
        assertEquals(8, s.sent());
    }

    private static long countOpen(ScanPlan plan, long from, long to) {
        long n = 0;
        for (long i = from; i < to; i++) {
            n += plan.probeAt(i).port() == 80 ? 1 : 0;
        }
        return n;
    }

    @Test
    void anEngineFailureEndsTheJobWithItAfterWritingWhatWasFound() {
        ScanPlan plan = plan("198.18.0.1-4", "80,81");
        IllegalStateException boom = new IllegalStateException("capture handle closed");
        RecordingWriter w = new RecordingWriter();
        Exception e = assertThrows(Exception.class, () -> job(plan, FakeEngine.failingWith(boom, ScanJobTest::verdict), w, null).run(run(plan), cancel));
        assertSame(boom, e);
        assertEquals("engine failed", cancel.reason());
        assertEquals(4, w.results().size());
        assertNull(w.summary());
    }

    @Test
    void aWriterThatFailsStopsTheEngine() {
        ScanPlan plan = plan("198.18.0.0/24", "80,81");
        RecordingWriter w = RecordingWriter.failingAt(2);
        IOException e = assertThrows(IOException.class, () -> job(plan, engine(), w, null).run(run(plan), cancel));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("output failed", cancel.reason());
    }
}
