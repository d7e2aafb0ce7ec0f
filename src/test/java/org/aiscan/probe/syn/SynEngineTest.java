package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.aiscan.model.Address;
import org.aiscan.model.PortState;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ScanProgress;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.junit.jupiter.api.Test;

/**
 * The whole SYN engine without root: its passes, waits, retries, end and report, on a recording
 * sender and a capture whose answers come from a script (a target per rule), on a fake clock.
 */
class SynEngineTest {
    private static final byte[] HOST_MAC = {2, 0x11, 0x22, 0x33, 0x44, 0x55};

    /** 198.18.0.4 is dark; elsewhere port 80 is open and every other port closed. */
    private static List<byte[]> lab(byte[] f) {
        if (!SynLab.isSyn(f) || SynLab.destination(f).equals(Address.parse("198.18.0.4"))) {
            return List.of();
        }
        return List.of(SynLab.answer(f, SynLab.targetPort(f) == 80 ? 0x12 : 0x14));
    }

    private static long sentTo(SynLab lab, String address) {
        return lab.tx.frames().stream().filter(f -> SynLab.destination(f).equals(Address.parse(address))).count();
    }

    @Test
    void answersDecideAndWhatStaysSilentIsRetriedThenFiltered() throws Exception {
        SynLab lab = new SynLab(SynEngineTest::lab);
        EngineReport r = lab.scan(SynLab.setup(), SynLab.plan("198.18.0.1-4", "80,8000"), 0, 2);
        assertEquals(List.of("198.18.0.1:80 open syn-ack", "198.18.0.1:8000 closed reset", "198.18.0.2:80 open syn-ack",
                "198.18.0.2:8000 closed reset", "198.18.0.3:80 open syn-ack", "198.18.0.3:8000 closed reset",
                "198.18.0.4:80 filtered no-response", "198.18.0.4:8000 filtered no-response"), lab.verdicts());
        assertTrue(r.complete());
        assertEquals(6, sentTo(lab, "198.18.0.4"), "two probes, each sent once and retried twice");
        assertEquals(6, sentTo(lab, "198.18.0.1") + sentTo(lab, "198.18.0.2") + sentTo(lab, "198.18.0.3"), "answered probes once");
        assertTrue(r.info().contains("SYN on lab0 (test); 12 packets sent (4 retransmissions), 6 answers, slowest round trip 0.3 ms"),
                r.info().toString());
        assertTrue(r.info().contains("capture: 6 frames received, 0 dropped by libpcap, 0 by the interface; 0 not ours, 0 duplicates"),
                r.info().toString());
        assertEquals(List.of(), r.warnings());
        assertEquals(8, lab.progress.doneCount());
        assertTrue(lab.rx.closed() || waitClosed(lab), "the capture is closed at the end");
    }

    private static boolean waitClosed(SynLab lab) throws InterruptedException {
        for (int i = 0; i < 200 && !lab.rx.closed(); i++) {
            Thread.sleep(10);
        }
        return lab.rx.closed() && lab.tx.closed();
    }

    @Test
    void aFullCaptureRingLosesAnswersTheNextPassesRecoverAndTheRunSaysSo() throws Exception {
        SynLab lab = new SynLab(f -> List.of(SynLab.answer(f, 0x12)), 5); // every port open
        EngineReport r = lab.scan(SynLab.setup(), SynLab.plan("198.18.0.0/28", "80"), 0, 3);
        assertEquals(16, lab.verdicts().stream().filter(v -> v.endsWith("open syn-ack")).count(), lab.verdicts().toString());
        assertEquals(16 + 11 + 6 + 1, lab.tx.frames().size(), "each pass resends what the full ring lost");
        assertTrue(r.warnings().contains("capture: 34 frames received, 18 dropped by libpcap, 0 by the interface; 0 not ours, 0 duplicates"
                + " — answers may have been lost; lower --rate"), r.warnings().toString());
        assertTrue(r.complete());
    }

    @Test
    void aCancelledRunStopsSendingIsIncompleteAndReportsNothingItDidNotHear() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        SynLab[] lab = new SynLab[1];
        lab[0] = new SynLab(f -> {
            if (sent.incrementAndGet() == 100) {
                lab[0].cancel.cancel("stopped by the test");
            }
            return lab(f);
        });
        ScanPlan plan = SynLab.plan("198.18.0.0/24", "80,8000,9090,11434"); // 1,024 probes
        EngineReport r = lab[0].scan(SynLab.setup(), plan, 0, 2);
        assertFalse(r.complete());
        int frames = lab[0].tx.frames().size();
        assertTrue(frames >= 100 && frames < 100 + 256, frames + " frames");
        assertTrue(lab[0].verdicts().stream().noneMatch(v -> v.contains("filtered")), "silence is not reported after a cancellation");
        assertTrue(lab[0].results.size() <= frames);
    }

    @Test
    void aSliceOfAResumedScanProbesOnlyItsOwnProbesAndMapsAnswersToThem() throws Exception {
        SynLab lab = new SynLab(SynEngineTest::lab);
        ScanPlan whole = SynLab.plan("198.18.0.1-3", "80,8000,9090,11434,22,443,8080,5000"); // 24 probes
        ScanPlan slice = whole.slice(8, 16);
        List<Probe> decided = new ArrayList<>();
        EngineReport r = lab.engine(SynLab.setup(), 0, 1).run(slice, (p, res) -> {
            synchronized (decided) {
                decided.add(p);
            }
        }, new ScanProgress(slice.probes()), lab.cancel);
        assertTrue(r.complete());
        List<String> expected = new ArrayList<>();
        for (long i = 8; i < 16; i++) {
            expected.add(whole.probeAt(i).address().endpoint(whole.probeAt(i).port()));
        }
        List<String> sent = lab.tx.frames().stream().map(f -> SynLab.destination(f).endpoint(SynLab.targetPort(f))).toList();
        assertEquals(expected, sent, "the slice's probes, in the plan's order, once each");
        assertEquals(expected.stream().sorted().toList(), decided.stream().map(p -> p.address().endpoint(p.port())).sorted().toList());
        assertTrue(decided.stream().allMatch(p -> p.ordinal() >= 0 && p.ordinal() < 8), "ordinals of the slice");
    }

    @Test
    void onLinkHostsGetSynsToTheirOwnMacOnlyOnceTheyAnswerTheLookup() throws Exception {
        String hosts = "198.18.254.10-12";
        SynLab lab = new SynLab(f -> {
            if (Frames.get16(f, 12) == 0x0806) {
                return SynLab.destination(f).equals(Address.parse("198.18.254.10")) ? List.of(SynLab.arpReply(f, HOST_MAC)) : List.of();
            }
            return lab(f);
        });
        lab.kernelTable.add(new Neighbours.Entry(Address.parse("198.18.254.12"), Frames.getMac(SynLab.GW_MAC, 0)));
        EngineReport r = lab.scan(SynLab.setup(hosts), SynLab.plan(hosts, "80"), 0, 1);
        assertEquals(List.of("198.18.254.10:80 open syn-ack", "198.18.254.11:80 filtered no-arp-reply", "198.18.254.12:80 open syn-ack"),
                lab.verdicts());
        List<byte[]> syns = lab.tx.frames().stream().filter(SynLab::isSyn).toList();
        assertEquals(0, syns.stream().filter(f -> SynLab.destination(f).equals(Address.parse("198.18.254.11"))).count(), "no SYN without a MAC");
        for (byte[] f : syns) {
            byte[] mac = Arrays.copyOf(f, 6);
            assertArrayEquals(SynLab.destination(f).equals(Address.parse("198.18.254.10")) ? HOST_MAC : SynLab.GW_MAC, mac);
        }
        assertEquals(4, lab.tx.frames().stream().filter(f -> Frames.get16(f, 12) == 0x0806).count(),
                "ARP requests to .10 and .11, twice (once per attempt); none to .12, which the kernel knew");
        assertTrue(r.info().stream().anyMatch(l -> l.startsWith("neighbour lookup on lab0: 2 of 3 on-link addresses answer (1 from the kernel's table)")),
                r.info().toString());
    }

    @Test
    void aHostLearntWhileSynsGoOutGetsALateRound() throws Exception {
        String hosts = "198.18.254.10";
        SynLab lab = new SynLab(f -> Frames.get16(f, 12) == 0x0806 ? List.of(SynLab.arpReply(f, HOST_MAC)) : lab(f));
        EngineReport r = lab.scan(SynLab.setup(hosts), SynLab.plan(hosts, "80"), 0, 0);
        assertEquals(List.of("198.18.254.10:80 open syn-ack"), lab.verdicts());
        assertTrue(r.info().contains("a late round for on-link hosts that answered the neighbour lookup while SYNs were going out (round 1)"),
                r.info().toString());
    }

    @Test
    void aSendThatKeepsFailingEndsTheRunWithItsError() {
        SynLab lab = new SynLab(SynEngineTest::lab);
        lab.tx.failingOn(2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lab.scan(SynLab.setup(), SynLab.plan("198.18.0.1-4", "80"), 0, 1));
        assertEquals("send failed: No buffer space available", e.getMessage());
        assertTrue(lab.verdicts().stream().noneMatch(v -> v.contains(PortState.FILTERED.name().toLowerCase())));
    }
}
