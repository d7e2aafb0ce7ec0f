package org.aiscan.probe.syn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.aiscan.model.Address;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.RateLimiter;
import org.aiscan.probe.ResultSink;
import org.aiscan.probe.ScanProgress;
import org.aiscan.probe.TargetGuard;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Stateless SYN scanning in the manner of zmap and masscan, with an nmap-like end.
 *
 * <p>Send threads walk their lanes of the plan and send one patched frame per probe, paced by a
 * token bucket. One receive thread reads its own handle (BPF filter: our addresses and source
 * ports; snaplen 128; a ring of up to 32 MiB), validates each reply by its cookie, maps it back to the probe's
 * ordinal with the inverse permutation and sets that probe's bit: the first answer decides, later
 * ones are duplicates. After each pass the engine waits until every probe sent is answered or the
 * last send is older than {@value #K} × the slowest round trip seen (clamped to the engine's
 * timeouts), then resends only the unanswered probes, {@code retries} times. What stays silent is
 * reported filtered.
 */
final class SynEngine implements ProbeEngine {
    static final int SPORT_BASE = 61440;
    static final int SPORT_COUNT = 1024; // 61440-62463: outside Linux's ephemeral range (32768-60999)
    static final int K = 3;
    static final int RING = 1 << 14;
    /** Every 8th probe's send time is kept (in a ring of {@value #RING}) to time round trips. */
    static final int SAMPLE_EVERY = 8;
    /** Above this rate one send thread is not enough on this kind of machine (~430k pps measured). */
    static final long ONE_THREAD_RATE = 300_000;

    private final SynSupport.Setup setup;
    private final EngineOptions options;
    private final TargetGuard guard;
    private final int sendThreads;

    SynEngine(SynSupport.Setup setup, EngineOptions options, TargetGuard guard, int sendThreads) {
        this.setup = setup;
        this.options = options;
        this.guard = guard;
        this.sendThreads = sendThreads;
    }

    @Override
    public String name() {
        return "syn";
    }

    static int sourcePort(long ordinal, int attempt) {
        return SPORT_BASE + (int) ((ordinal + attempt * 257L) & (SPORT_COUNT - 1));
    }

    /**
     * The capture ring: 32 MiB (about 130,000 reply slots at snaplen 128) for large scans, less for
     * small ones, which never see more replies than probes; allocating the ring is most of a
     * handle's set-up time.
     */
    static int ringBytes(long probes) {
        long want = Math.max(2L << 20, probes * 2 * 256);
        return (int) Math.min(32L << 20, want);
    }

    String bpfFilter() {
        List<String> parts = new ArrayList<>();
        String ports = "dst portrange " + SPORT_BASE + "-" + (SPORT_BASE + SPORT_COUNT - 1);
        if (setup.src4() != null) {
            parts.add("(dst host " + setup.src4() + " and ((tcp and " + ports + ") or (icmp and icmp[0] == 3)))");
        }
        if (setup.src6() != null) {
            parts.add("(dst host " + setup.src6() + " and ((tcp and " + ports + ") or (icmp6 and ip6[40] == 1)))");
        }
        return String.join(" or ", parts);
    }

    @Override
    public EngineReport run(ScanPlan plan, ResultSink sink, ScanProgress progress, Cancellation cancel) throws Exception {
        List<String> warnings = new ArrayList<>();
        List<String> info = new ArrayList<>();
        long probes = plan.probes();
        if (probes > (1L << 36)) {
            throw new IllegalArgumentException("too many probes for one SYN run (" + probes + "); split it with --shard");
        }
        Shared st = new Shared(probes, Cookie.random());
        int threads = sendThreads > 0 ? sendThreads : (options.rate() == 0 || options.rate() > ONE_THREAD_RATE ? 2 : 1);
        threads = (int) Math.max(1, Math.min(threads, Math.max(1, probes)));

        PcapHandle rx = new PcapHandle.Builder(setup.iface())
                .snaplen(128)
                .bufferSize(ringBytes(probes))
                .immediateMode(true)
                .timeoutMillis(50)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .direction(PcapHandle.PcapDirection.IN)
                .build();
        if (!DataLinkType.EN10MB.equals(rx.getDlt())) {
            rx.close();
            throw new IllegalStateException("interface " + setup.iface() + " is not Ethernet (" + rx.getDlt() + ")");
        }
        List<FrameSender> tx = new ArrayList<>();
        Thread rxThread = null;
        try {
            rx.setFilter(bpfFilter(), BpfProgram.BpfCompileMode.OPTIMIZE);
            tx.addAll(openSenders(rx, threads, info));
            Receiver receiver = new Receiver(plan, st, sink, progress);
            rxThread = new Thread(() -> {
                try {
                    rx.loop(-1, receiver::onFrame);
                } catch (InterruptedException e) {
                    // breakLoop: the normal end
                } catch (Throwable t) {
                    st.failure.compareAndSet(null, t);
                }
            }, "aiscan-syn-rx");
            rxThread.setDaemon(true);
            rxThread.start();
            org.aiscan.console.Trace.mark("SYN handles open");

            int passes = options.retries() + 1;
            for (int pass = 0; pass < passes && !cancel.isCancelled(); pass++) {
                if (pass > 0 && st.answered.get() >= probes) {
                    break;
                }
                long sentBefore = st.sentUnique.get();
                runSenders(plan, st, tx, threads, pass, progress, cancel);
                long sentThisPass = st.sentUnique.get() - sentBefore;
                org.aiscan.console.Trace.mark("SYN pass " + pass + " sent");
                if (sentThisPass > 0 || pass > 0) {
                    awaitAnswers(st, probes, cancel);
                }
                org.aiscan.console.Trace.mark("SYN pass " + pass + " answered");
                if (st.failure.get() != null) {
                    break;
                }
            }
        } finally {
            try {
                rx.breakLoop();
            } catch (NotOpenException ignored) {
                // already closed
            }
            if (rxThread != null) {
                rxThread.join(5000);
            }
            statsInto(rx, warnings, info, st);
            // Unmapping a 32 MiB ring takes tens of milliseconds; nothing waits for it.
            Thread closer = new Thread(() -> {
                tx.forEach(FrameSender::close);
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
            reportSilent(plan, st, sink, progress, cancel);
        }
        long slow = st.slowest.get();
        info.add(String.format(Locale.ROOT, "SYN %s; %,d packets sent (%,d retransmissions), %,d answers, slowest round trip %s",
                setup.summary(), st.packets.get(), st.packets.get() - st.sentUnique.get(), st.answered.get(),
                slow < 0 ? "not measured" : String.format(Locale.ROOT, "%.1f ms", slow / 1e6)));
        long txRetries = 0;
        String txError = "";
        for (FrameSender f2 : tx) {
            txRetries += f2.retries();
            if (!f2.lastError().isEmpty()) {
                txError = f2.lastError();
            }
        }
        if (txRetries > 0) {
            warnings.add(txRetries + " send(s) were refused by the kernel and retried (" + txError + "); consider a lower --rate");
        }
        boolean complete = !cancel.isCancelled() && st.failure.get() == null;
        return new EngineReport(complete, warnings, info);
    }

    /**
     * One sender per thread: batched AF_PACKET sockets where available, else libpcap (the first
     * sender then shares the receive handle; pcap_sendpacket is a plain send() on its socket).
     */
    private List<FrameSender> openSenders(PcapHandle rx, int threads, List<String> info) throws Exception {
        List<FrameSender> out = new ArrayList<>();
        String why = null;
        if (!"pcap".equals(System.getenv("AISCAN_SEND"))) {
            try {
                int ifindex = java.net.NetworkInterface.getByName(setup.iface()).getIndex();
                for (int i = 0; i < threads; i++) {
                    out.add(AfPacketSender.open(ifindex));
                }
                info.add("sending with sendmmsg on AF_PACKET, " + AfPacketSender.BATCH + " frames per call, " + threads + " thread(s)");
                return out;
            } catch (Exception | LinkageError e) {
                out.forEach(FrameSender::close);
                out.clear();
                why = e.getMessage();
            }
        }
        out.add(new PcapSender(rx, false));
        for (int i = 1; i < threads; i++) {
            PcapHandle h = new PcapHandle.Builder(setup.iface()).snaplen(64).bufferSize(1 << 16).timeoutMillis(10).build();
            // libpcap rejects an always-false filter; this ethertype (IEEE 802.1AE MACsec) does not occur here.
            h.setFilter("ether proto 0x88e5", BpfProgram.BpfCompileMode.OPTIMIZE);
            out.add(new PcapSender(h, true));
        }
        info.add("sending with pcap_sendpacket, " + threads + " thread(s)" + (why == null ? "" : " (batched sending unavailable: " + why + ")"));
        return out;
    }

    private void runSenders(ScanPlan plan, Shared st, List<FrameSender> tx, int threads, int pass, ScanProgress progress,
                            Cancellation cancel) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            double rate = options.rate() == 0 ? 0 : (double) options.rate() / threads;
            senders.add(new Sender(plan, st, tx.get(i), plan.cursor(i, threads, 0), rate, pass, progress, cancel));
        }
        for (int i = 1; i < threads; i++) {
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

    /** Waits until everything sent is answered, or the last send is older than K × the slowest round trip. */
    private void awaitAnswers(Shared st, long probes, Cancellation cancel) throws InterruptedException {
        while (!cancel.isCancelled() && st.failure.get() == null) {
            if (st.answered.get() >= probes) {
                return;
            }
            long slow = st.slowest.get();
            long wait = slow < 0 ? options.maxTimeoutMillis() * 1_000_000L
                    : Math.max(options.minTimeoutMillis() * 1_000_000L, Math.min(options.maxTimeoutMillis() * 1_000_000L, K * slow));
            long idle = System.nanoTime() - st.lastSend.get();
            if (idle >= wait) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(2, (wait - idle) / 1_000_000L)));
        }
    }

    private void reportSilent(ScanPlan plan, Shared st, ResultSink sink, ScanProgress progress, Cancellation cancel) {
        long probes = plan.probes();
        Instant now = Instant.now();
        for (long ord = 0; ord < probes; ord++) {
            if ((ord & 0xFFFF) == 0 && cancel.isCancelled()) {
                return;
            }
            if (!st.isAnswered(ord)) {
                Probe p = plan.probeAt(ord);
                progress.decided(PortState.FILTERED);
                sink.accept(p, new PortResult(p.address(), p.port(), PortState.FILTERED, "no-response", -1, now));
            }
        }
    }

    private static void statsInto(PcapHandle rx, List<String> warnings, List<String> info, Shared st) {
        try {
            PcapStat s = rx.getStats();
            long drop = s.getNumPacketsDropped();
            long ifdrop = s.getNumPacketsDroppedByIf();
            String line = String.format(Locale.ROOT, "capture: %,d frames received, %,d dropped by libpcap, %,d by the interface; "
                    + "%,d not ours, %,d duplicates", s.getNumPacketsReceived(), drop, ifdrop, st.invalid.get(), st.duplicates.get());
            if (drop > 0 || ifdrop > 0) {
                warnings.add(line + " — answers may have been lost; lower --rate");
            } else {
                info.add(line);
            }
        } catch (PcapNativeException | NotOpenException e) {
            info.add("capture statistics unavailable: " + e.getMessage());
        }
    }

    /** State shared by the send threads and the receive thread. */
    private static final class Shared {
        final Cookie cookie;
        final AtomicLongArray bits;
        final AtomicLong answered = new AtomicLong();
        final AtomicLong sentUnique = new AtomicLong();
        final AtomicLong packets = new AtomicLong();
        final AtomicLong lastSend = new AtomicLong(System.nanoTime());
        final AtomicLong slowest = new AtomicLong(-1);
        final AtomicLong invalid = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        // send times of recent probes, for round-trip samples without per-probe state
        final long[] ringOrdinal = new long[RING];
        final long[] ringTime = new long[RING];

        Shared(long probes, Cookie cookie) {
            this.cookie = cookie;
            this.bits = new AtomicLongArray((int) ((probes + 63) >>> 6));
            java.util.Arrays.fill(ringOrdinal, -1);
        }

        boolean isAnswered(long ord) {
            return (bits.get((int) (ord >>> 6)) & (1L << (ord & 63))) != 0;
        }

        /** Sets the bit; true if it was already set. */
        boolean testAndSet(long ord) {
            int i = (int) (ord >>> 6);
            long mask = 1L << (ord & 63);
            while (true) {
                long v = bits.get(i);
                if ((v & mask) != 0) {
                    return true;
                }
                if (bits.compareAndSet(i, v, v | mask)) {
                    return false;
                }
            }
        }
    }

    private final class Sender implements Runnable {
        private final ScanPlan plan;
        private final Shared st;
        private final FrameSender out;
        private final ScanPlan.Cursor cursor;
        private final RateLimiter limiter;
        private final int pass;
        private final ScanProgress progress;
        private final Cancellation cancel;
        private final byte[] frame4;
        private final byte[] frame6;

        Sender(ScanPlan plan, Shared st, FrameSender out, ScanPlan.Cursor cursor, double rate, int pass,
               ScanProgress progress, Cancellation cancel) {
            this.plan = plan;
            this.st = st;
            this.out = out;
            this.cursor = cursor;
            this.limiter = new RateLimiter(rate, Math.max(1, rate / 2000)); // ~0.5 ms of burst
            this.pass = pass;
            this.progress = progress;
            this.cancel = cancel;
            this.frame4 = setup.src4() == null ? null : Frames.v4Template(setup.srcMac(), setup.src4().v4Int());
            this.frame6 = setup.src6() == null ? null : Frames.v6Template(setup.srcMac(), setup.src6().hi(), setup.src6().lo());
        }

        @Override
        public void run() {
            try {
                long n = 0;
                while (cursor.hasNext()) {
                    if ((++n & 255) == 0 && (cancel.isCancelled() || st.failure.get() != null)) {
                        return;
                    }
                    Probe p = cursor.next();
                    if (pass > 0 && st.isAnswered(p.ordinal())) {
                        continue;
                    }
                    send(p);
                }
                out.flush();
                st.lastSend.set(System.nanoTime());
            } catch (Throwable t) {
                st.failure.compareAndSet(null, t);
            }
        }

        private void send(Probe p) throws Exception {
            Address a = p.address();
            guard.check(a);
            byte[] mac = nextHopMac(a);
            int sport = sourcePort(p.ordinal(), pass);
            byte[] f;
            int len;
            if (a.isV6()) {
                int seq = st.cookie.v6(a.hi(), a.lo(), p.port(), sport);
                Frames.patchV6(frame6, mac, a.hi(), a.lo(), p.port(), sport, seq);
                f = frame6;
                len = Frames.V6_LEN;
            } else {
                int seq = st.cookie.v4(a.v4Int(), p.port(), sport);
                Frames.patchV4(frame4, mac, a.v4Int(), p.port(), sport, seq);
                f = frame4;
                len = Frames.V4_LEN;
            }
            pace();
            out.send(f, len);
            long now = System.nanoTime();
            if ((p.ordinal() & (SAMPLE_EVERY - 1)) == 0) {
                int slot = (int) ((p.ordinal() / SAMPLE_EVERY) & (RING - 1));
                st.ringTime[slot] = now;
                st.ringOrdinal[slot] = p.ordinal();
            }
            st.lastSend.set(now);
            st.packets.incrementAndGet();
            if (pass == 0) {
                st.sentUnique.incrementAndGet();
            }
            progress.sent();
            if (pass > 0) {
                progress.retried();
            }
        }

        private byte[] nextHopMac(Address a) {
            if (setup.routerMac() != null) {
                return setup.routerMac();
            }
            RouteTable.Route r = setup.routes().lookup(a);
            byte[] mac = r == null || r.gateway() == null ? null : setup.nextHopMacs().get(r.gateway());
            if (mac == null) {
                throw new IllegalStateException("no next hop for " + a + " (route " + r + ")");
            }
            return mac;
        }

        private void pace() {
            if (limiter.unlimited()) {
                return;
            }
            long now = System.nanoTime();
            if (limiter.tryAcquire(now)) {
                return;
            }
            try {
                out.flush(); // about to wait: what is queued goes out now, on time
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            while (!limiter.tryAcquire(now)) {
                long w = limiter.nanosUntilNext(now);
                if (w > 200_000) {
                    LockSupport.parkNanos(w - 100_000);
                } else {
                    Thread.onSpinWait();
                }
                now = System.nanoTime();
            }
        }
    }

    /** The receive thread's frame handler. */
    private static final class Receiver {
        private final ScanPlan plan;
        private final Shared st;
        private final ResultSink sink;
        private final ScanProgress progress;
        private final Reply reply;

        Receiver(ScanPlan plan, Shared st, ResultSink sink, ScanProgress progress) {
            this.plan = plan;
            this.st = st;
            this.sink = sink;
            this.progress = progress;
            this.reply = new Reply(st.cookie);
        }

        void onFrame(byte[] frame) {
            long now = System.nanoTime();
            if (!reply.parse(frame, frame.length)) {
                st.invalid.incrementAndGet();
                return;
            }
            Address a = reply.address();
            long ord = plan.ordinalOf(a, reply.targetPort);
            if (ord < 0) {
                st.invalid.incrementAndGet();
                return;
            }
            if (st.testAndSet(ord)) {
                st.duplicates.incrementAndGet();
                return;
            }
            st.answered.incrementAndGet();
            long rtt = -1;
            int slot = (int) ((ord / SAMPLE_EVERY) & (RING - 1));
            if ((ord & (SAMPLE_EVERY - 1)) == 0 && st.ringOrdinal[slot] == ord) {
                rtt = now - st.ringTime[slot];
                // an ICMP error often comes from a router after its neighbour lookup timed out (~3 s): it says
                // nothing about how fast hosts answer, so only SYN-ACKs and resets set the end of the scan
                long cur;
                do {
                    cur = st.slowest.get();
                } while (reply.state != org.aiscan.model.PortState.FILTERED && rtt > cur && !st.slowest.compareAndSet(cur, rtt));
            }
            progress.decided(reply.state);
            sink.accept(new Probe(a, reply.targetPort, ord),
                    new PortResult(a, reply.targetPort, reply.state, reply.reason, rtt < 0 ? -1 : rtt / 1000, Instant.now()));
        }
    }
}
