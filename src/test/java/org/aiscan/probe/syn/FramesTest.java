package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
