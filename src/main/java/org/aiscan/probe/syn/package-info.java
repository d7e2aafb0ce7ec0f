/**
 * The stateless SYN engine on libpcap (pcap4j 1.8.2, raw {@code byte[]} frames only), one role per
 * class as in zmap: {@link org.aiscan.probe.syn.SynEngine} runs the passes and waits; each send
 * thread ({@link org.aiscan.probe.syn.SynSender}) patches one prebuilt Ethernet/IP/TCP frame per
 * probe and paces it with a token bucket; the receive thread ({@link org.aiscan.probe.syn.SynReceiver})
 * validates each SYN-ACK, RST or ICMP unreachable by a keyed SipHash cookie carried in the SYN's
 * sequence number, so no table of outstanding probes exists; on-link targets first get a neighbour
 * lookup ({@link org.aiscan.probe.syn.NeighbourLookup}). Frames leave through a
 * {@link org.aiscan.probe.syn.FrameSender} and come back from a {@link org.aiscan.probe.syn.FrameSource}
 * on a {@link org.aiscan.probe.syn.Ticker} clock: libpcap and AF_PACKET in a scan, a printing sender
 * for {@code --dry-run}, doubles in tests. This is the only package that imports pcap4j.
 */
@NullMarked
package org.aiscan.probe.syn;

import org.jspecify.annotations.NullMarked;
