package org.aiscan.audit;

import java.util.Locale;
import org.aiscan.host.Services;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.jspecify.annotations.Nullable;

/**
 * One value a firewall rule compares a packet field with, read once when the snapshot is loaded:
 * a network, an address range, a port range, a word (a protocol, a connection state, an interface
 * pattern, an address type) or a mark. A value that could not be read is {@link Bad}: whatever it
 * is compared with, the answer is unknown.
 */
sealed interface Atom {
    /** {@code 10.0.0.0/8}, {@code 203.0.113.7}, {@code fd00::/8}. */
    record Net(Cidr cidr) implements Atom {
    }

    /** {@code 10.0.0.1-10.0.0.9}. */
    record Span(Address lo, Address hi) implements Atom {
    }

    /** {@code 22}, {@code ssh}, {@code 8000:8100}, {@code 8000-8100}, {@code :1023}, {@code 1024:}. */
    record Ports(int lo, int hi) implements Atom {
        boolean contains(int port) {
            return port >= lo && port <= hi;
        }
    }

    /** A word, lower case; interface patterns keep their case and lose their quotes. */
    record Word(String word) implements Atom {
    }

    /** {@code 0x4000}, {@code 0x4000/0x4000}: the bits under {@code mask} equal {@code value}. */
    record Num(long value, long mask) implements Atom {
    }

    /** Something that is not a value of its kind (a host name, an unknown service, a set that is not there). */
    record Bad(String text) implements Atom {
    }

    /** An address, a CIDR or a range {@code a-b}. */
    static Atom address(@Nullable String spec) {
        String s = unquote(spec == null ? "" : spec.trim());
        try {
            int dash = s.indexOf('-');
            if (dash > 0 && s.indexOf('/') < 0) {
                return new Span(Address.parse(s.substring(0, dash)), Address.parse(s.substring(dash + 1)));
            }
            return new Net(Cidr.parse(s));
        } catch (IllegalArgumentException e) {
            return new Bad(s);
        }
    }

    /** One port or range, with either separator its tool prints, or a service name of the shared table. */
    static Atom port(@Nullable String spec) {
        String s = spec == null ? "" : unquote(spec.trim());
        int sep = s.indexOf(':') >= 0 ? s.indexOf(':') : s.indexOf('-') > 0 ? s.indexOf('-') : -1;
        if (sep < 0) {
            int p = Services.port(s);
            return p < 0 ? new Bad(s) : new Ports(p, p);
        }
        int lo = sep == 0 ? 0 : Services.port(s.substring(0, sep));
        int hi = sep == s.length() - 1 ? 65535 : Services.port(s.substring(sep + 1));
        return lo < 0 || hi < 0 ? new Bad(s) : new Ports(lo, hi);
    }

    /**
     * A layer-4 protocol as both tools print it: {@code tcp}, {@code udp}, {@code all} (iptables'
     * any), {@code other} for one a connection attempt of the scan never is (icmp, esp, sctp, …).
     */
    static Atom protocol(@Nullable String spec) {
        String s = spec == null ? "" : unquote(spec.trim()).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "all", "0" -> new Word("all");
            case "tcp", "6" -> new Word("tcp");
            case "udp", "17" -> new Word("udp");
            // any other protocol, by name (/etc/protocols) or number: never a scanner's TCP or UDP connection
            default -> s.matches("[a-z][a-z0-9.-]*|[0-9]{1,3}") ? new Word("other") : new Bad(s);
        };
    }

    static Atom word(@Nullable String spec) {
        return new Word(unquote(spec == null ? "" : spec.trim()).toLowerCase(Locale.ROOT));
    }

    /** An interface name or pattern ({@code eth0}, {@code eth+}, {@code "veth*"}), its case kept. */
    static Atom iface(@Nullable String spec) {
        return new Word(unquote(spec == null ? "" : spec.trim()));
    }

    /** {@code 0x10}, {@code 16}, {@code 0x10/0xff}. */
    static Atom mark(@Nullable String spec) {
        String s = spec == null ? "" : spec.trim();
        try {
            int slash = s.indexOf('/');
            long value = Long.decode(slash < 0 ? s : s.substring(0, slash));
            long mask = slash < 0 ? 0xFFFF_FFFFL : Long.decode(s.substring(slash + 1));
            return new Num(value, mask);
        } catch (NumberFormatException e) {
            return new Bad(s);
        }
    }

    static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
