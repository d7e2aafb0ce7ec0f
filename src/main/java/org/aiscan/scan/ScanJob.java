package org.aiscan.scan;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.aiscan.console.Console;
import org.aiscan.console.ProgressLine;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.model.Service;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.ScanProgress;
import org.aiscan.report.ResultWriter;
import org.aiscan.target.ScanPlan;
import org.aiscan.probe.ResultSink;
import org.jspecify.annotations.Nullable;

/**
 * One scan from first probe to summary: the engine on its own thread; open ports handed to a pool of
 * fingerprint workers (when a fingerprinter is given) while probing goes on; every endpoint written
 * once, with its service, by the calling thread. A cancelled scan waits briefly for fingerprints in
 * progress and writes the rest without a service, so nothing found is lost.
 */
public final class ScanJob {
    /** After cancellation, how long fingerprints in progress may still finish. */
    static final long CANCEL_GRACE_MILLIS = 2_000;

    private final ScanPlan plan;
    private final ProbeEngine engine;
    private final List<ResultWriter> writers;
    private final Console console;
    private final Predicate<PortState> wanted;
    private final @Nullable Future<? extends ServiceIdentifier> fingerprinter;
    private final int fingerprintThreads;
    private Chunks chunks = Chunks.NONE;
    private Clock clock = Clock.systemUTC();

    /** What the probing side hands the writing thread over the queue, in order. */
    sealed interface Event permits Found, SliceDone, EngineDone {
    }

    /** An endpoint to write, with its service when one was identified. */
    record Found(Endpoint endpoint) implements Event {
    }

    /** Every result of the slices done so far is queued before this: flush the writers, then checkpoint. */
    record SliceDone(long chunks, long[] counters) implements Event {
    }

    /** The engine thread ended: finished, cancelled or failed. */
    record EngineDone() implements Event {
    }

    /**
     * Running the plan in consecutive slices, so that an interrupted scan can resume at a slice
     * boundary: after every slice, once each of its results is written, {@code done} is told how
     * many slices are complete and the counters so far.
     *
     * @param size probes per slice (0: one slice)
     * @param first the first slice to run (a resumed scan skips those done before)
     * @param written endpoints ({@link #key}) already written by the interrupted run: not written twice
     */
    public record Chunks(long size, long first, ChunkListener done, Set<String> written) {
        static final Chunks NONE = new Chunks(0, 0, (n, p) -> { }, Set.of());

        public Chunks {
            written = Set.copyOf(written);
        }
    }

    /** Told after each complete slice. */
    @FunctionalInterface
    public interface ChunkListener {
        /**
         * @param counters sent, decided, open, closed, filtered at the end of the last complete slice (taken by
         *     the engine between slices: the progress read later would count the next slice's first results,
         *     which a resume probes, and counts, again)
         */
        void chunksDone(long chunks, long[] counters) throws IOException;
    }

    /** An endpoint's identity for de-duplication: address and port. */
    public static String key(PortResult r) {
        return r.address() + "|" + r.port();
    }

    /** Runs the plan in slices (see {@link Chunks}); returns this job. */
    public ScanJob withChunks(Chunks c) {
        this.chunks = c;
        return this;
    }

    /** Takes the summary's time from {@code c} (a fixed clock in tests); returns this job. */
    public ScanJob withClock(Clock c) {
        this.clock = c;
        return this;
    }

    /**
     * @param wanted the port states any writer shows; others are counted but never queued, so a
     *     scan of a large dark range does not buffer millions of filtered verdicts
     * @param fingerprinter identifies services on open ports, or null to skip that stage; a future, so
     *     that its rules can load while the probing starts (the first open endpoint waits for them, and
     *     rules that fail to load stop the scan with that error)
     * @param fingerprintThreads endpoints fingerprinted at once
     */
    public ScanJob(ScanPlan plan, ProbeEngine engine, List<ResultWriter> writers, Console console,
                   Predicate<PortState> wanted, Future<? extends ServiceIdentifier> fingerprinter, int fingerprintThreads) {
        this.plan = plan;
        this.engine = engine;
        this.writers = List.copyOf(writers);
        this.console = console;
        this.wanted = wanted;
        this.fingerprinter = fingerprinter;
        this.fingerprintThreads = Math.max(1, fingerprintThreads);
    }

    /** A fingerprint task whose result is emitted exactly once, by whoever gets there first. */
    private static final class Pending {
        final PortResult port;
        final AtomicBoolean emitted = new AtomicBoolean();

        Pending(PortResult port) {
            this.port = port;
        }
    }

    /**
     * Runs the scan and writes every record. Returns the summary; throws only when writing fails or
     * the engine fails, after cancelling the engine.
     */
    public ScanSummary run(ScanRun run, Cancellation cancel) throws Exception {
        return run(run, cancel, null);
    }

    /**
     * Runs the scan; {@code before} carries the counters of the slices an interrupted run finished
     * (null for a fresh scan).
     */
    public ScanSummary run(ScanRun run, Cancellation cancel, long @Nullable [] before) throws Exception {
        ScanProgress progress = new ScanProgress(plan.probes());
        if (before != null) {
            progress.carryOver(before[0], before[1], before[2], before[3], before[4]);
        }
        LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        AtomicReference<EngineReport> report = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Map<Pending, Boolean> pending = new ConcurrentHashMap<>();
        AtomicInteger identified = new AtomicInteger();
        ExecutorService pool = fingerprinter == null ? null : Executors.newFixedThreadPool(fingerprintThreads, r -> {
            Thread t = new Thread(r, "aiscan-fingerprint");
            t.setDaemon(true);
            return t;
        });

        for (ResultWriter w : writers) {
            w.start(run);
        }
        Thread engineThread = new Thread(() -> {
            try {
                ResultSink sink = (probe, result) -> {
                    if (!chunks.written().isEmpty() && chunks.written().contains(key(result))) {
                        return; // written by the interrupted run this one resumes
                    }
                    if (pool != null && result.state() == PortState.OPEN && !cancel.isCancelled()) {
                        Pending p = new Pending(result);
                        pending.put(p, Boolean.TRUE);
                        pool.execute(() -> {
                            Service s = null;
                            if (!cancel.isCancelled()) {
                                ServiceIdentifier f = ready(fingerprinter, failure, cancel);
                                try {
                                    if (f != null) {
                                        s = f.identify(result.address(), result.port());
                                        identified.incrementAndGet();
                                    }
                                } catch (RuntimeException e) {
                                    s = null; // an endpoint that breaks the fingerprinter is still written, without a service
                                }
                            }
                            if (p.emitted.compareAndSet(false, true)) {
                                queue.add(new Found(new Endpoint(result, s))); // queued before it stops being pending: see SliceDone
                                pending.remove(p);
                            }
                        });
                    } else if (wanted.test(result.state())) {
                        queue.add(new Found(new Endpoint(result, null)));
                    }
                };
                long n = plan.probes();
                long size = chunks.size() <= 0 ? Math.max(1, n) : chunks.size();
                long slices = Math.max(1, (n + size - 1) / size);
                boolean complete = true;
                List<String> warnings = new ArrayList<>();
                List<String> info = new ArrayList<>();
                for (long c = chunks.first(); c < slices; c++) {
                    if (cancel.isCancelled()) {
                        complete = false;
                        break;
                    }
                    EngineReport r = engine.run(chunks.size() <= 0 ? plan : plan.slice(c * size, Math.min(n, (c + 1) * size)), sink,
                            progress, cancel);
                    r.warnings().stream().filter(w -> !warnings.contains(w)).forEach(warnings::add);
                    if (info.isEmpty() || c == slices - 1) {
                        info.clear();
                        info.addAll(r.info());
                    }
                    if (!r.complete()) {
                        complete = false;
                        break;
                    }
                    if (chunks.size() > 0) {
                        while (!pending.isEmpty() && !cancel.isCancelled()) { // every result of this slice queued
                            Thread.sleep(10);
                        }
                        if (pending.isEmpty()) {
                            queue.add(new SliceDone(c + 1, new long[] {progress.sentCount(), progress.doneCount(), progress.openCount(),
                                    progress.closedCount(), progress.filteredCount()}));
                        }
                    }
                }
                report.set(new EngineReport(complete, warnings, info));
            } catch (Throwable t) {
                failure.set(t);
                cancel.cancel("engine failed");
            } finally {
                queue.add(new EngineDone());
            }
        }, "aiscan-engine");
        engineThread.setDaemon(true);
        ProgressLine line = new ProgressLine();
        console.startProgress(() -> line.format(progress) + (pending.isEmpty() ? "" : "  " + pending.size() + " identifying"));
        engineThread.start();
        boolean engineFinished = false;
        long graceDeadline = Long.MAX_VALUE;
        try {
            while (true) {
                Event ev = queue.poll(50, TimeUnit.MILLISECONDS);
                if (ev instanceof EngineDone) {
                    engineFinished = true;
                } else if (ev instanceof SliceDone d) {
                    for (ResultWriter w : writers) {
                        w.flush();
                    }
                    chunks.done().chunksDone(d.chunks(), d.counters());
                } else if (ev instanceof Found f) {
                    for (ResultWriter w : writers) {
                        w.result(f.endpoint());
                    }
                }
                if (cancel.isCancelled() && graceDeadline == Long.MAX_VALUE) {
                    graceDeadline = System.nanoTime() + CANCEL_GRACE_MILLIS * 1_000_000L;
                }
                if (engineFinished && pending.isEmpty() && queue.isEmpty()) {
                    break;
                }
                if (engineFinished && System.nanoTime() > graceDeadline) {
                    // cancelled: what is still being fingerprinted is written without a service
                    for (Pending p : new ArrayList<>(pending.keySet())) {
                        if (p.emitted.compareAndSet(false, true)) {
                            queue.add(new Found(new Endpoint(p.port, null)));
                            pending.remove(p);
                        }
                    }
                    graceDeadline = Long.MAX_VALUE - 1;
                }
            }
        } catch (IOException e) {
            cancel.cancel("output failed");
            engineThread.join(5000);
            throw e;
        } finally {
            console.stopProgress();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        engineThread.join();
        ServiceIdentifier used = fingerprinter == null ? null : ready(fingerprinter, failure, cancel); // rules that never loaded fail the job
        if (failure.get() != null) {
            Throwable t = failure.get();
            if (t instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
        EngineReport rep = report.get();
        List<String> notes = new ArrayList<>(rep.info());
        if (used != null) {
            notes.add(identified.get() + " open endpoint(s) fingerprinted with " + used.rules() + " rules");
        }
        ScanSummary summary = new ScanSummary(Instant.now(clock), progress.elapsedSeconds(), plan.probes(),
                progress.doneCount(), progress.sentCount(), progress.openCount(), progress.closedCount(),
                progress.filteredCount(), rep.complete(), cancel.reason(), rep.warnings(), notes);
        for (ResultWriter w : writers) {
            w.finish(summary);
        }
        return summary;
    }

    /**
     * The fingerprinter once its rules are loaded, or null when they failed to (the failure is then
     * the job's, and the scan is cancelled) or the wait was interrupted.
     */
    private static @Nullable ServiceIdentifier ready(Future<? extends ServiceIdentifier> f, AtomicReference<Throwable> failure, Cancellation cancel) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());
            cancel.cancel("the fingerprint rules failed to load");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
