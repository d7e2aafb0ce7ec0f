package org.aiscan.probe.syn;

/**
 * Ethernet + IPv4/IPv6 + TCP SYN frames, built once per family and patched in place per probe
 * (destination MAC, addresses, ports, IP id, sequence, checksums): no allocation in the send path.
 * The TCP header carries one option, MSS 1460, like a normal SYN.
 */
final class Frames {
    static final int ETH = 14;
    static final int V4_LEN = ETH + 20 + 24;
    static final int V6_LEN = ETH + 40 + 24;
    static final int WINDOW = 1024;
    static final int TTL = 64;

    private Frames() {
    }

    /** A fresh IPv4 SYN template with our MAC and source address filled in. */
    static byte[] v4Template(byte[] srcMac, int srcIp) {
        byte[] f = new byte[V4_LEN];
        System.arraycopy(srcMac, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x00;
        int ip = ETH;
        f[ip] = 0x45;
        put16(f, ip + 2, 20 + 24);
        f[ip + 6] = 0x40; // don't fragment
        f[ip + 8] = (byte) TTL;
        f[ip + 9] = 6;
        put32(f, ip + 12, srcIp);
        tcpTemplate(f, ip + 20);
        return f;
    }

    /** A fresh IPv6 SYN template with our MAC and source address filled in. */
    static byte[] v6Template(byte[] srcMac, long srcHi, long srcLo) {
        byte[] f = new byte[V6_LEN];
        System.arraycopy(srcMac, 0, f, 6, 6);
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xDD;
        int ip = ETH;
        f[ip] = 0x60;
        put16(f, ip + 4, 24);
        f[ip + 6] = 6;
        f[ip + 7] = (byte) TTL;
        put64(f, ip + 8, srcHi);
        put64(f, ip + 16, srcLo);
        tcpTemplate(f, ip + 40);
        return f;
    }

    private static void tcpTemplate(byte[] f, int t) {
        f[t + 12] = (byte) (6 << 4); // data offset: 24 bytes
        f[t + 13] = 0x02; // SYN
        put16(f, t + 14, WINDOW);
        f[t + 20] = 2; // MSS option
        f[t + 21] = 4;
        put16(f, t + 22, 1460);
    }

    /** Patches an IPv4 template for one probe and fixes both checksums. */
    static void patchV4(byte[] f, byte[] dstMac, int dstIp, int dstPort, int srcPort, int seq) {
        System.arraycopy(dstMac, 0, f, 0, 6);
        int ip = ETH;
        put16(f, ip + 4, (seq >>> 7) & 0xFFFF); // IP id: a cheap function of the cookie
        put32(f, ip + 16, dstIp);
        f[ip + 10] = 0;
        f[ip + 11] = 0;
        put16(f, ip + 10, fold(sum(f, ip, 20, 0)));
        int t = ip + 20;
        put16(f, t, srcPort);
        put16(f, t + 2, dstPort);
        put32(f, t + 4, seq);
        f[t + 16] = 0;
        f[t + 17] = 0;
        long pseudo = sum(f, ip + 12, 8, 0) + 6 + 24;
        put16(f, t + 16, fold(sum(f, t, 24, pseudo)));
    }

    /** Patches an IPv6 template for one probe and fixes the TCP checksum. */
    static void patchV6(byte[] f, byte[] dstMac, long dstHi, long dstLo, int dstPort, int srcPort, int seq) {
        System.arraycopy(dstMac, 0, f, 0, 6);
        int ip = ETH;
        put64(f, ip + 24, dstHi);
        put64(f, ip + 32, dstLo);
        int t = ip + 40;
        put16(f, t, srcPort);
        put16(f, t + 2, dstPort);
        put32(f, t + 4, seq);
        f[t + 16] = 0;
        f[t + 17] = 0;
        long pseudo = sum(f, ip + 8, 32, 0) + 24 + 6;
        put16(f, t + 16, fold(sum(f, t, 24, pseudo)));
    }

    /** An ARP request is 42 bytes; it goes out padded to Ethernet's 60-byte minimum. */
    static final int ARP_LEN = 60;
    /** Ethernet + IPv6 + ICMPv6 neighbour solicitation (24 bytes) with a source link-layer option (8 bytes). */
    static final int NS_LEN = ETH + 40 + 32;

    /** A broadcast ARP request template (who has ?, tell {@code srcIp}); {@link #patchArp} sets the target. */
    static byte[] arpTemplate(byte[] srcMac, int srcIp) {
        byte[] f = new byte[ARP_LEN];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xFF;
        }
        System.arraycopy(srcMac, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        put16(f, 14, 1); // hardware: Ethernet
        put16(f, 16, 0x0800); // protocol: IPv4
        f[18] = 6;
        f[19] = 4;
        put16(f, 20, 1); // request
        System.arraycopy(srcMac, 0, f, 22, 6);
        put32(f, 28, srcIp);
        return f;
    }

    static void patchArp(byte[] f, int targetIp) {
        put32(f, 38, targetIp);
    }

    /**
     * A neighbour solicitation template from {@code src} (RFC 4861 §4.3: hop limit 255, our link-layer
     * address as an option); {@link #patchNs} addresses it to a target's solicited-node group.
     */
    static byte[] nsTemplate(byte[] srcMac, long srcHi, long srcLo) {
        byte[] f = new byte[NS_LEN];
        f[0] = 0x33;
        f[1] = 0x33;
        f[2] = (byte) 0xFF;
        System.arraycopy(srcMac, 0, f, 6, 6);
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xDD;
        int ip = ETH;
        f[ip] = 0x60;
        put16(f, ip + 4, 32);
        f[ip + 6] = 58; // ICMPv6
        f[ip + 7] = (byte) 255;
        put64(f, ip + 8, srcHi);
        put64(f, ip + 16, srcLo);
        put64(f, ip + 24, 0xFF02_0000_0000_0000L);
        int t = ip + 40;
        f[t] = (byte) 135; // neighbour solicitation
        f[t + 24] = 1; // option: source link-layer address
        f[t + 25] = 1; // length in units of 8 bytes
        System.arraycopy(srcMac, 0, f, t + 26, 6);
        return f;
    }

    /** Targets a solicitation at {@code tHi:tLo}: solicited-node group ff02::1:ffXX:XXXX, its MAC, the checksum. */
    static void patchNs(byte[] f, long tHi, long tLo) {
        int low = (int) (tLo & 0xFF_FFFF);
        f[3] = (byte) (low >>> 16);
        f[4] = (byte) (low >>> 8);
        f[5] = (byte) low;
        int ip = ETH;
        put64(f, ip + 32, 0x0000_0001_FF00_0000L | low);
        int t = ip + 40;
        put64(f, t + 8, tHi);
        put64(f, t + 16, tLo);
        f[t + 2] = 0;
        f[t + 3] = 0;
        long pseudo = sum(f, ip + 8, 32, 0) + 32 + 58;
        put16(f, t + 2, fold(sum(f, t, 32, pseudo)));
    }

    static long sum(byte[] b, int off, int len, long acc) {
        long s = acc;
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < end) {
            s += (b[i] & 0xFF) << 8;
        }
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void put64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** A MAC address held in the low 48 bits of a long, written into {@code b} at {@code off}. */
    static void putMac(byte[] b, int off, long mac) {
        for (int i = 0; i < 6; i++) {
            b[off + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    static long getMac(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static int get16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static int get32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long get64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
