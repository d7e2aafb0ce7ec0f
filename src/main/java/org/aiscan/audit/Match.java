package org.aiscan.audit;

import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * The matchers both firewall evaluators share, so that a port, an interface or an address means the
 * same in an iptables rule, an nftables rule and a ufw row: {@code ssh} is 22 in all, {@code eth+}
 * and {@code eth*} are the same wildcard, a range is a range whichever separator its tool prints.
 * Values are read by {@link Atom}; these answer for a spec given as text (evidence lookups).
 */
final class Match {
    private Match() {
    }

    /**
     * Whether {@code port} is in one port spec: {@code 22}, {@code ssh}, {@code 8000:8100},
     * {@code 8000-8100}, {@code :1023}, {@code 1024:}; unknown for a name the table does not hold.
     */
    static Tri port(String spec, int port) {
        return Atom.port(spec) instanceof Atom.Ports r ? Tri.of(r.contains(port)) : Tri.UNKNOWN;
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
    static Tri iface(@Nullable String pattern, @Nullable String iface) {
        if (pattern == null || iface == null) {
            return Tri.UNKNOWN;
        }
        String p = Atom.unquote(pattern);
        if (p.endsWith("+") || p.endsWith("*")) {
            return Tri.of(iface.startsWith(p.substring(0, p.length() - 1)));
        }
        return Tri.of(iface.equals(p));
    }

    /** An address spec: a host, a CIDR, or a range {@code a-b}; unknown for a host name or anything else. */
    static Tri address(@Nullable String spec, Address a) {
        return spec == null ? Tri.UNKNOWN : Sel.address(Atom.address(spec), a);
    }
}
