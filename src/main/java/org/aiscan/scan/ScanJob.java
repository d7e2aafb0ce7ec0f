package org.aiscan.scan;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.aiscan.console.Console;
import org.aiscan.console.ProgressLine;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.ScanProgress;
import org.aiscan.report.ResultWriter;
import org.aiscan.target.ScanPlan;

/** One scan from first probe to summary. */
public final class ScanJob {
    private final ScanPlan plan;
    private final ProbeEngine engine;
    private final List<ResultWriter> writers;
    private final Console console;
    private final Predicate<PortState> wanted;

    /**
     * @param wanted the port states any writer shows; others are counted but never queued, so a
     *     scan of a large dark range does not buffer millions of filtered verdicts
     */
    public ScanJob(ScanPlan plan, ProbeEngine engine, List<ResultWriter> writers, Console console,
                   Predicate<PortState> wanted) {
        this.plan = plan;
        this.engine = engine;
        this.writers = List.copyOf(writers);
        this.console = console;
        this.wanted = wanted;
    }

    /**
     * Runs the scan and writes every record. Returns the summary; throws only when writing fails or
     * the engine fails, after cancelling the engine.
     */
    public ScanSummary run(ScanRun run, Cancellation cancel) throws Exception {
        ScanProgress progress = new ScanProgress(plan.probes());
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        AtomicReference<EngineReport> report = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Object endMarker = new Object();

        for (ResultWriter w : writers) {
            w.start(run);
        }
        Thread engineThread = new Thread(() -> {
            try {
                report.set(engine.run(plan, (probe, result) -> {
                    if (wanted.test(result.state())) {
                        queue.add(result);
                    }
                }, progress, cancel));
            } catch (Throwable t) {
                failure.set(t);
                cancel.cancel("engine failed");
            } finally {
                queue.add(endMarker);
            }
        }, "aiscan-engine");
        engineThread.setDaemon(true);
        ProgressLine line = new ProgressLine();
        console.startProgress(() -> line.format(progress));
        engineThread.start();
        try {
            while (true) {
                Object o = queue.poll(100, TimeUnit.MILLISECONDS);
                if (o == null) {
                    continue;
                }
                if (o == endMarker) {
                    break;
                }
                PortResult r = (PortResult) o;
                for (ResultWriter w : writers) {
                    w.result(r);
                }
            }
        } catch (IOException e) {
            cancel.cancel("output failed");
            engineThread.join(5000);
            throw e;
        } finally {
            console.stopProgress();
        }
        engineThread.join();
        if (failure.get() != null) {
            Throwable t = failure.get();
            if (t instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
        EngineReport rep = report.get();
        ScanSummary summary = new ScanSummary(Instant.now(), progress.elapsedSeconds(), plan.probes(),
                progress.doneCount(), progress.sentCount(), progress.openCount(), progress.closedCount(),
                progress.filteredCount(), rep.complete(), cancel.reason(), rep.warnings(), rep.info());
        for (ResultWriter w : writers) {
            w.finish(summary);
        }
        return summary;
    }
}
