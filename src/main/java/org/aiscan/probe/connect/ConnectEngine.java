package org.aiscan.probe.connect;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.ResultSink;
import org.aiscan.probe.ScanProgress;
import org.aiscan.probe.Timing;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetGuard;

/**
 * Probes with the kernel's own TCP handshake: one {@link ConnectWorker} per selector thread, each
 * on its lane of the plan with its share of the rate and of the concurrency (capped by the
 * open-files limit). Sockets close with SO_LINGER 0 (an RST, no TIME_WAIT). Connects start through
 * a {@link Connector}: the kernel's, or a printing one that sends nothing.
 */
public final class ConnectEngine implements ProbeEngine {
    /** Below this many probes one selector thread is enough. */
    static final long PARALLEL_THRESHOLD = 20_000;

    /** What every worker of the engine shares: its options, the guard each destination passes, how connects start. */
    record Parts(EngineOptions options, TargetGuard guard, Connector connector) {
    }

    private final Parts parts;
    private final int threads;

    /**
     * @param threads selector threads; 0 picks one per core (at most 2) for large plans
     */
    public ConnectEngine(EngineOptions options, TargetGuard guard, int threads) {
        this(options, guard, threads, Connector.KERNEL);
    }

    /** An engine whose connects start through {@code connector} (a printing one for {@code --dry-run}). */
    public ConnectEngine(EngineOptions options, TargetGuard guard, int threads, Connector connector) {
        this.parts = new Parts(options, guard, connector);
        this.threads = threads;
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public EngineReport run(ScanPlan plan, ResultSink sink, ScanProgress progress, Cancellation cancel) throws Exception {
        EngineOptions options = parts.options();
        List<String> notes = new ArrayList<>();
        List<String> info = new ArrayList<>();
        warmUpNio();
        int concurrency = FdLimits.usable(options.concurrency());
        if (concurrency < options.concurrency()) {
            notes.add("concurrency capped at " + concurrency + " sockets by the open-files limit (" + FdLimits.max()
                    + "); raise it with 'ulimit -n' or LimitNOFILE= in the unit");
        }
        int n = threads > 0 ? threads
                : plan.probes() >= PARALLEL_THRESHOLD ? Math.min(2, Runtime.getRuntime().availableProcessors()) : 1;
        n = (int) Math.max(1, Math.min(n, Math.max(1, plan.probes())));
        Timing timing = new Timing(options.minTimeoutMillis(), options.maxTimeoutMillis());
        ConnectWorker.Shared shared = new ConnectWorker.Shared();
        List<ConnectWorker> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double rate = options.rate() == 0 ? 0 : (double) options.rate() / n;
            workers.add(new ConnectWorker(parts, plan.cursor(i, n, 0), Math.max(1, concurrency / n), rate, timing, sink, progress,
                    cancel, shared));
        }
        List<Thread> started = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            Thread t = new Thread(workers.get(i), "aiscan-connect-" + i);
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
        workers.get(0).run();
        for (Thread t : started) {
            t.join();
        }
        if (shared.failure.get() != null) {
            Throwable f = shared.failure.get();
            if (f instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
        long pressure = shared.backPressure.sum();
        if (pressure > 0) {
            notes.add("the kernel refused " + pressure + " socket(s) for lack of descriptors or local ports; those probes waited and were sent again");
        }
        long errors = shared.otherErrors.sum();
        if (errors > 0) {
            notes.add(errors + " probe(s) failed with an unexpected socket error and were reported filtered (reason 'error')");
        }
        info.add(timing.describe());
        boolean complete = !cancel.isCancelled() && workers.stream().allMatch(ConnectWorker::finished);
        return new EngineReport(complete, notes, info);
    }

    /**
     * NIO creates its file dispatcher lazily on the first close and needs a free descriptor for it;
     * if that first close happens when every descriptor is in use, the JVM dies. Do it now.
     */
    private static void warmUpNio() throws IOException {
        try (SocketChannel ch = SocketChannel.open()) {
            ch.configureBlocking(false);
        }
    }
}
