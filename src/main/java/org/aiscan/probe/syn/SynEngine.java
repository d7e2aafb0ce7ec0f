package org.aiscan.probe.syn;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.ResultSink;
import org.aiscan.probe.ScanProgress;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetGuard;
import org.aiscan.trace.Trace;

/**
 * Stateless SYN scanning in the manner of zmap and masscan, with an nmap-like end.
 *
 * <p>Send threads ({@link SynSender}) walk their lanes of the plan and send one patched frame per
 * probe, paced by a token bucket. One receive thread ({@link SynReceiver}) reads its own frame
 * source, validates each reply by its cookie, maps it back to the probe's ordinal with the inverse
 * permutation and sets that probe's bit: the first answer decides, later ones are duplicates. After
 * each pass the engine waits until every probe sent is answered or the last send is older than
 * {@value #K} × the slowest round trip seen (clamped to the engine's timeouts), then resends only the
 * unanswered probes, {@code retries} times. What stays silent is reported filtered. Before it ends,
 * the engine waits until every frame the capture counted has been read.
 *
 * <p>Targets on the interface's own link (no gateway) first get a neighbour lookup
 * ({@link NeighbourLookup}), answered through the same capture. A host that never answers gets no
 * SYN and is reported filtered ({@code no-arp-reply}, {@code no-nd-reply}); one that answers late,
 * while SYNs are already going out, gets a pass of its own at the end.
 *
 * <p>Where frames come from and go to is the {@link Link}: libpcap and AF_PACKET in a scan, a
 * printing sender in a dry run, doubles in tests.
 */
final class SynEngine implements ProbeEngine {
    static final int K = 3;
    /** Above this rate one send thread is not enough on this kind of machine (~430k pps measured). */
    static final long ONE_THREAD_RATE = 300_000;
    /** Most time given to the receive thread to catch up with the frames already captured. */
    static final long DRAIN_MILLIS = 1_000;

    private final SynSupport.Setup setup;
    private final EngineOptions options;
    private final TargetGuard guard;
    private final int threads;
    private final Link link;
    private final Ticker ticker;
    private final Supplier<Cookie> cookies;

    /**
     * @param threads send threads; 0 chooses (one, two above {@value #ONE_THREAD_RATE} pps)
     * @param cookies a fresh key for each run ({@link Cookie#random()} in scans)
     */
    SynEngine(SynSupport.Setup setup, EngineOptions options, TargetGuard guard, int threads, Link link, Ticker ticker,
              Supplier<Cookie> cookies) {
        this.setup = setup;
        this.options = options;
        this.guard = guard;
        this.threads = threads;
        this.link = link;
        this.ticker = ticker;
        this.cookies = cookies;
    }

    @Override
    public String name() {
        return "syn";
    }

    @Override
    public EngineReport run(ScanPlan plan, ResultSink sink, ScanProgress progress, Cancellation cancel) throws Exception {
        List<String> warnings = new ArrayList<>();
        List<String> info = new ArrayList<>();
        long probes = plan.probes();
        if (probes > (1L << 36)) {
            throw new IllegalArgumentException("too many probes for one SYN run (" + probes + "); split it with --shard");
        }
        OnLink onLink = setup.onLink() == null ? null : new OnLink(setup.onLink());
        SynState st = new SynState(probes, cookies.get(), onLink, ticker.nanoTime());
        SynRun run = new SynRun(plan, setup, guard, st, ticker, progress, cancel);
        int n = threads > 0 ? threads : (options.rate() == 0 || options.rate() > ONE_THREAD_RATE ? 2 : 1);
        n = (int) Math.max(1, Math.min(n, Math.max(1, probes)));

        Link.Wire wire = link.open(onLink, probes, n, info);
        FrameSource rx = wire.rx();
        Thread rxThread = null;
        try {
            SynReceiver receiver = new SynReceiver(run, sink);
            rxThread = new Thread(() -> {
                try {
                    rx.loop(receiver);
                } catch (Throwable t) {
                    st.failure.compareAndSet(null, t);
                }
            }, "aiscan-syn-rx");
            rxThread.setDaemon(true);
            rxThread.start();
            Trace.mark("SYN handles open");
            passes(run, wire, n, info);
        } finally {
            rx.stop();
            if (rxThread != null) {
                rxThread.join(5000);
            }
            statsInto(rx, warnings, info, st);
            // Unmapping a 32 MiB ring takes tens of milliseconds; nothing waits for it.
            Thread closer = new Thread(() -> {
                wire.tx().forEach(FrameSender::close);
                rx.close();
            }, "aiscan-syn-close");
            closer.setDaemon(true);
            closer.start();
        }
        Throwable f = st.failure.get();
        if (f != null) {
            if (f instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
        if (!cancel.isCancelled()) {
            reportSilent(run, sink);
        }
        long slow = st.slowest.get();
        info.add(String.format(Locale.ROOT, "SYN %s; %,d packets sent (%,d retransmissions), %,d answers, slowest round trip %s",
                setup.summary(), st.packets.get(), st.packets.get() - st.sentUnique.get(), st.answered.get(),
                slow < 0 ? "not measured" : String.format(Locale.ROOT, "%.1f ms", slow / 1e6)));
        long txRetries = 0;
        String txError = "";
        for (FrameSender s : wire.tx()) {
            txRetries += s.retries();
            if (!s.lastError().isEmpty()) {
                txError = s.lastError();
            }
        }
        if (txRetries > 0) {
            warnings.add(txRetries + " send(s) were refused by the kernel and retried (" + txError + "); consider a lower --rate");
        }
        boolean complete = !cancel.isCancelled() && st.failure.get() == null;
        return new EngineReport(complete, warnings, info);
    }

    /**
     * The passes over the plan. The neighbour lookup overlaps them: one round of requests, then SYNs
     * to whoever has answered (most within a millisecond), the next round of requests right after,
     * answers to both awaited together; a host learnt while SYNs go out gets its probes in the next
     * pass, and those learnt in the last round a late round of their own.
     */
    private void passes(SynRun run, Link.Wire wire, int n, List<String> info) throws Exception {
        SynState st = run.state();
        OnLink onLink = st.onLink;
        Cancellation cancel = run.cancel();
        long probes = run.plan().probes();
        NeighbourLookup hood = onLink == null ? null : new NeighbourLookup(run, link, wire.tx().get(0), options.rate(), info);
        int asks = options.retries() + 1;
        if (hood != null) {
            hood.ask();
            asks--;
            Trace.mark("neighbours asked");
        }
        int passes = options.retries() + 1;
        int round = 0;
        for (int pass = 0; pass < passes && !cancel.isCancelled(); pass++) {
            if (pass > 0 && st.answered.get() >= probes) {
                break;
            }
            round++;
            if (onLink != null) {
                onLink.round(round);
            }
            long sentBefore = st.sentUnique.get();
            runSenders(run, wire.tx(), n, pass, 0);
            long sentThisPass = st.sentUnique.get() - sentBefore;
            Trace.mark("SYN pass " + pass + " sent");
            if (hood != null && asks > 0) {
                hood.ask();
                asks--;
            }
            if (sentThisPass > 0 || pass > 0 || hood != null) {
                awaitAnswers(run, wire.rx());
            }
            Trace.mark("SYN pass " + pass + " answered");
            if (st.failed()) {
                break;
            }
        }
        // Hosts learnt in the last round (r) may have missed some of their probes in it: a late round
        // for them, twice at most.
        for (int late = 0; late < 2 && onLink != null && !run.stopped()
                && st.answered.get() < probes && onLink.lastRoundLearnt() >= round; late++) {
            int from = onLink.lastRoundLearnt();
            round++;
            onLink.round(round);
            runSenders(run, wire.tx(), n, 1, from);
            awaitAnswers(run, wire.rx());
            info.add("a late round for on-link hosts that answered the neighbour lookup while SYNs were going out (round " + from + ")");
        }
        if (hood != null) {
            info.add(hood.summary());
        }
    }

    /** One pass over the plan on every send thread (see {@link SynSender}). */
    private void runSenders(SynRun run, List<FrameSender> tx, int n, int pass, int lateFrom) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        List<SynSender> senders = new ArrayList<>();
        double rate = options.rate() == 0 ? 0 : (double) options.rate() / n;
        for (int i = 0; i < n; i++) {
            senders.add(new SynSender(run, tx.get(i), run.plan().cursor(i, n, 0), rate, pass, lateFrom));
        }
        for (int i = 1; i < n; i++) {
            Thread t = new Thread(senders.get(i), "aiscan-syn-tx-" + i);
            t.setDaemon(true);
            t.start();
            started.add(t);
        }
        senders.get(0).run();
        for (Thread t : started) {
            t.join();
        }
    }

    /**
     * Waits until everything sent is answered, or the last send is older than K × the slowest round
     * trip; then until the receive thread has read every frame the capture counted so far.
     */
    private void awaitAnswers(SynRun run, FrameSource rx) throws InterruptedException {
        SynState st = run.state();
        long probes = run.plan().probes();
        while (!run.stopped()) {
            if (st.answered.get() >= probes) {
                return;
            }
            long slow = Math.max(st.slowest.get(), st.slowestNeighbour.get());
            long wait = slow < 0 ? options.maxTimeoutMillis() * 1_000_000L
                    : Math.max(options.minTimeoutMillis() * 1_000_000L, Math.min(options.maxTimeoutMillis() * 1_000_000L, K * slow));
            long idle = ticker.nanoTime() - st.lastSend.get();
            if (idle >= wait) {
                drain(run, rx);
                return;
            }
            ticker.sleep(Math.max(1, Math.min(2, (wait - idle) / 1_000_000L)));
        }
    }

    /**
     * Round trips come from capture time stamps, so the wait above does not cover a receive thread
     * that is behind (a busy core, a pause): wait until it has read all the capture counted.
     */
    private void drain(SynRun run, FrameSource rx) throws InterruptedException {
        long deadline = ticker.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        while (!run.cancel().isCancelled() && ticker.nanoTime() < deadline) {
            if (run.state().frames.get() >= rx.captured()) { // 0 when the capture cannot say: nothing to wait for
                return;
            }
            ticker.sleep(1);
        }
    }

    /** Every probe still unanswered, filtered: no-response, or no-arp-reply / no-nd-reply when it never got a SYN. */
    private static void reportSilent(SynRun run, ResultSink sink) {
        ScanPlan plan = run.plan();
        SynState st = run.state();
        long probes = plan.probes();
        Instant now = run.ticker().now();
        for (long ord = 0; ord < probes; ord++) {
            if ((ord & 0xFFFF) == 0 && run.cancel().isCancelled()) {
                return;
            }
            if (!st.isAnswered(ord)) {
                Probe p = plan.probeAt(ord);
                String reason = "no-response";
                if (st.onLink != null) {
                    long h = st.onLink.index(p.address());
                    if (h >= 0 && st.onLink.mac(h) < 0) {
                        reason = p.address().isV6() ? "no-nd-reply" : "no-arp-reply"; // never sent a SYN
                    }
                }
                run.progress().decided(PortState.FILTERED);
                sink.accept(p, new PortResult(p.address(), p.port(), PortState.FILTERED, reason, -1, now));
            }
        }
    }

    private static void statsInto(FrameSource rx, List<String> warnings, List<String> info, SynState st) {
        try {
            FrameSource.Stats s = rx.stats();
            String line = String.format(Locale.ROOT, "capture: %,d frames received, %,d dropped by libpcap, %,d by the interface; "
                    + "%,d not ours, %,d duplicates", s.received(), s.dropped(), s.droppedByInterface(), st.invalid.get(), st.duplicates.get());
            if (s.dropped() > 0 || s.droppedByInterface() > 0) {
                warnings.add(line + " — answers may have been lost; lower --rate");
            } else {
                info.add(line);
            }
        } catch (IOException e) {
            info.add("capture statistics unavailable: " + e.getMessage());
        }
    }
}
