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
import org.aiscan.target.TargetGuard;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.trace.Trace;
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
 * reported filtered. Round trips are timed from the kernel's capture time stamp, so a busy receive
 * thread does not stretch them; before it ends, the engine waits until every frame the kernel
 * captured has been read.
 *
 * <p>Targets on the interface's own link (no gateway) first get a neighbour lookup, as nmap does:
 * what the kernel's neighbour table knows, then ARP requests (IPv4) and neighbour solicitations
 * (IPv6) through the same senders, paced and retried like SYNs, answered through the same capture.
 * A host that never answers gets no SYN and is reported filtered ({@code no-arp-reply},
 * {@code no-nd-reply}); one that answers late, while SYNs are already going out, gets a pass of its
 * own at the end.
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
    private final SendOptions sending;

    SynEngine(SynSupport.Setup setup, EngineOptions options, TargetGuard guard, SendOptions sending) {
        this.setup = setup;
        this.options = options;
        this.guard = guard;
        this.sending = sending;
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
        long want = Math.max(256L << 10, probes * 2 * 256);
        return (int) Math.min(32L << 20, want);
    }

    /**
     * The capture filter: TCP answers to our source ports and ICMP unreachables, for our addresses;
     * with on-link targets also ARP replies and neighbour advertisements (ICMPv6 type 136).
     */
    String bpfFilter(OnLink onLink) {
        List<String> parts = new ArrayList<>();
        String ports = "dst portrange " + SPORT_BASE + "-" + (SPORT_BASE + SPORT_COUNT - 1);
        boolean arp = onLink != null && onLink.hasV4();
        boolean nd = onLink != null && onLink.hasV6();
        if (setup.src4() != null) {
            parts.add("(dst host " + setup.src4() + " and ((tcp and " + ports + ") or (icmp and icmp[0] == 3)))");
        }
        if (setup.src6() != null) {
            parts.add("(dst host " + setup.src6() + " and ((tcp and " + ports + ") or (icmp6 and (ip6[40] == 1"
                    + (nd ? " or ip6[40] == 136" : "") + "))))");
        }
        if (arp && setup.src4() != null) {
            // replies to us only: our own kernel's replies to hosts that ask for us match "arp[6:2] == 2" too, and
            // libpcap counts those outgoing frames before it drops them for the capture direction, so the
            // drain below waited its full second for frames that never come (seen on W6 in 1 run of 10)
            parts.add("(arp and arp[6:2] == 2 and dst host " + setup.src4() + ")");
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
        OnLink onLink = setup.onLink() == null ? null : new OnLink(setup.onLink());
        Shared st = new Shared(probes, Cookie.random(), onLink, setup.src4(), setup.src6());
        int threads = sending.threads() > 0 ? sending.threads() : (options.rate() == 0 || options.rate() > ONE_THREAD_RATE ? 2 : 1);
        threads = (int) Math.max(1, Math.min(threads, Math.max(1, probes)));

        PcapHandle rx = new PcapHandle.Builder(setup.iface())
                .snaplen(128)
                .bufferSize(ringBytes(probes + (onLink == null ? 0 : onLink.size())))
                .immediateMode(true)
                .timeoutMillis(50)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .direction(PcapHandle.PcapDirection.IN)
                .build();
        Trace.mark("SYN capture handle built");
        if (!DataLinkType.EN10MB.equals(rx.getDlt())) {
            rx.close();
            throw new IllegalStateException("interface " + setup.iface() + " is not Ethernet (" + rx.getDlt() + ")");
        }
        List<FrameSender> tx = new ArrayList<>();
        Thread rxThread = null;
        try {
            rx.setFilter(bpfFilter(onLink), BpfProgram.BpfCompileMode.OPTIMIZE);
            Trace.mark("SYN filter set");
            tx.addAll(openSenders(rx, threads, info));
            Trace.mark("SYN senders open");
            Receiver receiver = new Receiver(plan, st, sink, progress, rx);
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
            Trace.mark("SYN handles open");

            // The neighbour lookup overlaps the SYN passes: one round of requests, then SYNs to whoever has
            // answered (most within a millisecond), the next round of requests right after, answers to both
            // awaited together; a host learnt while SYNs go out gets its probes in the next pass.
            Neighbourhood hood = onLink == null ? null : new Neighbourhood(onLink, st, tx.get(0), cancel, info);
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
                runSenders(plan, st, tx, threads, pass, 0, progress, cancel);
                long sentThisPass = st.sentUnique.get() - sentBefore;
                Trace.mark("SYN pass " + pass + " sent");
                if (hood != null && asks > 0) {
                    hood.ask();
                    asks--;
                }
                if (sentThisPass > 0 || pass > 0 || hood != null) {
                    awaitAnswers(st, probes, cancel, rx);
                }
                Trace.mark("SYN pass " + pass + " answered");
                if (st.failure.get() != null) {
                    break;
                }
            }
            // Hosts learnt in the last round (r) may have missed some of their probes in it: a late round
            // for them, twice at most.
            for (int late = 0; late < 2 && onLink != null && !cancel.isCancelled() && st.failure.get() == null
                    && st.answered.get() < probes && onLink.lastRoundLearnt() >= round; late++) {
                int from = onLink.lastRoundLearnt();
                round++;
                onLink.round(round);
                runSenders(plan, st, tx, threads, 1, from, progress, cancel);
                awaitAnswers(st, probes, cancel, rx);
                info.add("a late round for on-link hosts that answered the neighbour lookup while SYNs were going out (round " + from + ")");
            }
            if (hood != null) {
                hood.report();
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
     * The neighbour lookup for on-link targets: the kernel's table first, then, each time {@link #ask}
     * is called, an ARP request or neighbour solicitation to every host still unknown, paced like
     * SYNs. Answers are read by the receive thread whenever they come.
     */
    private final class Neighbourhood {
        private final OnLink onLink;
        private final Shared st;
        private final FrameSender out;
        private final Cancellation cancel;
        private final List<String> info;
        private final byte[] arp;
        private final byte[] ns;
        private final RateLimiter limiter;
        private long asked;

        Neighbourhood(OnLink onLink, Shared st, FrameSender out, Cancellation cancel, List<String> info) {
            this.onLink = onLink;
            this.st = st;
            this.out = out;
            this.cancel = cancel;
            this.info = info;
            this.arp = setup.src4() == null ? null : Frames.arpTemplate(setup.srcMac(), setup.src4().v4Int());
            this.ns = setup.src6() == null ? null : Frames.nsTemplate(setup.srcMac(), setup.src6().hi(), setup.src6().lo());
            this.limiter = new RateLimiter(options.rate(), Math.max(2, options.rate() / 1000.0)); // ~1 ms of burst
            try {
                for (Neighbours.Entry e : Neighbours.table(setup.iface(), onLink.hasV4(), onLink.hasV6())) {
                    onLink.learnFromKernel(e.address(), e.mac());
                }
            } catch (java.io.IOException e) {
                info.add("the kernel's neighbour table could not be read (" + e.getMessage() + "); every on-link host is asked");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** One request to every on-link host not known yet. */
        void ask() throws Exception {
            for (long i = 0; i < onLink.size() && !cancel.isCancelled() && st.failure.get() == null; i++) {
                if (onLink.mac(i) >= 0) {
                    continue;
                }
                Address a = onLink.host(i);
                byte[] f;
                int len;
                if (a.isV6()) {
                    if (ns == null) {
                        continue;
                    }
                    guard.check(a);
                    Frames.patchNs(ns, a.hi(), a.lo());
                    f = ns;
                    len = Frames.NS_LEN;
                } else {
                    if (arp == null) {
                        continue;
                    }
                    guard.check(a);
                    Frames.patchArp(arp, a.v4Int());
                    f = arp;
                    len = Frames.ARP_LEN;
                }
                pace(limiter, out);
                out.send(f, len);
                long now = System.nanoTime();
                onLink.asked(i, now);
                st.lastSend.set(now);
                asked++;
            }
            out.flush();
            st.lastSend.set(System.nanoTime());
        }

        void report() {
            long slow = st.slowestNeighbour.get();
            info.add(String.format(Locale.ROOT, "neighbour lookup on %s: %,d of %,d on-link address%s answer (%,d from the kernel's table), "
                    + "%,d request%s sent, slowest answer %s", setup.iface(), onLink.known(), onLink.size(), onLink.size() == 1 ? "" : "es",
                    onLink.fromKernel(), asked, asked == 1 ? "" : "s", slow < 0 ? "not measured" : String.format(Locale.ROOT, "%.1f ms", slow / 1e6)));
        }
    }

    /** Waits shorter than this are spun (rates above ~50,000 a second per thread); longer ones sleep. */
    static final long SPIN_BELOW_NANOS = 20_000;

    private static void pace(RateLimiter limiter, FrameSender out) throws Exception {
        if (limiter.unlimited()) {
            return;
        }
        long now = System.nanoTime();
        if (limiter.tryAcquire(now)) {
            return;
        }
        out.flush(); // about to wait: what is queued goes out now, on time
        while (!limiter.tryAcquire(now)) {
            long w = limiter.nanosUntilNext(now);
            if (w > SPIN_BELOW_NANOS) {
                // sleep the whole wait: the timer's lateness (tens of µs) is made up by the limiter's
                // burst of about a millisecond; spinning through it kept a core busy for the whole scan
                LockSupport.parkNanos(w);
            } else {
                Thread.onSpinWait();
            }
            now = System.nanoTime();
        }
    }

    /**
     * One sender per thread: batched AF_PACKET sockets where available, else libpcap (the first
     * sender then shares the receive handle; pcap_sendpacket is a plain send() on its socket).
     */
    private List<FrameSender> openSenders(PcapHandle rx, int threads, List<String> info) throws Exception {
        List<FrameSender> out = new ArrayList<>();
        String why = null;
        if (!sending.pcapOnly()) {
            try {
                int ifindex = java.net.NetworkInterface.getByName(setup.iface()).getIndex();
                for (int i = 0; i < threads; i++) {
                    out.add(AfPacketSender.open(ifindex, sending.qdiscBypass()));
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

    /**
     * One pass over the plan on every send thread. Pass 0 sends everything; later passes only the
     * unanswered. {@code lateFrom} > 0 makes a late round: only on-link hosts learnt in round
     * {@code lateFrom} or later.
     */
    private void runSenders(ScanPlan plan, Shared st, List<FrameSender> tx, int threads, int pass, int lateFrom, ScanProgress progress,
                            Cancellation cancel) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            double rate = options.rate() == 0 ? 0 : (double) options.rate() / threads;
            senders.add(new Sender(plan, st, tx.get(i), plan.cursor(i, threads, 0), rate, pass, lateFrom, progress, cancel));
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

    /**
     * Waits until everything sent is answered, or the last send is older than K × the slowest round
     * trip; then until the receive thread has read every frame the kernel captured so far.
     */
    private void awaitAnswers(Shared st, long probes, Cancellation cancel, PcapHandle rx) throws InterruptedException {
        while (!cancel.isCancelled() && st.failure.get() == null) {
            if (st.answered.get() >= probes) {
                return;
            }
            long slow = Math.max(st.slowest.get(), st.slowestNeighbour.get());
            long wait = slow < 0 ? options.maxTimeoutMillis() * 1_000_000L
                    : Math.max(options.minTimeoutMillis() * 1_000_000L, Math.min(options.maxTimeoutMillis() * 1_000_000L, K * slow));
            long idle = System.nanoTime() - st.lastSend.get();
            if (idle >= wait) {
                drain(st, rx, cancel);
                return;
            }
            Thread.sleep(Math.max(1, Math.min(2, (wait - idle) / 1_000_000L)));
        }
    }

    /** Most time given to the receive thread to catch up with the frames already captured. */
    static final long DRAIN_MILLIS = 1_000;

    /** What the capture has counted so far (received less dropped), 0 when it cannot say. */
    private static long captured(PcapHandle rx) {
        try {
            PcapStat s = rx.getStats();
            return s.getNumPacketsReceived() - s.getNumPacketsDropped();
        } catch (PcapNativeException | NotOpenException e) {
            return 0;
        }
    }

    /**
     * Round trips come from kernel time stamps, so the wait above does not cover a receive thread
     * that is behind (a busy core, a pause): wait until it has read all the kernel captured.
     */
    private static void drain(Shared st, PcapHandle rx, Cancellation cancel) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
        while (!cancel.isCancelled() && System.nanoTime() < deadline) {
            if (st.frames.get() >= captured(rx)) { // 0 when the capture cannot say: nothing to wait for
                return;
            }
            Thread.sleep(1);
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
                String reason = "no-response";
                if (st.onLink != null) {
                    long h = st.onLink.index(p.address());
                    if (h >= 0 && st.onLink.mac(h) < 0) {
                        reason = p.address().isV6() ? "no-nd-reply" : "no-arp-reply"; // never sent a SYN
                    }
                }
                progress.decided(PortState.FILTERED);
                sink.accept(p, new PortResult(p.address(), p.port(), PortState.FILTERED, reason, -1, now));
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
        /** Frames the receive thread has read, all kinds: compared with the capture's count before the end. */
        final AtomicLong frames = new AtomicLong();
        final AtomicLong slowestNeighbour = new AtomicLong(-1);
        final OnLink onLink;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        // send times of recent probes, for round-trip samples without per-probe state
        final long[] ringOrdinal = new long[RING];
        final long[] ringTime = new long[RING];

        /** Epoch nanoseconds minus System.nanoTime, to put capture time stamps on the send clock. */
        final long wallMinusMono;
        final Address src4;
        final Address src6;
        /** Probes sent at least once: retransmissions are counted apart, and a late round's first send is not one. */
        final AtomicLongArray sent;

        Shared(long probes, Cookie cookie, OnLink onLink, Address src4, Address src6) {
            this.cookie = cookie;
            this.onLink = onLink;
            this.src4 = src4;
            this.src6 = src6;
            this.sent = new AtomicLongArray((int) ((probes + 63) >>> 6));
            Instant now = Instant.now();
            this.wallMinusMono = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
            this.bits = new AtomicLongArray((int) ((probes + 63) >>> 6));
            java.util.Arrays.fill(ringOrdinal, -1);
        }

        boolean isAnswered(long ord) {
            return (bits.get((int) (ord >>> 6)) & (1L << (ord & 63))) != 0;
        }

        /** Sets the answered bit; true if it was already set. */
        boolean testAndSet(long ord) {
            return testAndSet(bits, ord);
        }

        /** Sets the sent bit; true if the probe had been sent before. */
        boolean testAndSetSent(long ord) {
            return testAndSet(sent, ord);
        }

        private static boolean testAndSet(AtomicLongArray a, long ord) {
            int i = (int) (ord >>> 6);
            long mask = 1L << (ord & 63);
            while (true) {
                long v = a.get(i);
                if ((v & mask) != 0) {
                    return true;
                }
                if (a.compareAndSet(i, v, v | mask)) {
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
        private final int lateFrom;
        private final ScanProgress progress;
        private final Cancellation cancel;
        private final byte[] frame4;
        private final byte[] frame6;
        private final byte[] hostMac = new byte[6];

        Sender(ScanPlan plan, Shared st, FrameSender out, ScanPlan.Cursor cursor, double rate, int pass, int lateFrom,
               ScanProgress progress, Cancellation cancel) {
            this.plan = plan;
            this.st = st;
            this.out = out;
            this.cursor = cursor;
            this.limiter = new RateLimiter(rate, Math.max(2, rate / 1000)); // ~1 ms of burst: sleeps wake late
            this.pass = pass;
            this.lateFrom = lateFrom;
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
            byte[] mac = nextHopMac(a);
            if (mac == null) {
                return; // an on-link host that has not answered the neighbour lookup (yet), or not part of a late round
            }
            guard.check(a);
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
            pace(limiter, out);
            out.send(f, len);
            long now = System.nanoTime();
            if ((p.ordinal() & (SAMPLE_EVERY - 1)) == 0) {
                int slot = (int) ((p.ordinal() / SAMPLE_EVERY) & (RING - 1));
                st.ringTime[slot] = now;
                st.ringOrdinal[slot] = p.ordinal();
            }
            st.lastSend.set(now);
            st.packets.incrementAndGet();
            if (!st.testAndSetSent(p.ordinal())) {
                st.sentUnique.incrementAndGet();
            } else {
                progress.retried();
            }
            progress.sent();
        }

        /** The MAC this probe's frame goes to; null when the probe is not to be sent in this round. */
        private byte[] nextHopMac(Address a) {
            if (setup.routerMac() != null) {
                return lateFrom > 0 ? null : setup.routerMac();
            }
            RouteTable.Route r = setup.routes().lookup(a);
            if (r != null && r.gateway() == null && st.onLink != null) {
                long h = st.onLink.index(a);
                long m = h < 0 ? -1 : st.onLink.mac(h);
                if (m < 0 || (lateFrom > 0 && st.onLink.learntIn(h) < lateFrom)) {
                    return null;
                }
                Frames.putMac(hostMac, 0, m);
                return hostMac;
            }
            if (lateFrom > 0) {
                return null;
            }
            byte[] mac = r == null || r.gateway() == null ? null : setup.nextHopMacs().get(r.gateway());
            if (mac == null) {
                throw new IllegalStateException("no next hop for " + a + " (route " + r + ")");
            }
            return mac;
        }
    }

    /** The receive thread's frame handler. */
    private static final class Receiver {
        private final ScanPlan plan;
        private final Shared st;
        private final ResultSink sink;
        private final ScanProgress progress;
        private final Reply reply;
        private final NeighbourReply neighbour;
        private final PcapHandle handle;

        Receiver(ScanPlan plan, Shared st, ResultSink sink, ScanProgress progress, PcapHandle handle) {
            this.plan = plan;
            this.st = st;
            this.sink = sink;
            this.progress = progress;
            this.reply = new Reply(st.cookie);
            this.neighbour = st.onLink == null ? null : new NeighbourReply(st.src4, st.src6);
            this.handle = handle;
        }

        /**
         * When the kernel captured the frame being handled, on the System.nanoTime clock: the
         * capture's wall-clock time stamp moved by the offset between the two clocks.
         */
        private long capturedNanos() {
            java.sql.Timestamp ts = handle.getTimestamp();
            if (ts == null) {
                return System.nanoTime();
            }
            long wall = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
            return wall - st.wallMinusMono;
        }

        void onFrame(byte[] frame) {
            st.frames.incrementAndGet();
            if (!reply.parse(frame, frame.length)) {
                if (neighbour != null && neighbour.parse(frame, frame.length)) {
                    onNeighbour();
                } else {
                    st.invalid.incrementAndGet();
                }
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
                rtt = Math.max(0, capturedNanos() - st.ringTime[slot]);
                // an ICMP error often comes from a router after its neighbour lookup timed out (~3 s): it says
                // nothing about how fast hosts answer, so only SYN-ACKs and resets set the end of the scan
                if (reply.state != PortState.FILTERED) {
                    st.slowest.accumulateAndGet(rtt, Math::max);
                }
            }
            progress.decided(reply.state);
            sink.accept(new Probe(a, reply.targetPort, ord),
                    new PortResult(a, reply.targetPort, reply.state, reply.reason, rtt < 0 ? -1 : rtt / 1000, Instant.now()));
        }

        private void onNeighbour() {
            OnLink on = st.onLink;
            long h = on.index(neighbour.address);
            if (h < 0) {
                st.invalid.incrementAndGet();
                return;
            }
            if (!on.learn(neighbour.address, neighbour.mac)) {
                st.duplicates.incrementAndGet();
                return;
            }
            long asked = on.askedAt(h);
            if (asked != 0 && neighbour.override) { // an anycast answer is late on purpose: it must not stretch every wait
                st.slowestNeighbour.accumulateAndGet(Math.max(0, capturedNanos() - asked), Math::max);
            }
        }
    }
}
