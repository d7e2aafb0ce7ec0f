package org.aiscan.probe.syn;

import org.aiscan.model.Address;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.probe.ResultSink;
import org.aiscan.target.Probe;

/**
 * The receive thread's frame handler (zmap's recv.c): a SYN-ACK, RST or ICMP unreachable whose
 * cookie is ours decides its probe, found by the inverse permutation; the first answer decides,
 * later ones are duplicates. ARP replies and neighbour advertisements teach the on-link table.
 * Anything else is counted as not ours.
 */
final class SynReceiver implements FrameSource.Handler {
    private final SynRun run;
    private final SynState st;
    private final ResultSink sink;
    private final Reply reply;
    private final NeighbourReply neighbour;

    SynReceiver(SynRun run, ResultSink sink) {
        this.run = run;
        this.st = run.state();
        this.sink = sink;
        this.reply = new Reply(st.cookie);
        this.neighbour = st.onLink == null ? null : new NeighbourReply(run.setup().src4(), run.setup().src6());
    }

    @Override
    public void onFrame(byte[] frame, long capturedNanos) {
        st.frames.incrementAndGet();
        if (!reply.parse(frame, frame.length)) {
            if (neighbour != null && neighbour.parse(frame, frame.length)) {
                onNeighbour(capturedNanos);
            } else {
                st.invalid.incrementAndGet();
            }
            return;
        }
        Address a = reply.address();
        long ord = run.plan().ordinalOf(a, reply.targetPort);
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
        long sent = st.sentAt(ord);
        if (sent != SynState.NOT_SAMPLED) {
            rtt = Math.max(0, capturedNanos - sent);
            // an ICMP error often comes from a router after its neighbour lookup timed out (~3 s): it says
            // nothing about how fast hosts answer, so only SYN-ACKs and resets set the end of the scan
            if (reply.state != PortState.FILTERED) {
                st.slowest.accumulateAndGet(rtt, Math::max);
            }
        }
        run.progress().decided(reply.state);
        sink.accept(new Probe(a, reply.targetPort, ord),
                new PortResult(a, reply.targetPort, reply.state, reply.reason, rtt < 0 ? -1 : rtt / 1000, run.ticker().now()));
    }

    private void onNeighbour(long capturedNanos) {
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
            st.slowestNeighbour.accumulateAndGet(Math.max(0, capturedNanos - asked), Math::max);
        }
    }
}
