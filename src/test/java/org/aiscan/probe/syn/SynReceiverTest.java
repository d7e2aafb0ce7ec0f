package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.target.ScanPlan;
import org.aiscan.testing.FakeTicker;
import org.junit.jupiter.api.Test;

/** The receive side (zmap's recv.c): answers to the engine's own SYNs, built from its frames, in and verdicts out. */
class SynReceiverTest {
    private final SynLab lab = new SynLab(f -> List.of());
    private final List<PortResult> results = new ArrayList<>();

    /** The run's SYNs, sent through a real sender so the answers carry the run's cookie. */
    private List<byte[]> sendAll(SynRun run) {
        new SynSender(run, lab.tx, run.plan().cursor(), 0, 0, 0).run();
        return lab.tx.frames();
    }

    @Test
    void synAckIsOpenRstIsClosedIcmpIsFilteredEachWithTheProbesOrdinal() {
        ScanPlan plan = SynLab.plan("198.18.0.1-3", "80");
        SynRun run = lab.run(plan, SynLab.setup());
        List<byte[]> syns = sendAll(run);
        SynReceiver rx = new SynReceiver(run, (p, r) -> {
            assertEquals(plan.ordinalOf(r.address(), r.port()), p.ordinal());
            results.add(r);
        });
        long t = lab.ticker.nanoTime();
        rx.onFrame(SynLab.answer(syns.get(0), 0x12), t);
        rx.onFrame(SynLab.answer(syns.get(1), 0x14), t);
        rx.onFrame(SynLab.unreachable(syns.get(2), 13), t);
        assertEquals(List.of(plan.probeAt(0).address() + " OPEN syn-ack", plan.probeAt(1).address() + " CLOSED reset",
                plan.probeAt(2).address() + " FILTERED admin-prohibited"),
                results.stream().map(r -> r.address() + " " + r.state() + " " + r.reason()).toList());
        assertEquals(3, run.state().answered.get());
        assertEquals(1, lab.progress.openCount());
        assertEquals(1, lab.progress.closedCount());
        assertEquals(1, lab.progress.filteredCount());
        assertEquals(FakeTicker.START.plusNanos(lab.ticker.elapsed()), results.get(0).time(), "dated by the engine's clock");
    }

    @Test
    void roundTripsComeFromCaptureTimesAndOnlySynAcksAndResetsSetTheSlowest() {
        ScanPlan plan = SynLab.plan("198.18.0.0/28", "80"); // ordinals 0 and 8 are sampled
        SynRun run = lab.run(plan, SynLab.setup());
        List<byte[]> syns = sendAll(run);
        SynReceiver rx = new SynReceiver(run, (p, r) -> results.add(r));
        long sent = lab.tx.sent().get(0).nanos();
        rx.onFrame(SynLab.answer(syns.get(0), 0x12), sent + 700_000);
        rx.onFrame(SynLab.unreachable(syns.get(8), 1), sent + 3_000_000_000L);
        rx.onFrame(SynLab.answer(syns.get(1), 0x12), sent + 900_000); // not sampled: no round trip
        assertEquals(700, results.get(0).rttMicros());
        assertEquals(3_000_000, results.get(1).rttMicros());
        assertEquals(-1, results.get(2).rttMicros());
        assertEquals(700_000, run.state().slowest.get(), "a router's late ICMP error does not stretch the wait");
    }

    @Test
    void foreignFramesAndDuplicatesDecideNothing() {
        ScanPlan plan = SynLab.plan("198.18.0.1-2", "80");
        SynRun run = lab.run(plan, SynLab.setup());
        List<byte[]> syns = sendAll(run);
        SynReceiver rx = new SynReceiver(run, (p, r) -> results.add(r));
        byte[] ours = SynLab.answer(syns.get(0), 0x12);
        byte[] wrongAck = ours.clone();
        Frames.put32(wrongAck, SynLab.tcp(wrongAck) + 8, Frames.get32(wrongAck, SynLab.tcp(wrongAck) + 8) + 1);
        byte[] otherRun = SynLab.answer(syns.get(1), 0x12);
        Frames.put32(otherRun, SynLab.tcp(otherRun) + 8, 0x12345678);
        byte[] notInPlan = syns.get(0).clone(); // a valid cookie for 198.18.0.99, which the plan does not hold
        Address stranger = Address.parse("198.18.0.99");
        int sport = Frames.get16(notInPlan, SynLab.tcp(notInPlan));
        Frames.patchV4(notInPlan, SynLab.GW_MAC, stranger.v4Int(), 80, sport, SynLab.COOKIE.v4(stranger.v4Int(), 80, sport));
        long t = lab.ticker.nanoTime();
        rx.onFrame(wrongAck, t);
        rx.onFrame(otherRun, t);
        rx.onFrame(SynLab.answer(notInPlan, 0x12), t);
        rx.onFrame(new byte[20], t);
        rx.onFrame(SynLab.answer(syns.get(0), 0x10), t); // a bare ACK
        assertEquals(List.of(), results);
        assertEquals(5, run.state().invalid.get());
        rx.onFrame(ours, t);
        rx.onFrame(ours, t);
        rx.onFrame(SynLab.answer(syns.get(0), 0x14), t); // a later RST for the same probe
        assertEquals(1, results.size(), "the first answer decides");
        assertEquals(PortState.OPEN, results.get(0).state());
        assertEquals(2, run.state().duplicates.get());
        assertEquals(8, run.state().frames.get());
        assertEquals(1, run.state().answered.get());
    }
}
