package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HexFormat;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ScanProgress;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;

/**
 * {@code --dry-run} on the SYN engine: its own packet path with a printing sender. Each line is a
 * frame the engine built, read back from its bytes; the hex is the whole frame.
 */
class DryRunLinkTest {
    private static final EngineOptions OPTIONS = new EngineOptions(5000, 1500, 20, 2, 4096);

    private static List<String> dryRun(SynSupport.Setup setup, ScanPlan plan, long seed) throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        SynSupport.Decision d = new SynSupport.Decision(setup, null, List.of());
        EngineReport r = SynSupport.dryRunEngine(d, OPTIONS, SynLab.GUARD, out, seed)
                .run(plan, (p, res) -> { }, new ScanProgress(plan.probes()), new Cancellation());
        assertTrue(r.complete());
        out.flush();
        return text.toString().lines().toList();
    }

    @Test
    void everySynOnceInThePlansOrderWithTheFrameThatWouldLeave() throws Exception {
        ScanPlan plan = SynLab.plan("198.18.0.1-5,2001:2::10", "80,11434");
        List<String> lines = dryRun(SynLab.setup(), plan, 42);
        assertEquals(plan.probes(), lines.size(), "each probe once: no retries in a dry run");
        for (int i = 0; i < lines.size(); i++) {
            Probe p = plan.probeAt(i);
            String[] f = lines.get(i).split(" ");
            assertEquals(p.address() + " " + p.port() + " syn", f[0] + " " + f[1] + " " + f[2], lines.get(i));
            String src = (p.address().isV6() ? SynLab.SRC6.endpoint(SynSender.sourcePort(i, 0)) : SynLab.SRC4.endpoint(SynSender.sourcePort(i, 0)));
            assertEquals("src=" + src, f[3]);
            assertEquals("dst-mac=02:a1:5c:00:fe:02", f[5]);
            byte[] frame = HexFormat.of().parseHex(f[6].substring("frame=".length()));
            EthernetPacket eth = EthernetPacket.newPacket(frame, 0, frame.length);
            TcpPacket tcp = p.address().isV6() ? eth.get(IpV6Packet.class).get(TcpPacket.class) : eth.get(IpV4Packet.class).get(TcpPacket.class);
            assertEquals(p.address().toInetAddress(), p.address().isV6() ? eth.get(IpV6Packet.class).getHeader().getDstAddr()
                    : eth.get(IpV4Packet.class).getHeader().getDstAddr());
            assertEquals(p.port(), tcp.getHeader().getDstPort().valueAsInt());
            assertTrue(tcp.getHeader().getSyn());
            assertEquals(String.format("seq=0x%08x", tcp.getHeader().getSequenceNumber()), f[4]);
        }
    }

    @Test
    void aSeedGivesTheSameFramesAnotherSeedOtherSequenceNumbers() throws Exception {
        ScanPlan plan = SynLab.plan("198.18.0.1-3", "80");
        List<String> a = dryRun(SynLab.setup(), plan, 42);
        assertEquals(a, dryRun(SynLab.setup(), plan, 42));
        List<String> b = dryRun(SynLab.setup(), plan, 43);
        assertNotEquals(a, b);
        assertEquals(a.stream().map(l -> l.substring(0, l.indexOf(" seq="))).toList(),
                b.stream().map(l -> l.substring(0, l.indexOf(" seq="))).toList(), "only the cookie differs");
    }

    @Test
    void anOnLinkHostTheKernelDoesNotKnowGetsANeighbourRequestAndNoSyn() throws Exception {
        String hosts = "198.18.254.200";
        List<String> lines = dryRun(SynLab.setup(hosts), SynLab.plan(hosts, "80"), 42);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("198.18.254.200 - arp-request src=198.18.254.1 dst-mac=ff:ff:ff:ff:ff:ff frame=ffffffffffff020000000001"),
                lines.get(0));
    }

    @Test
    void describeReadsNeighbourSolicitationsAndSaysWhatItCannotRead() {
        Address me = SynLab.SRC6;
        Address target = Address.parse("2001:2:0:fe::7");
        byte[] ns = Frames.nsTemplate(SynLab.OUR_MAC, me.hi(), me.lo());
        Frames.patchNs(ns, target.hi(), target.lo());
        assertEquals("2001:2:0:fe::7 - nd-solicit src=2001:2:0:fe::1 dst-mac=33:33:ff:00:00:07", PrintingFrameSender.describe(ns, Frames.NS_LEN));
        byte[] odd = new byte[60];
        odd[12] = (byte) 0x88;
        odd[13] = (byte) 0xe5;
        assertEquals("? - ethertype=0x88e5 dst-mac=00:00:00:00:00:00", PrintingFrameSender.describe(odd, odd.length));
    }
}
