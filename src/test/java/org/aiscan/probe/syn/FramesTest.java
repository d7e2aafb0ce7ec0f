package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.aiscan.model.Address;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.TcpMaximumSegmentSizeOption;

/** The frames the engine builds, read back by pcap4j's own (independent) packet parser. */
class FramesTest {
    private static final byte[] SRC_MAC = {2, 0, 0, 0, 0, 1};
    private static final byte[] DST_MAC = {2, 0, 0, 0, 0, 2};

    @Test
    void ipv4SynIsWellFormed() throws Exception {
        Address src = Address.parse("198.18.254.1");
        Address dst = Address.parse("198.18.0.10");
        byte[] f = Frames.v4Template(SRC_MAC, src.v4Int());
        for (int i = 0; i < 2; i++) { // patching twice must leave no trace of the first probe
            Frames.patchV4(f, DST_MAC, i == 0 ? 0x01020304 : dst.v4Int(), i == 0 ? 1 : 11434, 61440 + i, 0xCAFEBABE);
        }
        EthernetPacket eth = EthernetPacket.newPacket(f, 0, Frames.V4_LEN);
        assertEquals("02:00:00:00:00:02", eth.getHeader().getDstAddr().toString());
        IpV4Packet ip = eth.get(IpV4Packet.class);
        assertTrue(ip.getHeader().hasValidChecksum(false), "IPv4 header checksum");
        assertEquals(dst.toInetAddress(), ip.getHeader().getDstAddr());
        assertEquals(64, ip.getHeader().getTtlAsInt());
        TcpPacket tcp = ip.get(TcpPacket.class);
        assertTrue(tcp.hasValidChecksum((Inet4Address) src.toInetAddress(), (Inet4Address) dst.toInetAddress(), false), "TCP checksum");
        assertTrue(tcp.getHeader().getSyn());
        assertTrue(!tcp.getHeader().getAck() && !tcp.getHeader().getRst());
        assertEquals(11434, tcp.getHeader().getDstPort().valueAsInt());
        assertEquals(61441, tcp.getHeader().getSrcPort().valueAsInt());
        assertEquals(0xCAFEBABE, tcp.getHeader().getSequenceNumber());
        assertEquals(1460, ((TcpMaximumSegmentSizeOption) tcp.getHeader().getOptions().get(0)).getMaxSegSize());
    }

    @Test
    void ipv6SynIsWellFormed() throws Exception {
        Address src = Address.parse("2001:2:0:fe::1");
        Address dst = Address.parse("2001:2::10");
        byte[] f = Frames.v6Template(SRC_MAC, src.hi(), src.lo());
        Frames.patchV6(f, DST_MAC, dst.hi(), dst.lo(), 8000, 62000, 12345);
        IpV6Packet ip = EthernetPacket.newPacket(f, 0, Frames.V6_LEN).get(IpV6Packet.class);
        assertEquals(dst.toInetAddress(), ip.getHeader().getDstAddr());
        TcpPacket tcp = ip.get(TcpPacket.class);
        assertTrue(tcp.hasValidChecksum((Inet6Address) src.toInetAddress(), (Inet6Address) dst.toInetAddress(), false), "TCP checksum");
        assertEquals(8000, tcp.getHeader().getDstPort().valueAsInt());
        assertEquals(12345, tcp.getHeader().getSequenceNumber());
    }

    @Test
    void arpRequestIsWellFormed() throws Exception {
        Address src = Address.parse("198.18.2.1");
        byte[] f = Frames.arpTemplate(SRC_MAC, src.v4Int());
        Frames.patchArp(f, Address.parse("198.18.2.9").v4Int());
        Frames.patchArp(f, Address.parse("198.18.2.77").v4Int());
        EthernetPacket eth = EthernetPacket.newPacket(f, 0, Frames.ARP_LEN);
        assertEquals("ff:ff:ff:ff:ff:ff", eth.getHeader().getDstAddr().toString());
        org.pcap4j.packet.ArpPacket arp = eth.get(org.pcap4j.packet.ArpPacket.class);
        assertEquals(org.pcap4j.packet.namednumber.ArpOperation.REQUEST, arp.getHeader().getOperation());
        assertEquals(src.toInetAddress(), arp.getHeader().getSrcProtocolAddr());
        assertEquals("02:00:00:00:00:01", arp.getHeader().getSrcHardwareAddr().toString());
        assertEquals(Address.parse("198.18.2.77").toInetAddress(), arp.getHeader().getDstProtocolAddr());
    }

    @Test
    void neighbourSolicitationIsWellFormed() throws Exception {
        Address src = Address.parse("2001:2:0:2::1");
        Address target = Address.parse("2001:2:0:2::abcd:1234");
        byte[] f = Frames.nsTemplate(SRC_MAC, src.hi(), src.lo());
        Frames.patchNs(f, 0, 7);
        Frames.patchNs(f, target.hi(), target.lo());
        EthernetPacket eth = EthernetPacket.newPacket(f, 0, Frames.NS_LEN);
        assertEquals("33:33:ff:cd:12:34", eth.getHeader().getDstAddr().toString(), "the solicited-node group's MAC");
        IpV6Packet ip = eth.get(IpV6Packet.class);
        assertEquals(Address.parse("ff02::1:ffcd:1234").toInetAddress(), ip.getHeader().getDstAddr());
        assertEquals(255, ip.getHeader().getHopLimitAsInt(), "RFC 4861: hop limit 255");
        org.pcap4j.packet.IcmpV6CommonPacket icmp = ip.get(org.pcap4j.packet.IcmpV6CommonPacket.class);
        assertTrue(icmp.hasValidChecksum((Inet6Address) src.toInetAddress(), (Inet6Address) ip.getHeader().getDstAddr(), false),
                "ICMPv6 checksum");
        org.pcap4j.packet.IcmpV6NeighborSolicitationPacket ns = ip.get(org.pcap4j.packet.IcmpV6NeighborSolicitationPacket.class);
        assertEquals(target.toInetAddress(), ns.getHeader().getTargetAddress());
        org.pcap4j.packet.IpV6NeighborDiscoverySourceLinkLayerAddressOption opt =
                (org.pcap4j.packet.IpV6NeighborDiscoverySourceLinkLayerAddressOption) ns.getHeader().getOptions().get(0);
        assertEquals("02:00:00:00:00:01", org.pcap4j.util.ByteArrays.toHexString(opt.getLinkLayerAddress(), ":"));
    }

    @Test
    void arpRepliesAndNeighbourAdvertisementsFromAnIndependentBuilderAreRead() throws Exception {
        Address me4 = Address.parse("198.18.2.1");
        Address me6 = Address.parse("2001:2:0:2::1");
        NeighbourReply r = new NeighbourReply(me4, me6);
        org.pcap4j.util.MacAddress hostMac = org.pcap4j.util.MacAddress.getByName("02:aa:bb:cc:dd:ee");
        org.pcap4j.util.MacAddress myMac = org.pcap4j.util.MacAddress.getByAddress(SRC_MAC);
        for (String to : new String[] {"198.18.2.1", "198.18.2.99"}) {
            org.pcap4j.packet.ArpPacket.Builder arp = new org.pcap4j.packet.ArpPacket.Builder()
                    .hardwareType(org.pcap4j.packet.namednumber.ArpHardwareType.ETHERNET)
                    .protocolType(org.pcap4j.packet.namednumber.EtherType.IPV4).hardwareAddrLength((byte) 6).protocolAddrLength((byte) 4)
                    .operation(org.pcap4j.packet.namednumber.ArpOperation.REPLY)
                    .srcHardwareAddr(hostMac).srcProtocolAddr((java.net.Inet4Address) Address.parse("198.18.2.7").toInetAddress())
                    .dstHardwareAddr(myMac).dstProtocolAddr((java.net.Inet4Address) Address.parse(to).toInetAddress());
            byte[] frame = new EthernetPacket.Builder().dstAddr(myMac).srcAddr(hostMac).type(org.pcap4j.packet.namednumber.EtherType.ARP)
                    .payloadBuilder(arp).paddingAtBuild(true).build().getRawData();
            boolean ours = to.equals("198.18.2.1");
            assertEquals(ours, r.parse(frame, frame.length), "an ARP reply counts only when it is addressed to our source");
            if (ours) {
                assertEquals(Address.parse("198.18.2.7"), r.address);
                assertEquals(0x02aabbccddeeL, r.mac);
            }
        }
        Address host = Address.parse("2001:2:0:2::7");
        byte[] frame = advertisement(host, me6, myMac, true);
        assertTrue(r.parse(frame, frame.length));
        assertEquals(host, r.address);
        assertEquals(0x0211_2233_4455L, r.mac, "the advertisement's target link-layer option, not the frame's sender");
        assertTrue(r.override, "a host's own address");
        byte[] anycast = advertisement(Address.parse("2001:2:0:2::"), me6, myMac, false); // a router answering for prefix::
        assertTrue(r.parse(anycast, anycast.length));
        assertEquals(Address.parse("2001:2:0:2::"), r.address);
        assertFalse(r.override, "no Override flag: anycast, answered after a deliberate random delay");
    }

    /** A neighbour advertisement from {@code host} to {@code me6}, built by pcap4j (not by our code). */
    private static byte[] advertisement(Address host, Address me6, org.pcap4j.util.MacAddress myMac, boolean override) throws Exception {
        org.pcap4j.packet.IcmpV6NeighborAdvertisementPacket.Builder na = new org.pcap4j.packet.IcmpV6NeighborAdvertisementPacket.Builder()
                .solicitedFlag(true).overrideFlag(override).routerFlag(!override).targetAddress((Inet6Address) host.toInetAddress())
                .options(java.util.List.of(new org.pcap4j.packet.IpV6NeighborDiscoveryTargetLinkLayerAddressOption.Builder()
                        .linkLayerAddress(new byte[] {2, 0x11, 0x22, 0x33, 0x44, 0x55}).correctLengthAtBuild(true).build()));
        org.pcap4j.packet.IcmpV6CommonPacket.Builder icmp = new org.pcap4j.packet.IcmpV6CommonPacket.Builder()
                .type(org.pcap4j.packet.namednumber.IcmpV6Type.NEIGHBOR_ADVERTISEMENT).code(org.pcap4j.packet.namednumber.IcmpV6Code.NO_CODE)
                .srcAddr((Inet6Address) host.toInetAddress()).dstAddr((Inet6Address) me6.toInetAddress())
                .payloadBuilder(na).correctChecksumAtBuild(true);
        org.pcap4j.packet.IpV6Packet.Builder ip = new org.pcap4j.packet.IpV6Packet.Builder()
                .version(org.pcap4j.packet.namednumber.IpVersion.IPV6)
                .trafficClass(org.pcap4j.packet.IpV6SimpleTrafficClass.newInstance((byte) 0))
                .flowLabel(org.pcap4j.packet.IpV6SimpleFlowLabel.newInstance(0))
                .nextHeader(org.pcap4j.packet.namednumber.IpNumber.ICMPV6).hopLimit((byte) 255)
                .srcAddr((Inet6Address) host.toInetAddress()).dstAddr((Inet6Address) me6.toInetAddress())
                .payloadBuilder(icmp).correctLengthAtBuild(true);
        return new EthernetPacket.Builder().dstAddr(myMac).srcAddr(org.pcap4j.util.MacAddress.getByName("02:99:99:99:99:99"))
                .type(org.pcap4j.packet.namednumber.EtherType.IPV6).payloadBuilder(ip).paddingAtBuild(true).build().getRawData();
    }
}
