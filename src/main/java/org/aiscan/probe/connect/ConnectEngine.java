package org.aiscan.probe.connect;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.RateLimiter;
import org.aiscan.probe.ResultSink;
import org.aiscan.probe.ScanProgress;
import org.aiscan.target.TargetGuard;
import org.aiscan.probe.Timing;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.jspecify.annotations.Nullable;

/**
 * Probes with the kernel's own TCP handshake. Each worker thread owns one selector and one lane of
 * the plan: it opens non-blocking sockets while the token bucket and its share of the concurrency
 * allow, and decides each probe from {@code finishConnect}: success = open, ECONNREFUSED = closed,
 * EHOSTUNREACH/ENETUNREACH = filtered, silence past the adaptive timeout = retry, then filtered.
 * Sockets close with SO_LINGER 0 (an RST, no TIME_WAIT). Running out of descriptors or local
 * ports is back-pressure (the probe waits and is sent again), never a verdict.
 */
public final class ConnectEngine implements ProbeEngine {
    /** Below this many probes one selector thread is enough. */
    static final long PARALLEL_THRESHOLD = 20_000;
    /** Connects started per loop turn before answers are read again, so round trips stay honest. */
    static final int LAUNCH_BATCH = 64;

    private final EngineOptions options;
    private final TargetGuard guard;
    private final int threads;

    /**
     * @param threads selector threads; 0 picks one per core (at most 2) for large plans
     */
    public ConnectEngine(EngineOptions options, TargetGuard guard, int threads) {
        this.options = options;
        this.guard = guard;
        this.threads = threads;
    }

    @Override
    public String name() {
        return "connect";
    }

    @Override
    public EngineReport run(ScanPlan plan, ResultSink sink, ScanProgress progress, Cancellation cancel) throws Exception {
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
        Shared shared = new Shared();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double rate = options.rate() == 0 ? 0 : (double) options.rate() / n;
            workers.add(new Worker(plan.cursor(i, n, 0), Math.max(1, concurrency / n), rate, timing, sink, progress,
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
        boolean complete = !cancel.isCancelled() && workers.stream().allMatch(Worker::finished);
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

    private static final class Shared {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final LongAdder backPressure = new LongAdder();
        final LongAdder otherErrors = new LongAdder();
    }

    private static final class Attempt {
        final Probe probe;
        final int attempt;
        long sentNanos;
        @Nullable SocketChannel channel;
        @Nullable SelectionKey key;
        boolean settled;

        Attempt(Probe probe, int attempt) {
            this.probe = probe;
            this.attempt = attempt;
        }
    }

    private final class Worker implements Runnable {
        private final ScanPlan.Cursor cursor;
        private final RateLimiter limiter;
        private final Timing timing;
        private final ResultSink sink;
        private final ScanProgress progress;
        private final Cancellation cancel;
        private final Shared shared;
        private final ArrayDeque<Attempt> retryQueue = new ArrayDeque<>();
        private final ArrayDeque<Attempt>[] waiting;
        private int limit;
        private final int configuredLimit;
        private int inFlight;
        private boolean finished;
        private long pressureSince;

        @SuppressWarnings("unchecked")
        Worker(ScanPlan.Cursor cursor, int limit, double rate, Timing timing, ResultSink sink, ScanProgress progress,
               Cancellation cancel, Shared shared) {
            this.cursor = cursor;
            this.limit = limit;
            this.configuredLimit = limit;
            this.limiter = RateLimiter.perSecond(rate);
            this.timing = timing;
            this.sink = sink;
            this.progress = progress;
            this.cancel = cancel;
            this.shared = shared;
            this.waiting = new ArrayDeque[options.retries() + 1];
            for (int i = 0; i < waiting.length; i++) {
                waiting[i] = new ArrayDeque<>();
            }
        }

        boolean finished() {
            return finished;
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                loop(selector);
            } catch (Throwable t) {
                shared.failure.compareAndSet(null, t);
            }
        }

        private void loop(Selector selector) throws IOException {
            while (true) {
                if (cancel.isCancelled()) {
                    abandonAll(selector);
                    return;
                }
                long now = System.nanoTime();
                expire(now);
                launch(selector, now);
                boolean morePending = cursor.hasNext() || !retryQueue.isEmpty();
                if (!morePending && inFlight == 0) {
                    finished = true;
                    return;
                }
                long wait = waitNanos(now, morePending);
                if (wait <= 0) {
                    selector.selectNow(this::onReady);
                } else {
                    selector.select(this::onReady, Math.max(1, (wait + 999_999) / 1_000_000));
                }
            }
        }

        private long waitNanos(long now, boolean morePending) {
            long wait = 50_000_000L; // wake at least every 50 ms to notice cancellation
            if (morePending && inFlight < limit && limiter.unlimited()) {
                return 0; // more to launch right away: only poll for answers in between
            }
            if (morePending && inFlight < limit) {
                wait = Math.min(wait, limiter.nanosUntilNext(now));
            }
            if (pressureSince != 0) {
                wait = Math.min(wait, 5_000_000L); // back-pressure: try again soon
            }
            for (int i = 0; i < waiting.length; i++) {
                Attempt head = peekLive(waiting[i]);
                if (head != null) {
                    wait = Math.min(wait, head.sentNanos + timing.timeoutNanos(i) - now);
                }
            }
            return wait;
        }

        private Attempt peekLive(ArrayDeque<Attempt> q) {
            Attempt a;
            while ((a = q.peekFirst()) != null && a.settled) {
                q.pollFirst();
            }
            return a;
        }

        private void expire(long now) {
            for (int i = 0; i < waiting.length; i++) {
                long timeout = timing.timeoutNanos(i);
                Attempt a;
                while ((a = peekLive(waiting[i])) != null && now - a.sentNanos >= timeout) {
                    waiting[i].pollFirst();
                    settle(a);
                    if (a.attempt < options.retries()) {
                        retryQueue.addLast(new Attempt(a.probe, a.attempt + 1));
                    } else {
                        report(a.probe, PortState.FILTERED, "no-response", -1);
                    }
                }
            }
        }

        private void launch(Selector selector, long now) {
            if (pressureSince != 0 && now - pressureSince > 20_000_000L) {
                limit = Math.min(configuredLimit, Math.max(limit + 1, limit + limit / 8)); // probe upwards again
                pressureSince = 0;
            }
            int started = 0;
            while (inFlight < limit && (!retryQueue.isEmpty() || cursor.hasNext()) && started++ < LAUNCH_BATCH) {
                if (!limiter.tryAcquire(now)) {
                    return;
                }
                Attempt a = retryQueue.isEmpty() ? new Attempt(cursor.next(), 0) : retryQueue.pollFirst();
                if (!start(selector, a, System.nanoTime())) {
                    return; // back-pressure: stop launching this round
                }
            }
        }

        /** Starts one connect; false means the kernel pushed back and the attempt was queued again. */
        private boolean start(Selector selector, Attempt a, long now) {
            guard.check(a.probe.address());
            SocketChannel ch;
            try {
                ch = SocketChannel.open(a.probe.address().isV6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            } catch (IOException e) {
                return pushBack(a, e);
            }
            a.channel = ch;
            a.sentNanos = now;
            progress.sent();
            if (a.attempt > 0) {
                progress.retried();
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                if (ch.connect(new InetSocketAddress(a.probe.address().toInetAddress(), a.probe.port()))) {
                    a.settled = true;
                    closeQuietly(ch);
                    timing.sample(System.nanoTime() - now);
                    report(a.probe, PortState.OPEN, "syn-ack", (System.nanoTime() - now) / 1000);
                    return true;
                }
                a.key = ch.register(selector, SelectionKey.OP_CONNECT, a);
            } catch (IOException e) {
                closeQuietly(ch);
                if (isPressure(e)) {
                    return pushBack(a, e);
                }
                a.settled = true;
                decideFromError(a, e, System.nanoTime());
                return true;
            }
            inFlight++;
            waiting[a.attempt].addLast(a);
            return true;
        }

        private boolean pushBack(Attempt a, IOException e) {
            if (!isPressure(e)) {
                a.settled = true;
                shared.otherErrors.increment();
                report(a.probe, PortState.FILTERED, "error", -1);
                return true;
            }
            shared.backPressure.increment();
            retryQueue.addFirst(new Attempt(a.probe, a.attempt));
            limit = Math.max(1, Math.min(limit, inFlight));
            pressureSince = System.nanoTime();
            return false;
        }

        private void onReady(SelectionKey key) {
            Attempt a = (Attempt) key.attachment();
            if (a.settled) {
                return;
            }
            long now = System.nanoTime();
            try {
                if (a.channel.finishConnect()) {
                    settle(a);
                    timing.sample(now - a.sentNanos);
                    report(a.probe, PortState.OPEN, "syn-ack", (now - a.sentNanos) / 1000);
                }
            } catch (IOException e) {
                settle(a);
                decideFromError(a, e, now);
            }
        }

        private void decideFromError(Attempt a, IOException e, long now) {
            String m = String.valueOf(e.getMessage());
            long rtt = (now - a.sentNanos) / 1000;
            if (e instanceof ConnectException && m.contains("refused")) {
                timing.sample(now - a.sentNanos);
                report(a.probe, PortState.CLOSED, "conn-refused", rtt);
            } else if (e instanceof NoRouteToHostException || m.contains("No route to host")) {
                report(a.probe, PortState.FILTERED, "host-unreach", rtt);
            } else if (m.contains("Network is unreachable")) {
                report(a.probe, PortState.FILTERED, "net-unreach", rtt);
            } else if (m.contains("Connection reset")) {
                report(a.probe, PortState.CLOSED, "reset", rtt);
            } else if (m.contains("timed out")) {
                if (a.attempt < options.retries()) {
                    retryQueue.addLast(new Attempt(a.probe, a.attempt + 1));
                } else {
                    report(a.probe, PortState.FILTERED, "no-response", -1);
                }
            } else if (m.contains("Operation not permitted") || m.contains("Permission denied")) {
                report(a.probe, PortState.FILTERED, "local-firewall", -1);
            } else {
                shared.otherErrors.increment();
                report(a.probe, PortState.FILTERED, "error", -1);
            }
        }

        private void settle(Attempt a) {
            a.settled = true;
            if (a.key != null) {
                a.key.cancel();
            }
            closeQuietly(a.channel);
            inFlight--;
        }

        private void report(Probe p, PortState state, String reason, long rttMicros) {
            progress.decided(state);
            sink.accept(p, new PortResult(p.address(), p.port(), state, reason, rttMicros, Instant.now()));
        }

        private void abandonAll(Selector selector) {
            for (SelectionKey k : selector.keys()) {
                Attempt a = (Attempt) k.attachment();
                if (a != null && !a.settled) {
                    a.settled = true;
                    k.cancel();
                    closeQuietly(a.channel);
                }
            }
            inFlight = 0;
        }
    }

    private static boolean isPressure(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Too many open files") || m.contains("Cannot assign requested address")
                || m.contains("No buffer space") || m.contains("Resource temporarily unavailable");
    }

    private static void closeQuietly(@Nullable SocketChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a socket we gave up on: nothing to do
        }
    }
}
