package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.target.ScanPlan;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV6NeighborSolicitationPacket;
import org.pcap4j.packet.IpV6Packet;

/** The neighbour lookup for on-link targets: what it asks, whom it stops asking, and what the answers teach. */
class NeighbourLookupTest {
    private static final byte[] HOST_MAC = {2, 0x11, 0x22, 0x33, 0x44, 0x55};
    private static final String ON_LINK = "198.18.254.10-12,2001:2:0:fe::10";

    private final SynLab lab = new SynLab(f -> List.of());
    private final ScanPlan plan = SynLab.plan(ON_LINK, "80");

    @Test
    void asksEveryHostTheKernelDoesNotKnowThenOnlyThoseStillSilent() throws Exception {
        lab.kernelTable.add(new Neighbours.Entry(Address.parse("198.18.254.12"), Frames.getMac(HOST_MAC, 0)));
        SynRun run = lab.run(plan, SynLab.setup(ON_LINK));
        OnLink on = run.state().onLink;
        List<String> info = new ArrayList<>();
        NeighbourLookup hood = new NeighbourLookup(run, lab.link(), lab.tx, 0, info);
        assertEquals(1, on.fromKernel());
        hood.ask();
        List<byte[]> asked = lab.tx.frames();
        assertEquals(3, asked.size(), "198.18.254.10, .11 and 2001:2:0:fe::10; .12 is in the kernel's table");
        ArpPacket arp = EthernetPacket.newPacket(asked.get(0), 0, asked.get(0).length).get(ArpPacket.class);
        assertEquals("ff:ff:ff:ff:ff:ff", EthernetPacket.newPacket(asked.get(0), 0, asked.get(0).length).getHeader().getDstAddr().toString());
        assertEquals(Address.parse("198.18.254.10").toInetAddress(), arp.getHeader().getDstProtocolAddr());
        assertEquals(SynLab.SRC4.toInetAddress(), arp.getHeader().getSrcProtocolAddr());
        EthernetPacket ns = EthernetPacket.newPacket(asked.get(2), 0, asked.get(2).length);
        assertEquals("33:33:ff:00:00:10", ns.getHeader().getDstAddr().toString(), "the target's solicited-node group");
        IcmpV6NeighborSolicitationPacket sol = ns.get(IpV6Packet.class).get(IcmpV6NeighborSolicitationPacket.class);
        assertEquals(Address.parse("2001:2:0:fe::10").toInetAddress(), sol.getHeader().getTargetAddress());

        SynReceiver rx = new SynReceiver(run, (p, r) -> { });
        long askedAt = on.askedAt(on.index(Address.parse("198.18.254.10")));
        rx.onFrame(SynLab.arpReply(asked.get(0), HOST_MAC), askedAt + 400_000);
        rx.onFrame(SynLab.arpReply(asked.get(0), HOST_MAC), askedAt + 500_000);
        rx.onFrame(SynLab.advertisement(asked.get(2), HOST_MAC), on.askedAt(on.index(Address.parse("2001:2:0:fe::10"))) + 100_000);
        byte[] stranger = SynLab.arpReply(asked.get(0), HOST_MAC);
        Frames.put32(stranger, 28, Address.parse("198.18.254.99").v4Int()); // a host we did not ask about
        rx.onFrame(stranger, askedAt);
        assertEquals(Frames.getMac(HOST_MAC, 0), on.mac(on.index(Address.parse("198.18.254.10"))));
        assertEquals(Frames.getMac(HOST_MAC, 0), on.mac(on.index(Address.parse("2001:2:0:fe::10"))));
        assertEquals(-1, on.mac(on.index(Address.parse("198.18.254.11"))));
        assertEquals(400_000, run.state().slowestNeighbour.get());
        assertEquals(1, run.state().duplicates.get());
        assertEquals(1, run.state().invalid.get());

        hood.ask();
        List<byte[]> again = lab.tx.frames().subList(3, lab.tx.frames().size());
        assertEquals(1, again.size(), "only .11 is still unknown");
        assertEquals(Address.parse("198.18.254.11"), SynLab.destination(again.get(0)));
        assertTrue(hood.summary().startsWith("neighbour lookup on lab0: 3 of 4 on-link addresses answer (1 from the kernel's table), "
                + "4 requests sent, slowest answer 0.4 ms"), hood.summary());
    }

    @Test
    void anUnreadableKernelTableIsSaidAndEveryHostIsAsked() throws Exception {
        SynRun run = lab.run(plan, SynLab.setup(ON_LINK));
        List<String> info = new ArrayList<>();
        Link broken = new Link() {
            @Override
            public Wire open(OnLink onLink, long probes, int senders, List<String> i) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Neighbours.Entry> neighbourTable(boolean v4, boolean v6) throws IOException {
                throw new IOException("ip: not found");
            }
        };
        new NeighbourLookup(run, broken, lab.tx, 0, info).ask();
        assertEquals(4, lab.tx.frames().size());
        assertEquals(List.of("the kernel's neighbour table could not be read (ip: not found); every on-link host is asked"), info);
    }
}
