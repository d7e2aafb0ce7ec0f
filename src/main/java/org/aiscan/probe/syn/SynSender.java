package org.aiscan.probe.syn;

import org.aiscan.model.Address;
import org.aiscan.probe.RateLimiter;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;

/**
 * One send thread's part of one pass (zmap's send.c): walks its lane of the plan and sends one
 * patched frame per probe, paced by its share of the rate. Pass 0 sends every probe; later passes
 * only the unanswered. A late round ({@code lateFrom} > 0) sends only to on-link hosts learnt in
 * round {@code lateFrom} or later.
 */
final class SynSender implements Runnable {
    static final int SPORT_BASE = 61440;
    static final int SPORT_COUNT = 1024; // 61440-62463: outside Linux's ephemeral range (32768-60999)
    /** Waits shorter than this are spun (rates above ~50,000 a second per thread); longer ones sleep. */
    static final long SPIN_BELOW_NANOS = 20_000;

    private final SynRun run;
    private final SynState st;
    private final FrameSender out;
    private final ScanPlan.Cursor cursor;
    private final RateLimiter limiter;
    private final int pass;
    private final int lateFrom;
    private final byte[] frame4;
    private final byte[] frame6;
    private final byte[] hostMac = new byte[6];

    SynSender(SynRun run, FrameSender out, ScanPlan.Cursor cursor, double rate, int pass, int lateFrom) {
        this.run = run;
        this.st = run.state();
        this.out = out;
        this.cursor = cursor;
        this.limiter = new RateLimiter(rate, Math.max(2, rate / 1000), run.ticker().nanoTime()); // ~1 ms of burst: sleeps wake late
        this.pass = pass;
        this.lateFrom = lateFrom;
        SynSupport.Setup setup = run.setup();
        this.frame4 = setup.src4() == null ? null : Frames.v4Template(setup.srcMac(), setup.src4().v4Int());
        this.frame6 = setup.src6() == null ? null : Frames.v6Template(setup.srcMac(), setup.src6().hi(), setup.src6().lo());
    }

    /** The source port of a probe's attempt: retries differ, so their answers can be told apart by the kernel's view. */
    static int sourcePort(long ordinal, int attempt) {
        return SPORT_BASE + (int) ((ordinal + attempt * 257L) & (SPORT_COUNT - 1));
    }

    @Override
    public void run() {
        try {
            long n = 0;
            while (cursor.hasNext()) {
                if ((++n & 255) == 0 && run.stopped()) {
                    return;
                }
                Probe p = cursor.next();
                if (pass > 0 && st.isAnswered(p.ordinal())) {
                    continue;
                }
                send(p);
            }
            out.flush();
            st.lastSend.set(run.ticker().nanoTime());
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
        run.guard().check(a);
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
        pace(limiter, out, run.ticker());
        out.send(f, len);
        long now = run.ticker().nanoTime();
        st.sentAt(p.ordinal(), now);
        st.lastSend.set(now);
        st.packets.incrementAndGet();
        if (!st.testAndSetSent(p.ordinal())) {
            st.sentUnique.incrementAndGet();
        } else {
            run.progress().retried();
        }
        run.progress().sent();
    }

    /** The MAC this probe's frame goes to; null when the probe is not to be sent in this round. */
    private byte[] nextHopMac(Address a) {
        SynSupport.Setup setup = run.setup();
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

    /** Waits for the limiter's next token; what is queued goes out before a wait. */
    static void pace(RateLimiter limiter, FrameSender out, Ticker ticker) throws Exception {
        if (limiter.unlimited()) {
            return;
        }
        long now = ticker.nanoTime();
        if (limiter.tryAcquire(now)) {
            return;
        }
        out.flush(); // about to wait: what is queued goes out now, on time
        while (!limiter.tryAcquire(now)) {
            long w = limiter.nanosUntilNext(now);
            if (w > SPIN_BELOW_NANOS) {
                // sleep the whole wait: the timer's lateness (tens of µs) is made up by the limiter's
                // burst of about a millisecond; spinning through it kept a core busy for the whole scan
                ticker.park(w);
            } else {
                Thread.onSpinWait();
            }
            now = ticker.nanoTime();
        }
    }
}
