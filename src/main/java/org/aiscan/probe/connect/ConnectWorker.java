package org.aiscan.probe.connect;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.RateLimiter;
import org.aiscan.probe.ResultSink;
import org.aiscan.probe.ScanProgress;
import org.aiscan.probe.Timing;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetGuard;
import org.jspecify.annotations.Nullable;

/**
 * One connect worker thread: one selector and one lane of the plan. It opens non-blocking sockets
 * while the token bucket and its share of the concurrency allow, starts each connect through the
 * {@link Connector}, and decides each probe from {@code finishConnect}: success = open,
 * ECONNREFUSED = closed, EHOSTUNREACH/ENETUNREACH = filtered, silence past the adaptive timeout =
 * retry, then filtered. Running out of descriptors or local ports is back-pressure (the probe waits
 * and is sent again), never a verdict.
 */
final class ConnectWorker implements Runnable {
    /** Connects started per loop turn before answers are read again, so round trips stay honest. */
    static final int LAUNCH_BATCH = 64;

    static final class Shared {
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


    private final int retries;
    private final TargetGuard guard;
    private final Connector connector;
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
    ConnectWorker(ConnectEngine.Parts parts, ScanPlan.Cursor cursor, int limit, double rate, Timing timing, ResultSink sink,
                  ScanProgress progress, Cancellation cancel, Shared shared) {
        this.retries = parts.options().retries();
        this.guard = parts.guard();
        this.connector = parts.connector();
        this.cursor = cursor;
        this.limit = limit;
        this.configuredLimit = limit;
        this.limiter = RateLimiter.perSecond(rate);
        this.timing = timing;
        this.sink = sink;
        this.progress = progress;
        this.cancel = cancel;
        this.shared = shared;
        this.waiting = new ArrayDeque[retries + 1];
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
                if (a.attempt < retries) {
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
            if (connector.connect(ch, a.probe)) {
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
            if (a.attempt < retries) {
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
