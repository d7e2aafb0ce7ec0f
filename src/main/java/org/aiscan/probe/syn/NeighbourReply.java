package org.aiscan.probe.syn;

import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * Parses one captured frame as an answer to our neighbour discovery: an ARP reply addressed to our
 * IPv4 source, or an ICMPv6 neighbour advertisement (RFC 4861 §4.4) addressed to our IPv6 source.
 * A mutable holder reused by the receive thread: {@link #parse} fills it and returns whether the
 * frame was one.
 */
final class NeighbourReply {
    @Nullable Address address;
    long mac;
    /**
     * False for an advertisement without the Override flag: an anycast address (the subnet-router
     * anycast {@code prefix::} answered by every router) or a proxy, which RFC 4861 §7.2.7 has answer
     * after a random delay of up to a second. Such a delay says nothing about the link.
     */
    boolean override;

    private final int src4;
    private final boolean hasSrc4;
    private final long src6Hi;
    private final long src6Lo;
    private final boolean hasSrc6;

    NeighbourReply(@Nullable Address src4, @Nullable Address src6) {
        this.hasSrc4 = src4 != null;
        this.src4 = hasSrc4 ? src4.v4Int() : 0;
        this.hasSrc6 = src6 != null;
        this.src6Hi = hasSrc6 ? src6.hi() : 0;
        this.src6Lo = hasSrc6 ? src6.lo() : 0;
    }

    boolean parse(byte[] f, int len) {
        if (len < Frames.ETH + 28) {
            return false;
        }
        int off = 12;
        int type = Frames.get16(f, off);
        if (type == 0x8100 || type == 0x88A8) {
            off += 4;
            type = Frames.get16(f, off);
        }
        int p = off + 2;
        if (type == 0x0806) {
            return hasSrc4 && len >= p + 28 && Frames.get16(f, p) == 1 && Frames.get16(f, p + 2) == 0x0800
                    && (f[p + 4] & 0xFF) == 6 && (f[p + 5] & 0xFF) == 4 && Frames.get16(f, p + 6) == 2
                    && Frames.get32(f, p + 24) == src4 && arp(f, p);
        }
        if (type == 0x86DD && hasSrc6 && len >= p + 40 + 24 && (f[p + 6] & 0xFF) == 58 && (f[p + 40] & 0xFF) == 136
                && Frames.get64(f, p + 24) == src6Hi && Frames.get64(f, p + 32) == src6Lo) {
            int t = p + 40;
            override = (f[t + 4] & 0x20) != 0;
            address = Address.v6(Frames.get64(f, t + 8), Frames.get64(f, t + 16));
            mac = Frames.getMac(f, 6); // the sender's MAC, unless the advertisement names one
            int o = t + 24;
            while (o + 8 <= len) {
                int optLen = (f[o + 1] & 0xFF) * 8;
                if (optLen == 0) {
                    break;
                }
                if ((f[o] & 0xFF) == 2 && optLen >= 8) { // target link-layer address
                    mac = Frames.getMac(f, o + 2);
                    break;
                }
                o += optLen;
            }
            return mac != 0;
        }
        return false;
    }

    private boolean arp(byte[] f, int p) {
        override = true;
        mac = Frames.getMac(f, p + 8);
        address = Address.v4(Frames.get32(f, p + 14) & 0xFFFF_FFFFL);
        return mac != 0;
    }
}
