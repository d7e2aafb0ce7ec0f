package org.aiscan.probe.syn;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The link of {@code --dry-run}: frames go to a {@link PrintingFrameSender}, nothing is opened on the
 * interface, and nothing ever answers. The kernel's neighbour table is read as in a scan (reading it
 * sends nothing), so an on-link host the kernel does not know yet gets an ARP request or neighbour
 * solicitation printed, not a SYN, as in a scan where it never answered.
 */
final class DryRunLink implements Link {
    private final String iface;
    private final PrintWriter out;

    DryRunLink(String iface, PrintWriter out) {
        this.iface = iface;
        this.out = out;
    }

    @Override
    public Wire open(OnLink onLink, long probes, int senders, List<String> info) {
        List<FrameSender> tx = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            tx.add(new PrintingFrameSender(out));
        }
        return new Wire(new Silence(), tx);
    }

    @Override
    public List<Neighbours.Entry> neighbourTable(boolean v4, boolean v6) throws IOException, InterruptedException {
        return Neighbours.table(iface, v4, v6);
    }

    /** A frame source that never has a frame. */
    private static final class Silence implements FrameSource {
        private final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public void loop(Handler handler) throws InterruptedException {
            stopped.await();
        }

        @Override
        public void stop() {
            stopped.countDown();
        }

        @Override
        public long captured() {
            return 0;
        }

        @Override
        public Stats stats() {
            return new Stats(0, 0, 0);
        }

        @Override
        public void close() {
            stop();
        }
    }
}
