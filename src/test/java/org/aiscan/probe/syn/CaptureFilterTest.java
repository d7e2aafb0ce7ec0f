package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Address;
import org.aiscan.target.AddressRange;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.namednumber.ArpHardwareType;
import org.pcap4j.packet.namednumber.ArpOperation;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.pcap4j.packet.namednumber.EtherType;
import org.pcap4j.util.MacAddress;

/** The capture filter, compiled by the real libpcap and run over frames pcap4j builds. */
class CaptureFilterTest {
    private static final Address ME = Address.parse("198.18.2.1");
    private static final MacAddress MY_MAC = MacAddress.getByName("02:00:00:00:00:01");
    private static final MacAddress HOST_MAC = MacAddress.getByName("02:aa:bb:cc:dd:ee");

    private static BpfProgram filter() throws Exception {
        SynSupport.Setup setup = new SynSupport.Setup("eth0", MY_MAC.getAddress(), ME, Address.parse("2001:2:0:2::1"),
                RouteTable.parse("", ""), Map.of(), null, List.of(new AddressRange(Address.parse("198.18.2.2"), Address.parse("198.18.2.254"), "198.18.2.0/24")), "test");
        String expr = PcapLink.filter(setup, new OnLink(setup.onLink()));
        return Pcaps.compileFilter(128, DataLinkType.EN10MB, expr, BpfProgram.BpfCompileMode.OPTIMIZE,
                (Inet4Address) Address.parse("255.255.255.255").toInetAddress());
    }

    private static byte[] arpReply(MacAddress from, String fromIp, MacAddress to, String toIp) throws Exception {
        ArpPacket.Builder arp = new ArpPacket.Builder().hardwareType(ArpHardwareType.ETHERNET).protocolType(EtherType.IPV4)
                .hardwareAddrLength((byte) 6).protocolAddrLength((byte) 4).operation(ArpOperation.REPLY)
                .srcHardwareAddr(from).srcProtocolAddr((Inet4Address) Address.parse(fromIp).toInetAddress())
                .dstHardwareAddr(to).dstProtocolAddr((Inet4Address) Address.parse(toIp).toInetAddress());
        return new EthernetPacket.Builder().dstAddr(to).srcAddr(from).type(EtherType.ARP).payloadBuilder(arp).paddingAtBuild(true)
                .build().getRawData();
    }

    /**
     * A host's ARP reply to us is captured; our own kernel's reply to a host that asked for us is not:
     * libpcap counts such an outgoing frame before dropping it for the capture direction, and the
     * engine waits for the receive thread to have read everything counted.
     */
    @Test
    void arpRepliesAddressedToUsOnly() throws Exception {
        BpfProgram f = filter();
        try {
            assertEquals(true, f.applyFilter(arpReply(HOST_MAC, "198.18.2.7", MY_MAC, "198.18.2.1")), "a host answering us");
            assertEquals(false, f.applyFilter(arpReply(MY_MAC, "198.18.2.1", HOST_MAC, "198.18.2.7")), "our kernel answering a host");
        } finally {
            f.free();
        }
    }
}
