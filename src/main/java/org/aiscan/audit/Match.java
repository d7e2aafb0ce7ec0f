package org.aiscan.audit;

import org.aiscan.host.Services;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;

/**
 * The matchers both firewall evaluators share, so that a port, an interface or an address means the
 * same in an iptables rule and an nftables rule: {@code ssh} is 22 in both, {@code eth+} and
 * {@code eth*} are the same wildcard, a range is a range whichever separator its tool prints.
 */
final class Match {
    private Match() {
    }

    /**
     * Whether {@code port} is in one port spec: {@code 22}, {@code ssh}, {@code 8000:8100},
     * {@code 8000-8100}, {@code :1023}, {@code 1024:}; unknown for a name the table does not hold.
     */
    static Tri port(String spec, int port) {
        String s = spec == null ? "" : spec.trim();
        int sep = s.indexOf(':') >= 0 ? s.indexOf(':') : s.indexOf('-') > 0 ? s.indexOf('-') : -1;
        if (sep < 0) {
            int p = Services.port(s);
            return p < 0 ? Tri.UNKNOWN : Tri.of(p == port);
        }
        int lo = sep == 0 ? 0 : Services.port(s.substring(0, sep));
        int hi = sep == s.length() - 1 ? 65535 : Services.port(s.substring(sep + 1));
        return lo < 0 || hi < 0 ? Tri.UNKNOWN : Tri.of(port >= lo && port <= hi);
    }

    /** {@code 80,443,8000:8100}: any of them. */
    static Tri ports(String list, int port) {
        Tri any = Tri.FALSE;
        for (String s : list.split(",")) {
            any = any.or(port(s, port));
        }
        return any;
    }

    /** An interface pattern ({@code eth0}, iptables' {@code eth+}, nft's {@code "eth*"}) against an interface; unknown when the interface is. */
    static Tri iface(String pattern, String iface) {
        if (pattern == null || iface == null) {
            return Tri.UNKNOWN;
        }
        String p = pattern.length() >= 2 && pattern.startsWith("\"") && pattern.endsWith("\"") ? pattern.substring(1, pattern.length() - 1) : pattern;
        if (p.endsWith("+") || p.endsWith("*")) {
            return Tri.of(iface.startsWith(p.substring(0, p.length() - 1)));
        }
        return Tri.of(iface.equals(p));
    }

    /** An address spec: a host, a CIDR, or a range {@code a-b}; unknown for a host name or anything else. */
    static Tri address(String spec, Address a) {
        if (spec == null || a == null) {
            return Tri.UNKNOWN;
        }
        try {
            int dash = spec.indexOf('-');
            if (dash > 0 && spec.indexOf('/') < 0) {
                Address lo = Address.parse(spec.substring(0, dash));
                Address hi = Address.parse(spec.substring(dash + 1));
                return Tri.of(a.isV6() == lo.isV6() && a.compareTo(lo) >= 0 && a.compareTo(hi) <= 0);
            }
            return Tri.of(Cidr.parse(spec).contains(a));
        } catch (IllegalArgumentException e) {
            return Tri.UNKNOWN;
        }
    }
}
