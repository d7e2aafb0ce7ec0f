package org.aiscan.model;

/**
 * An address block: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address ({@code /32},
 * {@code /128}). The stored address has its host bits cleared.
 */
public record Cidr(Address base, int prefix) {
    public Cidr {
        int max = base.isV6() ? 128 : 32;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix /" + prefix + " out of range for " + base);
        }
        base = mask(base, prefix);
    }

    /**
     * Parses {@code ADDR[/PREFIX]}; without a prefix the block is the single address.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static Cidr parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        Address a = Address.parse(slash < 0 ? t : t.substring(0, slash));
        int max = a.isV6() ? 128 : 32;
        if (slash < 0) {
            return new Cidr(a, max);
        }
        String p = t.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
            if (!a.isV6() && p.indexOf('.') > 0) { // iptables -L style netmask 255.255.255.0
                long m = Address.parse(p).lo();
                int bits = Long.bitCount(m);
                if (m != ((0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL)) {
                    throw new IllegalArgumentException("not a contiguous netmask: " + s);
                }
                return new Cidr(a, bits);
            }
            throw new IllegalArgumentException("bad prefix in " + s);
        }
        return new Cidr(a, Integer.parseInt(p));
    }

    public boolean isV6() {
        return base.isV6();
    }

    /** Allocation-free: the target guard and the route lookup call this for every packet. */
    public boolean contains(Address a) {
        if (a.isV6() != base.isV6()) {
            return false;
        }
        if (!a.isV6()) {
            long m = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            return (a.lo() & m) == base.lo();
        }
        if (prefix <= 64) {
            long m = prefix == 0 ? 0 : -1L << (64 - prefix);
            return (a.hi() & m) == base.hi();
        }
        long m = -1L << (128 - prefix);
        return a.hi() == base.hi() && (a.lo() & m) == base.lo();
    }

    /** The block's first address (its base). */
    public Address first() {
        return base;
    }

    /** The block's last address: the base with every host bit set. */
    public Address last() {
        if (!base.isV6()) {
            long host = prefix == 32 ? 0 : (1L << (32 - prefix)) - 1;
            return Address.v4(base.lo() | host);
        }
        if (prefix <= 64) {
            long hostHi = prefix == 64 ? 0 : (prefix == 0 ? -1L : (1L << (64 - prefix)) - 1);
            return Address.v6(base.hi() | hostHi, -1L);
        }
        long hostLo = prefix == 128 ? 0 : (1L << (128 - prefix)) - 1;
        return Address.v6(base.hi(), base.lo() | hostLo);
    }

    /** Whether every address of {@code other} is in this block. */
    public boolean covers(Cidr other) {
        return other.isV6() == isV6() && other.prefix >= prefix && contains(other.base);
    }

    private static Address mask(Address a, int prefix) {
        if (!a.isV6()) {
            long m = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            return Address.v4(a.lo() & m);
        }
        if (prefix <= 64) {
            long m = prefix == 0 ? 0 : -1L << (64 - prefix);
            return Address.v6(a.hi() & m, 0);
        }
        long m = -1L << (128 - prefix);
        return Address.v6(a.hi(), a.lo() & m);
    }

    @Override
    public String toString() {
        return base + "/" + prefix;
    }
}
