package org.aiscan.target;

import java.math.BigInteger;
import java.util.Objects;
import org.aiscan.model.Address;

/**
 * An inclusive range of addresses of one family, with the text it came from (for messages).
 *
 * @param first the lowest address
 * @param last the highest address (same family, not below {@code first})
 * @param source the user's text or file line that produced the range
 */
public record AddressRange(Address first, Address last, String source) {
    public AddressRange {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.isV6() != last.isV6()) {
            throw new IllegalArgumentException("range mixes IPv4 and IPv6: " + source);
        }
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range start after end: " + source);
        }
    }

    public boolean isV6() {
        return first.isV6();
    }

    /** Number of addresses, exact for any size. */
    public BigInteger count() {
        return toBig(last).subtract(toBig(first)).add(BigInteger.ONE);
    }

    public boolean contains(Address a) {
        return a.isV6() == first.isV6() && a.compareTo(first) >= 0 && a.compareTo(last) <= 0;
    }

    static BigInteger toBig(Address a) {
        return new BigInteger(1, a.toBytes());
    }

    @Override
    public String toString() {
        return first.equals(last) ? first.toString() : first + "-" + last;
    }
}
