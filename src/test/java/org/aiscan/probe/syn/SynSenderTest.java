package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.testing.RecordingFrameSender;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;

/** The send side (zmap's send.c) on a recording sender and a fake clock: which frames, in which order, when. */
class SynSenderTest {
    private final SynLab lab = new SynLab(f -> List.of());

    @Test
    void oneSynPerProbeInThePlansOrderToTheGatewayWithTheCookieAsSequence() throws Exception {
        ScanPlan plan = SynLab.plan("198.18.0.1-3,2001:2::10", "80,8000");
        SynRun run = lab.run(plan, SynLab.setup());
        new SynSender(run, lab.tx, plan.cursor(), 0, 0, 0).run();
        List<byte[]> frames = lab.tx.frames();
        assertEquals(8, frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Probe p = plan.probeAt(i);
            Address a = p.address();
            EthernetPacket eth = EthernetPacket.newPacket(frames.get(i), 0, frames.get(i).length);
            assertArrayEquals(SynLab.GW_MAC, eth.getHeader().getDstAddr().getAddress(), "probe " + i + " goes to the gateway");
            assertArrayEquals(SynLab.OUR_MAC, eth.getHeader().getSrcAddr().getAddress());
            TcpPacket tcp;
            if (a.isV6()) {
                IpV6Packet ip = eth.get(IpV6Packet.class);
                assertEquals(a.toInetAddress(), ip.getHeader().getDstAddr());
                assertEquals(SynLab.SRC6.toInetAddress(), ip.getHeader().getSrcAddr());
                tcp = ip.get(TcpPacket.class);
                assertTrue(tcp.hasValidChecksum((Inet6Address) SynLab.SRC6.toInetAddress(), (Inet6Address) a.toInetAddress(), false));
            } else {
                IpV4Packet ip = eth.get(IpV4Packet.class);
                assertEquals(a.toInetAddress(), ip.getHeader().getDstAddr());
                assertEquals(SynLab.SRC4.toInetAddress(), ip.getHeader().getSrcAddr());
                assertTrue(ip.getHeader().hasValidChecksum(false));
                tcp = ip.get(TcpPacket.class);
                assertTrue(tcp.hasValidChecksum((Inet4Address) SynLab.SRC4.toInetAddress(), (Inet4Address) a.toInetAddress(), false));
            }
            int sport = SynSender.SPORT_BASE + i;
            assertEquals(p.port(), tcp.getHeader().getDstPort().valueAsInt());
            assertEquals(sport, tcp.getHeader().getSrcPort().valueAsInt(), "source port from the ordinal");
            assertTrue(tcp.getHeader().getSyn() && !tcp.getHeader().getAck());
            int seq = a.isV6() ? SynLab.COOKIE.v6(a.hi(), a.lo(), p.port(), sport) : SynLab.COOKIE.v4(a.v4Int(), p.port(), sport);
            assertEquals(seq, tcp.getHeader().getSequenceNumber());
        }
        assertEquals(8, run.state().sentUnique.get());
        assertEquals(8, run.state().packets.get());
        assertEquals(8, lab.progress.sentCount());
        assertEquals(0, lab.progress.retryCount());
    }

    @Test
    void aLaterPassResendsOnlyTheUnansweredFromAnotherSourcePortAndCountsThemAsRetries() throws Exception {
        ScanPlan plan = SynLab.plan("198.18.0.1-4", "80");
        SynRun run = lab.run(plan, SynLab.setup());
        new SynSender(run, lab.tx, plan.cursor(), 0, 0, 0).run();
        run.state().testAndSet(1);
        run.state().testAndSet(3);
        new SynSender(run, lab.tx, plan.cursor(), 0, 1, 0).run();
        List<byte[]> frames = lab.tx.frames();
        assertEquals(6, frames.size());
        List<String> again = new ArrayList<>();
        for (byte[] f : frames.subList(4, 6)) {
            again.add(SynLab.destination(f) + " " + Frames.get16(f, SynLab.tcp(f)));
        }
        assertEquals(List.of(plan.probeAt(0).address() + " " + SynSender.sourcePort(0, 1),
                plan.probeAt(2).address() + " " + SynSender.sourcePort(2, 1)), again);
        assertEquals(SynSender.SPORT_BASE + 257, SynSender.sourcePort(0, 1));
        assertEquals(4, run.state().sentUnique.get());
        assertEquals(6, run.state().packets.get());
        assertEquals(2, lab.progress.retryCount());
    }

    @Test
    void pacedAtTheRateAfterABurstOfOneAndFlushedBeforeEachWait() throws Exception {
        ScanPlan plan = SynLab.plan("198.18.0.1-10", "80");
        SynRun run = lab.run(plan, SynLab.setup());
        new SynSender(run, lab.tx, plan.cursor(), 1000, 0, 0).run(); // 1,000 a second: one a millisecond
        List<RecordingFrameSender.Sent> sent = lab.tx.sent();
        assertEquals(10, sent.size());
        for (int i = 1; i < sent.size(); i++) {
            long gap = sent.get(i).nanos() - sent.get(i - 1).nanos();
            assertTrue(gap >= 1_000_000 && gap <= 1_000_010, "frame " + i + " after " + gap + " ns");
        }
        assertEquals(9_000_000, lab.ticker.parkedNanos(), 10);
        assertEquals(10, lab.tx.flushes(), "a flush before each of the 9 waits, one at the end");
    }

    @Test
    void unlimitedRateNeverWaits() throws Exception {
        ScanPlan plan = SynLab.plan("198.18.0.0/26", "80");
        SynRun run = lab.run(plan, SynLab.setup());
        new SynSender(run, lab.tx, plan.cursor(), 0, 0, 0).run();
        assertEquals(64, lab.tx.sent().size());
        assertEquals(0, lab.ticker.parkedNanos());
        assertEquals(1, lab.tx.flushes());
    }

    @Test
    void stopsWithin256ProbesOfACancellation() throws Exception {
        ScanPlan plan = SynLab.plan("198.18.0.0/24", "1-40"); // 10,240 probes
        SynRun run = lab.run(plan, SynLab.setup());
        SynLab cancelling = new SynLab(f -> {
            lab.cancel.cancel("test");
            return List.of();
        });
        new SynSender(run, cancelling.tx, plan.cursor(), 0, 0, 0).run();
        int n = cancelling.tx.sent().size();
        assertTrue(n >= 1 && n <= 256, n + " frames after the cancellation");
    }

    @Test
    void aSendThatFailsIsTheRunsFailureAndTheLaneStops() throws Exception {
        ScanPlan plan = SynLab.plan("198.18.0.1-10", "80");
        SynRun run = lab.run(plan, SynLab.setup());
        new SynSender(run, lab.tx.failingOn(3), plan.cursor(), 0, 0, 0).run();
        assertEquals(3, lab.tx.sent().size());
        assertTrue(run.stopped());
        assertTrue(run.state().failure.get().getMessage().contains("No buffer space"), run.state().failure.get().toString());
    }

    @Test
    void aDestinationOutsideTheGuardIsRefusedBeforeItsFrameLeaves() throws Exception {
        ScanPlan plan = SynLab.plan("198.20.0.1", "80,443");
        SynSupport.Setup s = SynLab.setup();
        SynSupport.Setup viaRouter = new SynSupport.Setup(s.iface(), s.srcMac(), s.src4(), s.src6(), s.routes(), s.nextHopMacs(),
                SynLab.GW_MAC, null, s.summary()); // --router-mac: every frame has a next hop
        SynRun run = lab.run(plan, viaRouter);
        new SynSender(run, lab.tx, plan.cursor(), 0, 0, 0).run();
        assertEquals(List.of(), lab.tx.frames());
        assertTrue(run.state().failure.get() instanceof SecurityException, String.valueOf(run.state().failure.get()));
        assertTrue(run.state().failure.get().getMessage().startsWith("refusing to send to 198.20.0.1"));
    }
}
