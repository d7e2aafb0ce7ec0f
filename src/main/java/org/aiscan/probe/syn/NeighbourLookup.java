package org.aiscan.probe.syn;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.aiscan.model.Address;
import org.aiscan.probe.RateLimiter;

/**
 * The neighbour lookup for on-link targets, as nmap does it: what the kernel's neighbour table
 * knows first, then, each time {@link #ask} is called, an ARP request (IPv4) or neighbour
 * solicitation (IPv6) to every host still unknown, paced like SYNs. The receive thread reads the
 * answers whenever they come ({@link SynReceiver}); a host that never answers gets no SYN.
 */
final class NeighbourLookup {
    private final SynRun run;
    private final OnLink onLink;
    private final FrameSender out;
    private final List<String> info;
    private final byte[] arp;
    private final byte[] ns;
    private final RateLimiter limiter;
    private long asked;

    /** Reads the kernel's table through {@code link}; a table that cannot be read is said in {@code info}. */
    NeighbourLookup(SynRun run, Link link, FrameSender out, double rate, List<String> info) {
        this.run = run;
        this.onLink = run.state().onLink;
        this.out = out;
        this.info = info;
        SynSupport.Setup setup = run.setup();
        this.arp = setup.src4() == null ? null : Frames.arpTemplate(setup.srcMac(), setup.src4().v4Int());
        this.ns = setup.src6() == null ? null : Frames.nsTemplate(setup.srcMac(), setup.src6().hi(), setup.src6().lo());
        this.limiter = new RateLimiter(rate, Math.max(2, rate / 1000.0), run.ticker().nanoTime()); // ~1 ms of burst
        try {
            for (Neighbours.Entry e : link.neighbourTable(onLink.hasV4(), onLink.hasV6())) {
                onLink.learnFromKernel(e.address(), e.mac());
            }
        } catch (IOException e) {
            info.add("the kernel's neighbour table could not be read (" + e.getMessage() + "); every on-link host is asked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request to every on-link host not known yet. */
    void ask() throws Exception {
        SynState st = run.state();
        for (long i = 0; i < onLink.size() && !run.stopped(); i++) {
            if (onLink.mac(i) >= 0) {
                continue;
            }
            Address a = onLink.host(i);
            byte[] f = a.isV6() ? ns : arp;
            if (f == null) {
                continue;
            }
            run.guard().check(a);
            if (a.isV6()) {
                Frames.patchNs(ns, a.hi(), a.lo());
            } else {
                Frames.patchArp(arp, a.v4Int());
            }
            SynSender.pace(limiter, out, run.ticker());
            out.send(f, a.isV6() ? Frames.NS_LEN : Frames.ARP_LEN);
            long now = run.ticker().nanoTime();
            onLink.asked(i, now);
            st.lastSend.set(now);
            asked++;
        }
        out.flush();
        st.lastSend.set(run.ticker().nanoTime());
    }

    /** The lookup in one line: how many answered, how many asked, the slowest answer. */
    String summary() {
        long slow = run.state().slowestNeighbour.get();
        return String.format(Locale.ROOT, "neighbour lookup on %s: %,d of %,d on-link address%s answer (%,d from the kernel's table), "
                + "%,d request%s sent, slowest answer %s", run.setup().iface(), onLink.known(), onLink.size(), onLink.size() == 1 ? "" : "es",
                onLink.fromKernel(), asked, asked == 1 ? "" : "s", slow < 0 ? "not measured" : String.format(Locale.ROOT, "%.1f ms", slow / 1e6));
    }
}
