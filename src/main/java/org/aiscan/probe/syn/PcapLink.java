package org.aiscan.probe.syn;

import java.io.IOException;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.trace.Trace;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The interface as a scan opens it: one capture handle (BPF filter: our addresses and source
 * ports; snaplen 128; a ring of up to 32 MiB) and one frame sender per send thread, batched
 * AF_PACKET sockets where available, else libpcap.
 */
final class PcapLink implements Link {
    private final SynSupport.Setup setup;
    private final SendOptions sending;

    PcapLink(SynSupport.Setup setup, SendOptions sending) {
        this.setup = setup;
        this.sending = sending;
    }

    /**
     * The capture ring: 32 MiB (about 130,000 reply slots at snaplen 128) for large scans, less for
     * small ones, which never see more replies than probes; allocating the ring is most of a
     * handle's set-up time.
     */
    static int ringBytes(long probes) {
        long want = Math.max(256L << 10, probes * 2 * 256);
        return (int) Math.min(32L << 20, want);
    }

    /**
     * The capture filter: TCP answers to our source ports and ICMP unreachables, for our addresses;
     * with on-link targets also ARP replies and neighbour advertisements (ICMPv6 type 136).
     */
    static String filter(SynSupport.Setup setup, OnLink onLink) {
        List<String> parts = new ArrayList<>();
        String ports = "dst portrange " + SynSender.SPORT_BASE + "-" + (SynSender.SPORT_BASE + SynSender.SPORT_COUNT - 1);
        boolean arp = onLink != null && onLink.hasV4();
        boolean nd = onLink != null && onLink.hasV6();
        if (setup.src4() != null) {
            parts.add("(dst host " + setup.src4() + " and ((tcp and " + ports + ") or (icmp and icmp[0] == 3)))");
        }
        if (setup.src6() != null) {
            parts.add("(dst host " + setup.src6() + " and ((tcp and " + ports + ") or (icmp6 and (ip6[40] == 1"
                    + (nd ? " or ip6[40] == 136" : "") + "))))");
        }
        if (arp && setup.src4() != null) {
            // replies to us only: our own kernel's replies to hosts that ask for us match "arp[6:2] == 2" too, and
            // libpcap counts those outgoing frames before it drops them for the capture direction, so the
            // drain below waited its full second for frames that never come (seen on W6 in 1 run of 10)
            parts.add("(arp and arp[6:2] == 2 and dst host " + setup.src4() + ")");
        }
        return String.join(" or ", parts);
    }

    @Override
    public Wire open(OnLink onLink, long probes, int senders, List<String> info) throws Exception {
        PcapHandle rx = new PcapHandle.Builder(setup.iface())
                .snaplen(128)
                .bufferSize(ringBytes(probes + (onLink == null ? 0 : onLink.size())))
                .immediateMode(true)
                .timeoutMillis(50)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .direction(PcapHandle.PcapDirection.IN)
                .build();
        Trace.mark("SYN capture handle built");
        try {
            if (!DataLinkType.EN10MB.equals(rx.getDlt())) {
                throw new IllegalStateException("interface " + setup.iface() + " is not Ethernet (" + rx.getDlt() + ")");
            }
            rx.setFilter(filter(setup, onLink), BpfProgram.BpfCompileMode.OPTIMIZE);
            Trace.mark("SYN filter set");
            List<FrameSender> tx = openSenders(rx, senders, info);
            Trace.mark("SYN senders open");
            return new Wire(new PcapSource(rx), tx);
        } catch (Exception | Error e) {
            rx.close();
            throw e;
        }
    }

    /**
     * One sender per thread: batched AF_PACKET sockets where available, else libpcap (the first
     * sender then shares the receive handle; pcap_sendpacket is a plain send() on its socket).
     */
    private List<FrameSender> openSenders(PcapHandle rx, int threads, List<String> info) throws Exception {
        List<FrameSender> out = new ArrayList<>();
        String why = null;
        if (!sending.pcapOnly()) {
            try {
                int ifindex = NetworkInterface.getByName(setup.iface()).getIndex();
                for (int i = 0; i < threads; i++) {
                    out.add(AfPacketSender.open(ifindex, sending.qdiscBypass()));
                }
                info.add("sending with sendmmsg on AF_PACKET, " + AfPacketSender.BATCH + " frames per call, " + threads + " thread(s)");
                return out;
            } catch (Exception | LinkageError e) {
                out.forEach(FrameSender::close);
                out.clear();
                why = e.getMessage();
            }
        }
        out.add(new PcapSender(rx, false));
        try {
            for (int i = 1; i < threads; i++) {
                PcapHandle h = new PcapHandle.Builder(setup.iface()).snaplen(64).bufferSize(1 << 16).timeoutMillis(10).build();
                out.add(new PcapSender(h, true));
                // libpcap rejects an always-false filter; this ethertype (IEEE 802.1AE MACsec) does not occur here.
                h.setFilter("ether proto 0x88e5", BpfProgram.BpfCompileMode.OPTIMIZE);
            }
        } catch (Exception e) {
            out.forEach(FrameSender::close);
            throw e;
        }
        info.add("sending with pcap_sendpacket, " + threads + " thread(s)" + (why == null ? "" : " (batched sending unavailable: " + why + ")"));
        return out;
    }

    @Override
    public List<Neighbours.Entry> neighbourTable(boolean v4, boolean v6) throws IOException, InterruptedException {
        return Neighbours.table(setup.iface(), v4, v6);
    }
}
