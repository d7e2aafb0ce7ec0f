package org.aiscan.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as a compact immutable value (two longs), cheap to create in the probe
 * hot path and printed in canonical form (dotted quad, RFC 5952 for IPv6).
 */
public final class Address implements Comparable<Address> {
    private final boolean v6;
    private final long hi;
    private final long lo;

    private Address(boolean v6, long hi, long lo) {
        this.v6 = v6;
        this.hi = hi;
        this.lo = lo;
    }

    /** An IPv4 address from its 32 bits (as an unsigned int in the low bits of a long). */
    public static Address v4(long bits) {
        if (bits < 0 || bits > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("IPv4 value out of range: " + bits);
        }
        return new Address(false, 0, bits);
    }

    /** An IPv6 address from its upper and lower 64 bits. */
    public static Address v6(long hi, long lo) {
        return new Address(true, hi, lo);
    }

    /** From raw network-order bytes: 4 for IPv4, 16 for IPv6. */
    public static Address of(byte[] b) {
        if (b.length == 4) {
            return v4(((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL));
        }
        if (b.length == 16) {
            long h = 0;
            long l = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (b[i] & 0xFFL);
                l = (l << 8) | (b[i + 8] & 0xFFL);
            }
            return v6(h, l);
        }
        throw new IllegalArgumentException("address must have 4 or 16 bytes, not " + b.length);
    }

    public static Address of(InetAddress a) {
        return of(a.getAddress());
    }

    /**
     * Parses an address literal (never a host name, so it never touches DNS).
     *
     * @throws IllegalArgumentException if {@code s} is not an IPv4 or IPv6 literal
     */
    public static Address parse(String s) {
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.indexOf(':') >= 0) {
            if (t.indexOf('%') >= 0 || !t.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("not an IPv6 literal: " + s);
            }
            try {
                // A string containing ':' is only ever treated as a literal by InetAddress: no lookup.
                InetAddress a = InetAddress.getByName(t);
                if (a instanceof Inet4Address) { // "::ffff:1.2.3.4" is folded to IPv4 by the JDK
                    return of(a);
                }
                return of(a.getAddress());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IPv6 literal: " + s);
            }
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 literal: " + s);
        }
        long bits = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 literal: " + s);
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("IPv4 octet out of range in " + s);
            }
            bits = (bits << 8) | v;
        }
        return v4(bits);
    }

    /** This address with a port, as scanners name an endpoint: {@code 198.51.100.7:8000}, {@code [2001:db8::7]:8000}. */
    public String endpoint(int port) {
        return isV6() ? "[" + this + "]:" + port : this + ":" + port;
    }

    public boolean isV6() {
        return v6;
    }

    /** Whether this is a loopback address: 127.0.0.0/8 or ::1. */
    public boolean isLoopback() {
        return v6 ? hi == 0 && lo == 1 : (lo >>> 24) == 127;
    }

    public int family() {
        return v6 ? 6 : 4;
    }

    public long hi() {
        return hi;
    }

    public long lo() {
        return lo;
    }

    /** The 32 address bits of an IPv4 address. */
    public int v4Int() {
        return (int) lo;
    }

    /** This address plus {@code n} (n ≥ 0), with carry across the 64-bit halves for IPv6. */
    public Address plus(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        if (!v6) {
            return v4(lo + n);
        }
        long nl = lo + n;
        long nh = Long.compareUnsigned(nl, lo) < 0 ? hi + 1 : hi;
        return v6(nh, nl);
    }

    public byte[] toBytes() {
        if (!v6) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    public InetAddress toInetAddress() {
        try {
            byte[] b = toBytes();
            return v6 ? Inet6Address.getByAddress(null, b, null) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    @Override
    public int compareTo(Address o) {
        if (v6 != o.v6) {
            return v6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && a.v6 == v6 && a.hi == hi && a.lo == lo;
    }

    @Override
    public int hashCode() {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo ^ (v6 ? 0x5bd1e995L : 0);
        return (int) (h ^ (h >>> 32));
    }

    /** Canonical text: dotted quad, or RFC 5952 (lower case, longest zero run compressed). */
    @Override
    public String toString() {
        if (!v6) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 4.2.2: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestLen = j - i;
                bestStart = i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
