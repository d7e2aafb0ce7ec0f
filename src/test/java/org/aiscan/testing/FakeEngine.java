package org.aiscan.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.ResultSink;
import org.aiscan.probe.ScanProgress;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;

/**
 * A probe engine that sends nothing: each probe of the plan, in the plan's order, gets the state
 * {@code verdicts} gives it. It can stop after some probes and wait to be cancelled (an interrupted
 * scan), or fail. It records the probes it decided, run by run (the slices a resumed scan ran).
 */
public final class FakeEngine implements ProbeEngine {
    /** When each verdict is dated. */
    public static final Instant TIME = Instant.parse("2026-12-01T00:00:00Z");

    private final Function<Probe, PortState> verdicts;
    private final long hangAfter;
    private final RuntimeException failure;
    private final List<List<String>> runs = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch hanging = new CountDownLatch(1);

    /** An engine that decides every probe by {@code verdicts}. */
    public FakeEngine(Function<Probe, PortState> verdicts) {
        this(verdicts, Long.MAX_VALUE, null);
    }

    private FakeEngine(Function<Probe, PortState> verdicts, long hangAfter, RuntimeException failure) {
        this.verdicts = verdicts;
        this.hangAfter = hangAfter;
        this.failure = failure;
    }

    /** An engine that, after {@code probes} verdicts, waits until the scan is cancelled, then returns incomplete. */
    public static FakeEngine hangingAfter(long probes, Function<Probe, PortState> verdicts) {
        return new FakeEngine(verdicts, probes, null);
    }

    /** An engine that throws {@code e} once it has given its verdicts. */
    public static FakeEngine failingWith(RuntimeException e, Function<Probe, PortState> verdicts) {
        return new FakeEngine(verdicts, Long.MAX_VALUE, e);
    }

    /** Each run's probes as {@code ADDRESS:PORT}, in the order they were decided. */
    public List<List<String>> runs() {
        synchronized (runs) {
            return runs.stream().map(List::copyOf).toList();
        }
    }

    /** Waits until the engine hangs (see {@link #hangingAfter}). */
    public boolean awaitHanging(long seconds) throws InterruptedException {
        return hanging.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public EngineReport run(ScanPlan plan, ResultSink sink, ScanProgress progress, Cancellation cancel) throws Exception {
        List<String> decided = Collections.synchronizedList(new ArrayList<>());
        runs.add(decided);
        ScanPlan.Cursor c = plan.cursor();
        long given = 0;
        while (c.hasNext()) {
            if (cancel.isCancelled()) {
                return new EngineReport(false, List.of(), List.of());
            }
            if (given == hangAfter) {
                hanging.countDown();
                while (!cancel.isCancelled()) {
                    Thread.sleep(5);
                }
                return new EngineReport(false, List.of(), List.of());
            }
            Probe p = c.next();
            PortState st = verdicts.apply(p);
            progress.sent();
            progress.decided(st);
            decided.add(p.address().endpoint(p.port()));
            sink.accept(p, new PortResult(p.address(), p.port(), st, st == PortState.OPEN ? "syn-ack" : "no-response", 100, TIME));
            given++;
        }
        if (failure != null) {
            throw failure;
        }
        return new EngineReport(true, List.of(), List.of("fake engine: " + given + " verdicts"));
    }
}
