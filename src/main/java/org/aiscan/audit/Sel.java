package org.aiscan.audit;

import java.util.Set;
import org.aiscan.host.Snapshots;
import org.aiscan.model.Address;
import org.aiscan.model.audit.Packet;
import org.jspecify.annotations.Nullable;

/**
 * A field of the packet, or of its connection, that a rule compares with values: the same field
 * whether iptables ({@code -s}, {@code --dport}, {@code -m conntrack --ctstate}) or nftables
 * ({@code ip saddr}, {@code th dport}, {@code ct state}) names it.
 */
enum Sel {
    SRC("the source"), DST("the destination"), ORIG_DST("the original destination"), DPORT("port"),
    /** The scanner's source port is not known: a range that holds every unprivileged port holds. */
    SPORT("the source port"),
    /** multiport's {@code --ports}: either port; certain only when the destination port is one of them. */
    EITHER_PORT("port"), ORIG_DPORT("the original port"), L4PROTO("protocol"), IIF("the inbound interface"),
    OIF("the outbound interface"), MARK("the packet's mark"), CT_MARK("the connection's mark"), CT_STATE("a new connection"),
    CT_DIRECTION("a new connection"), PKT_TYPE("a packet to this host"), NFPROTO("the family"), L3PROTO("the family"),
    DADDR_TYPE("the destination's address type"), SADDR_TYPE("the source's address type"),
    /** {@code fib saddr . iif oif}: whether the source routes back (it does: the scanner reached the host). */
    RPF("the source's route back");

    /** The address types both {@code -m addrtype} and {@code fib … type} name. */
    private static final Set<String> ADDRESS_TYPES = Set.of("local", "unicast", "multicast", "broadcast", "anycast", "blackhole",
            "unreachable", "prohibit", "throw", "nat", "xresolve", "unspec");

    private final String what;

    Sel(String what) {
        this.what = what;
    }

    /** The field in words, with the packet's value where it has one: {@code the source 198.51.100.7}. */
    String what(Packet p) {
        return switch (this) {
            case SRC -> what + " " + p.src();
            case DST -> what + " " + p.dst();
            case ORIG_DST -> what + " " + p.origDst();
            case DPORT, EITHER_PORT -> what + " " + p.dport();
            case ORIG_DPORT -> what + " " + p.origDport();
            case L4PROTO -> what + " " + p.proto();
            case IIF -> what + " " + p.inIface();
            case OIF -> what + " " + p.outIface();
            default -> what;
        };
    }

    /** Whether the packet's field is {@code a}; unknown when either is. */
    Tri test(Atom a, Packet p, HostModel host, long mark) {
        if (a instanceof Atom.Bad) {
            return Tri.UNKNOWN;
        }
        return switch (this) {
            case SRC -> address(a, p.src());
            case DST -> address(a, p.dst());
            case ORIG_DST -> address(a, p.origDst());
            case DPORT -> a instanceof Atom.Ports r ? Tri.of(r.contains(p.dport())) : Tri.UNKNOWN;
            case ORIG_DPORT -> a instanceof Atom.Ports r ? Tri.of(r.contains(p.origDport())) : Tri.UNKNOWN;
            case EITHER_PORT -> a instanceof Atom.Ports r && r.contains(p.dport()) ? Tri.TRUE : Tri.UNKNOWN;
            case SPORT -> {
                if (!(a instanceof Atom.Ports r)) {
                    yield Tri.UNKNOWN;
                }
                if (p.sport() != 0) {
                    yield Tri.of(r.contains(p.sport()));
                }
                yield r.contains(1024) && r.contains(65535) ? Tri.TRUE : Tri.UNKNOWN;
            }
            case L4PROTO -> a instanceof Atom.Word w ? protocol(w.word(), p) : Tri.UNKNOWN;
            case IIF -> a instanceof Atom.Word w ? inbound(w.word(), p.inIface(), host) : Tri.UNKNOWN;
            case OIF -> a instanceof Atom.Word w ? Match.iface(w.word(), p.outIface()) : Tri.UNKNOWN;
            case MARK -> a instanceof Atom.Num n ? Tri.of((mark & n.mask()) == n.value()) : Tri.UNKNOWN;
            case CT_MARK -> a instanceof Atom.Num n ? Tri.of((0 & n.mask()) == n.value()) : Tri.UNKNOWN; // a new connection's
            case CT_STATE -> word(a, "new", p.dnatted() ? "dnat" : "new");
            case CT_DIRECTION -> word(a, "original", "original");
            case PKT_TYPE -> word(a, "host", "unicast");
            case NFPROTO -> word(a, p.dst().isV6() ? "ipv6" : "ipv4", "");
            case L3PROTO -> word(a, p.dst().isV6() ? "ip6" : "ip", "");
            case DADDR_TYPE -> addressType(a, host, p.dst());
            case SADDR_TYPE -> addressType(a, host, p.src());
            case RPF -> word(a, "exists", "exists");
        };
    }

    /** Whether address {@code x} is in the network or range {@code a}; unknown when either is. */
    static Tri address(Atom a, @Nullable Address x) {
        if (x == null) {
            return Tri.UNKNOWN;
        }
        if (a instanceof Atom.Net n) {
            return Tri.of(n.cidr().contains(x));
        }
        if (a instanceof Atom.Span s) {
            return Tri.of(x.isV6() == s.lo().isV6() && x.compareTo(s.lo()) >= 0 && x.compareTo(s.hi()) <= 0);
        }
        return Tri.UNKNOWN;
    }

    /**
     * The inbound interface against a pattern. When the host's addresses were given by hand
     * ({@code --host-address}) the interface's name is not known: the internet never arrives on
     * loopback, a container or VM bridge or a VPN interface, and any other name may be it.
     */
    private static Tri inbound(String pattern, String iface, @Nullable HostModel host) {
        if (!Snapshots.GIVEN_IFACE.equals(iface) || host == null) {
            return Match.iface(pattern, iface);
        }
        String stem = pattern.endsWith("+") || pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        boolean never = stem.equals("lo") || host.names().containerBridge(stem) || host.names().vpn(stem);
        return never && !stem.isEmpty() ? Tri.FALSE : Tri.UNKNOWN;
    }

    private static Tri protocol(String w, Packet p) {
        return switch (w) {
            case "all" -> Tri.TRUE;
            case "other" -> Tri.FALSE;
            default -> Tri.of(w.equals(p.proto()));
        };
    }

    private static Tri word(Atom a, String is, String alsoIs) {
        return a instanceof Atom.Word w ? Tri.of(w.word().equals(is) || w.word().equals(alsoIs)) : Tri.UNKNOWN;
    }

    /**
     * The type routing gives an address, as {@code -m addrtype} and {@code fib … type} read it: one of
     * local, multicast or unicast for a scanner's packet; a word neither names is unknown.
     */
    private static Tri addressType(Atom a, HostModel host, Address x) {
        if (!(a instanceof Atom.Word w) || !ADDRESS_TYPES.contains(w.word())) {
            return Tri.UNKNOWN;
        }
        boolean multicast = x.isV6() ? (x.hi() >>> 56) == 0xFF : (x.lo() >>> 28) == 0xE;
        String type = host.isLocal(x) ? "local" : multicast ? "multicast" : "unicast";
        return Tri.of(w.word().equals(type));
    }
}
