/**
 * The stateless SYN engine on libpcap (pcap4j 1.8.2, raw {@code byte[]} frames only): a sender patches
 * one prebuilt Ethernet/IP/TCP frame per probe and paces it with a token bucket; a receiver on its
 * own handle (kernel BPF filter, small snaplen, large ring) validates each SYN-ACK, RST or ICMP
 * unreachable by a keyed SipHash cookie carried in the SYN's sequence number, so no table of
 * outstanding probes exists. This is the only package that imports pcap4j.
 */
@NullMarked
package org.aiscan.probe.syn;

import org.jspecify.annotations.NullMarked;
