package org.aiscan.audit;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.aiscan.host.Iptables;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;

/**
 * Whether an iptables rule's matches hold for the first packet of a connection. Rate-limiting
 * matches (recent, hashlimit, limit, connlimit) are read for a first packet, which is under every
 * limit, and reported so that the walk can cite them. A match this class does not know is
 * {@link Tri#UNKNOWN}.
 */
final class LegacyIptablesMatch {
    /** The result for one rule: the match, and whether a rate-limiting match took part. */
    record Result(Tri tri, boolean rateLimited, boolean explicitPort, boolean sourceRestricted) {
    }

    /** Targets that neither end nor redirect the walk. */
    static final Set<String> NON_TERMINAL = Set.of("LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CT", "NOTRACK", "TRACE", "AUDIT",
            "TCPMSS", "CLASSIFY", "DSCP", "TOS", "TTL", "HL", "SET", "CHECKSUM", "CONNSECMARK", "SECMARK", "IDLETIMER", "LED",
            "RATEEST", "TEE", "SNAT", "MASQUERADE", "NETMAP", "SYNPROXY");

    private LegacyIptablesMatch() {
    }

    /** One option's answer for the packet (negation applied), and whether it is a rate-limiting match. */
    private record One(Tri tri, boolean rate) {
    }

    private static One one(Iptables.Rule rule, Iptables.Option o, Packet p, HostModel host, long mark, boolean chanceTaken) {
        String n = o.name();
        Tri t;
        boolean isRate = false;
        switch (n) {
            case "--mode", "--packet" -> t = Tri.TRUE;
            case "--probability", "--every" -> {
                // -m statistic: a share of connections; certain only when the share is all of them
                double share = n.equals("--every") ? 1.0 / Math.max(1, (int) parseDouble(o.value(), 2)) : parseDouble(o.value(), 0);
                t = chanceTaken || share >= 1.0 ? Tri.TRUE : Tri.UNKNOWN;
            }
            case "--set", "--seconds", "--hitcount", "--name", "--rsource", "--rdest", "--mask", "--reap", "--rttl",
                 "--limit-burst", "--connlimit-mask", "--connlimit-saddr", "--connlimit-daddr", "--comment",
                 "--limit-iface-in", "--limit-iface-out", "--loose", "--validmark", "--accept-local", "--ctdir" -> {
                t = n.equals("--ctdir") ? Tri.of(o.value().equalsIgnoreCase("ORIGINAL")) : Tri.TRUE;
            }
            case "--rcheck", "--update" -> {
                // with a hit count the first packet is under it; without one, membership depends on earlier traffic
                boolean counted = rule.match("--hitcount") != null;
                t = counted ? Tri.FALSE : Tri.UNKNOWN;
                isRate = counted;
            }
            case "--remove" -> t = Tri.UNKNOWN;
            case "--limit" -> {
                t = Tri.TRUE;
                isRate = true;
            }
            case "--connlimit-above", "--hashlimit-above" -> {
                t = Tri.FALSE;
                isRate = true;
            }
            case "--connlimit-upto", "--hashlimit-upto", "--hashlimit" -> {
                t = Tri.TRUE;
                isRate = true;
            }
            case "--invert" -> t = rule.modules().contains("rpfilter") ? Tri.FALSE : Tri.UNKNOWN;
            default -> t = n.startsWith("--hashlimit-") ? Tri.TRUE : option(o, p, host, mark);
        }
        return new One(t.negateIf(o.negated()), isRate);
    }

    static Result eval(Iptables.Rule rule, Packet p, HostModel host, long mark) {
        return eval(rule, p, host, mark, false);
    }

    /**
     * @param chanceTaken read a {@code -m statistic} match as taken (the connection is one of the share
     *     it selects), instead of unknown
     */
    static Result eval(Iptables.Rule rule, Packet p, HostModel host, long mark, boolean chanceTaken) {
        Tri acc = Tri.TRUE;
        Tri rateless = Tri.TRUE;
        boolean rate = false;
        boolean explicitPort = false;
        boolean sourceRestricted = false;
        for (Iptables.Option o : rule.matches()) {
            String n = o.name();
            One x = one(rule, o, p, host, mark, chanceTaken);
            if ((n.equals("--dport") || n.equals("--dports") || n.equals("--destination-port") || n.equals("--ctorigdstport")) && !o.negated()) {
                explicitPort = true;
            }
            if ((n.equals("-s") || n.equals("--src-range") || n.equals("--match-set") && o.values().size() > 1
                    && o.values().get(1).startsWith("src") || n.equals("--ctorigsrc")) && !o.negated()) {
                sourceRestricted = true;
            }
            if (x.rate()) {
                rate = true;
            } else {
                rateless = rateless.and(x.tri());
            }
            acc = acc.and(x.tri());
        }
        // a rate limit concerns this packet when everything else about the rule matches it
        return new Result(acc, rate && rateless != Tri.FALSE, explicitPort, sourceRestricted);
    }

    /**
     * Why a rule does not take the packet: its first option that fails, in words ("-d 10.0.0.0/8
     * does not hold for 198.19.32.2"), or null when nothing fails for sure.
     */
    static String whyNot(Iptables.Rule rule, Packet p, HostModel host, long mark) {
        for (Iptables.Option o : rule.matches()) {
            One x = one(rule, o, p, host, mark, false);
            if (x.tri() != Tri.FALSE) {
                continue;
            }
            String opt = (o.negated() ? "! " : "") + o.name() + (o.value() == null ? "" : " " + o.value());
            String what = switch (o.name()) {
                case "-s", "--ctorigsrc" -> "the source " + p.src();
                case "-d" -> "the destination " + p.dst();
                case "--ctorigdst" -> "the original destination " + p.origDst();
                case "-i" -> "the inbound interface " + p.inIface();
                case "-o" -> "the outbound interface " + p.outIface();
                case "-p" -> "protocol " + p.proto();
                case "--dport", "--dports", "--destination-port" -> "port " + p.dport();
                case "--ctorigdstport" -> "the original port " + p.origDport();
                case "--ctstate", "--state" -> "a new connection";
                default -> x.rate() ? "a first connection (under the limit)" : "this connection";
            };
            return opt + " does not hold for " + what;
        }
        return null;
    }

    private static Tri option(Iptables.Option o, Packet p, HostModel host, long mark) {
        String v = o.value();
        return switch (o.name()) {
            case "-s" -> cidr(networks(v), p.src());
            case "-d" -> cidr(networks(v), p.dst());
            case "-i" -> iface(v, p.inIface());
            case "-o" -> iface(v, p.outIface());
            case "-p" -> proto(v, p.proto());
            case "-f" -> Tri.FALSE;
            case "--dport", "--destination-port" -> Match.port(v, p.dport());
            case "--sport", "--source-port" -> sourcePort(v);
            case "--dports", "--destination-ports" -> Match.ports(v, p.dport());
            case "--sports", "--source-ports" -> sourcePort(v);
            case "--ports" -> Match.ports(v, p.dport()) == Tri.TRUE ? Tri.TRUE : Tri.UNKNOWN;
            case "--syn" -> Tri.of(p.proto().equals("tcp"));
            case "--tcp-flags" -> tcpFlags(o.values(), p);
            case "--ctstate", "--state" -> ctState(v, p);
            case "--ctorigdstport" -> Match.port(v, p.origDport());
            case "--ctorigsrcport", "--ctreplsrcport", "--ctrepldstport" -> Tri.UNKNOWN;
            case "--ctorigdst" -> cidr(networks(v), p.origDst());
            case "--ctorigsrc", "--ctrepldst" -> cidr(networks(v), p.src());
            case "--ctreplsrc" -> cidr(networks(v), p.dst());
            case "--ctproto" -> proto(v, p.proto());
            case "--dst-type" -> addrType(v, host.isLocal(p.dst()), p.dst());
            case "--src-type" -> addrType(v, host.isLocal(p.src()), p.src());
            case "--pkt-type" -> Tri.of(v.equalsIgnoreCase("unicast") || v.equalsIgnoreCase("host"));
            case "--mark" -> mark(v, mark);
            case "--src-range" -> range(v, p.src());
            case "--dst-range" -> range(v, p.dst());
            case "--icmp-type", "--icmpv6-type" -> Tri.of(p.proto().startsWith("icmp") || p.proto().equals("ipv6-icmp"));
            case "--rt-type", "--rt-segsleft", "--rt-len", "--rt-0-res", "--rt-0-addrs", "--rt-0-not-strict" -> Tri.FALSE;
            default -> Tri.UNKNOWN;
        };
    }

    static Tri cidr(String spec, Address a) {
        return spec == null ? Tri.UNKNOWN : cidr(networks(spec), a);
    }

    /** {@code -s 10.0.0.0/8,192.168.0.0/16} read once: its networks, or null for a host name or anything not an address. */
    static List<Cidr> networks(String spec) {
        try {
            List<Cidr> out = new java.util.ArrayList<>();
            for (String part : spec.split(",")) {
                out.add(Cidr.parse(part));
            }
            return out;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Tri cidr(List<Cidr> nets, Address a) {
        if (nets == null || a == null) {
            return Tri.UNKNOWN;
        }
        for (Cidr c : nets) {
            if (c.contains(a)) {
                return Tri.TRUE;
            }
        }
        return Tri.FALSE;
    }

    static Tri iface(String pattern, String iface) {
        return Match.iface(pattern, iface);
    }

    static Tri proto(String spec, String proto) {
        if (spec == null) {
            return Tri.UNKNOWN;
        }
        String s = spec.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "all", "0" -> Tri.TRUE;
            case "tcp", "6" -> Tri.of(proto.equals("tcp"));
            case "udp", "17" -> Tri.of(proto.equals("udp"));
            case "icmp", "1", "ipv6-icmp", "icmpv6", "58", "esp", "ah", "sctp", "132", "gre", "47", "udplite", "136", "igmp", "2" ->
                    Tri.FALSE;
            default -> Tri.UNKNOWN;
        };
    }

    private static double parseDouble(String s, double otherwise) {
        try {
            return Double.parseDouble(s.trim());
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    /** A scanner's source port is not known: a range covering every unprivileged port holds, anything narrower is unknown. */
    private static Tri sourcePort(String spec) {
        for (String s : spec.split(",")) {
            if (Match.port(s, 1024) == Tri.TRUE && Match.port(s, 65535) == Tri.TRUE) {
                return Tri.TRUE;
            }
        }
        return Tri.UNKNOWN;
    }

    private static Tri tcpFlags(List<String> values, Packet p) {
        if (!p.proto().equals("tcp") || values.size() < 2) {
            return p.proto().equals("tcp") ? Tri.UNKNOWN : Tri.FALSE;
        }
        int mask = TcpFlags.parse(values.get(0));
        int comp = TcpFlags.parse(values.get(1));
        if (mask < 0 || comp < 0) {
            return Tri.UNKNOWN;
        }
        return Tri.of((TcpFlags.SYN & mask) == comp);
    }

    private static Tri ctState(String spec, Packet p) {
        if (spec == null) {
            return Tri.UNKNOWN;
        }
        for (String s : spec.split(",")) {
            String st = s.trim().toUpperCase(Locale.ROOT);
            if (st.equals("NEW") || st.equals("DNAT") && p.dnatted()) {
                return Tri.TRUE;
            }
        }
        return Tri.FALSE;
    }

    private static Tri addrType(String spec, boolean local, Address a) {
        if (spec == null) {
            return Tri.UNKNOWN;
        }
        boolean multicast = a.isV6() ? (a.hi() >>> 56) == 0xFF : (a.lo() >>> 28) == 0xE;
        for (String s : spec.split(",")) {
            switch (s.trim().toUpperCase(Locale.ROOT)) {
                case "LOCAL" -> {
                    if (local) {
                        return Tri.TRUE;
                    }
                }
                case "UNICAST" -> {
                    if (!multicast) {
                        return Tri.TRUE;
                    }
                }
                case "MULTICAST" -> {
                    if (multicast) {
                        return Tri.TRUE;
                    }
                }
                case "BROADCAST", "ANYCAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE", "UNSPEC" -> {
                }
                default -> {
                    return Tri.UNKNOWN;
                }
            }
        }
        return Tri.FALSE;
    }

    /** The packet's mark as the walk has set it so far (0 for a new connection). */
    private static Tri mark(String spec, long current) {
        if (spec == null) {
            return Tri.UNKNOWN;
        }
        try {
            int slash = spec.indexOf('/');
            long value = Long.decode(slash < 0 ? spec : spec.substring(0, slash));
            long mask = slash < 0 ? 0xFFFF_FFFFL : Long.decode(spec.substring(slash + 1));
            return Tri.of((current & mask) == value);
        } catch (NumberFormatException e) {
            return Tri.UNKNOWN;
        }
    }

    private static Tri range(String spec, Address a) {
        return Match.address(spec, a); // --src-range 10.0.0.1-10.0.0.9: one address matcher for both evaluators
    }
}
