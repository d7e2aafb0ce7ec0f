package org.aiscan.model.audit;

import java.util.Objects;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * The first packet of a connection attempt (a TCP SYN, or a UDP datagram) as the firewall sees it
 * at one point of its path.
 *
 * @param src the source address (the scanner's, as the host sees it)
 * @param dst the destination address, rewritten by DNAT once that happened
 * @param proto tcp or udp
 * @param sport the source port, or 0 when unknown (a scanner's is)
 * @param dport the destination port, rewritten by DNAT
 * @param inIface the interface it arrives on
 * @param outIface the interface it leaves on when forwarded, else null
 * @param origDst the destination before DNAT
 * @param origDport the destination port before DNAT
 */
public record Packet(Address src, Address dst, String proto, int sport, int dport, @Nullable String inIface, @Nullable String outIface,
                     Address origDst, int origDport) {
    public Packet {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.requireNonNull(proto, "proto");
        if (src.isV6() != dst.isV6()) {
            throw new IllegalArgumentException("source " + src + " and destination " + dst + " differ in family");
        }
    }

    /** A new connection from {@code src} to {@code dst:dport} arriving on {@code inIface}. */
    public static Packet of(Address src, Address dst, String proto, int dport, String inIface) {
        return new Packet(src, dst, proto, 0, dport, inIface, null, dst, dport);
    }

    public int family() {
        return dst.isV6() ? 6 : 4;
    }

    public boolean dnatted() {
        return !dst.equals(origDst) || dport != origDport;
    }

    /** The packet after a DNAT to {@code to:port}. */
    public Packet dnat(Address to, int port) {
        return new Packet(src, to, proto, sport, port, inIface, outIface, origDst, origDport);
    }

    /** The packet routed out of {@code iface}. */
    public Packet forwardedTo(String iface) {
        return new Packet(src, dst, proto, sport, dport, inIface, iface, origDst, origDport);
    }
}
