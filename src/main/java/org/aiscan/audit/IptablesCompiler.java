package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.aiscan.host.Iptables;
import org.aiscan.model.Address;
import org.aiscan.model.EvidenceLine;
import org.aiscan.host.Services;
import org.jspecify.annotations.Nullable;

/**
 * Reads an iptables rule's options and target ({@code iptables-save}, {@code -S}, or {@code -L} read
 * back into options) into {@link FwRule}'s typed matches, once per snapshot. Rate-limiting matches
 * (recent, hashlimit, limit, connlimit) are read for the first packet of a connection, which is under
 * every limit; an option this class does not know is {@link Cond.Unknown}.
 */
final class IptablesCompiler {
    /** Targets that neither end nor redirect the walk. */
    static final Set<String> NON_TERMINAL = Set.of("LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CT", "NOTRACK", "TRACE", "AUDIT",
            "TCPMSS", "CLASSIFY", "DSCP", "TOS", "TTL", "HL", "SET", "CHECKSUM", "CONNSECMARK", "SECMARK", "IDLETIMER", "LED",
            "RATEEST", "TEE", "SNAT", "MASQUERADE", "NETMAP", "SYNPROXY");

    /** Options of recent, limit, connlimit, conntrack and comment that hold for a first packet whatever it is. */
    private static final Set<String> HOLD = Set.of("--mode", "--packet", "--set", "--seconds", "--hitcount", "--name", "--rsource",
            "--rdest", "--mask", "--reap", "--rttl", "--limit-burst", "--connlimit-mask", "--connlimit-saddr", "--connlimit-daddr",
            "--comment", "--limit-iface-in", "--limit-iface-out", "--loose", "--validmark", "--accept-local");

    private IptablesCompiler() {
    }

    static FwRule compile(String source, Iptables.Rule r) {
        List<Cond> conds = new ArrayList<>();
        boolean explicitPort = false;
        boolean sourceRestricted = false;
        for (Iptables.Option o : r.matches()) {
            String n = o.name();
            conds.add(cond(r, o));
            if (!o.negated() && Set.of("--dport", "--dports", "--destination-port", "--ctorigdstport").contains(n)) {
                explicitPort = true;
            }
            if (!o.negated() && (n.equals("-s") || n.equals("--src-range") || n.equals("--ctorigsrc")
                    || n.equals("--match-set") && o.values().size() > 1 && o.values().get(1).startsWith("src"))) {
                sourceRestricted = true;
            }
        }
        EvidenceLine cite = new EvidenceLine(source, r.line(), r.text().trim());
        return new FwRule(cite, conds, stmt(r), explicitPort, sourceRestricted);
    }

    private static Cond cond(Iptables.Rule r, Iptables.Option o) {
        String n = o.name();
        String v = o.value();
        boolean neg = o.negated();
        String text = (neg ? "! " : "") + n + (v == null ? "" : " " + v);
        if (HOLD.contains(n) || n.startsWith("--hashlimit-") && !n.equals("--hashlimit-upto") && !n.equals("--hashlimit-above")) {
            return new Cond.Fixed(Tri.TRUE.negateIf(neg), text);
        }
        return switch (n) {
            case "--probability", "--every" -> {
                double share = n.equals("--every") ? 1.0 / Math.max(1, (int) number(v, 2)) : number(v, 0);
                yield new Cond.Chance(share, neg, text);
            }
            case "--ctdir" -> new Cond.Test(Sel.CT_DIRECTION, List.of(Atom.word(v)), neg, text);
            // with a hit count the first packet is under it; without one, membership depends on earlier traffic
            case "--rcheck", "--update" -> r.match("--hitcount") != null ? new Cond.Rate(Tri.FALSE.negateIf(neg), text)
                    : new Cond.Unknown(text);
            case "--remove" -> new Cond.Unknown(text);
            case "--limit", "--connlimit-upto", "--hashlimit-upto", "--hashlimit" -> new Cond.Rate(Tri.TRUE.negateIf(neg), text);
            case "--connlimit-above", "--hashlimit-above" -> new Cond.Rate(Tri.FALSE.negateIf(neg), text);
            case "--invert" -> r.modules().contains("rpfilter") ? new Cond.Fixed(Tri.FALSE.negateIf(neg), text) : new Cond.Unknown(text);
            case "-s", "--ctorigsrc", "--ctrepldst" -> test(Sel.SRC, addresses(v), neg, text);
            case "-d", "--ctreplsrc" -> test(Sel.DST, addresses(v), neg, text);
            case "--ctorigdst" -> test(Sel.ORIG_DST, addresses(v), neg, text);
            case "--src-range" -> test(Sel.SRC, List.of(Atom.address(v)), neg, text);
            case "--dst-range" -> test(Sel.DST, List.of(Atom.address(v)), neg, text);
            case "-i" -> test(Sel.IIF, List.of(Atom.iface(v)), neg, text);
            case "-o" -> test(Sel.OIF, List.of(Atom.iface(v)), neg, text);
            case "-p", "--ctproto" -> test(Sel.L4PROTO, List.of(Atom.protocol(v)), neg, text);
            case "--syn" -> test(Sel.L4PROTO, List.of(Atom.protocol("tcp")), neg, text);
            case "--icmp-type", "--icmpv6-type" -> test(Sel.L4PROTO, List.of(Atom.protocol("icmp")), neg, text);
            case "-f" -> new Cond.Fixed(Tri.FALSE.negateIf(neg), text);
            case "--dport", "--destination-port" -> test(Sel.DPORT, List.of(Atom.port(v)), neg, text);
            case "--dports", "--destination-ports" -> test(Sel.DPORT, ports(v), neg, text);
            case "--sport", "--source-port", "--sports", "--source-ports" -> test(Sel.SPORT, ports(v), neg, text);
            case "--ports" -> test(Sel.EITHER_PORT, ports(v), neg, text);
            case "--ctorigdstport" -> test(Sel.ORIG_DPORT, List.of(Atom.port(v)), neg, text);
            case "--ctorigsrcport", "--ctreplsrcport", "--ctrepldstport" -> new Cond.Unknown(text);
            case "--tcp-flags" -> flags(o, text);
            case "--ctstate", "--state" -> test(Sel.CT_STATE, words(v), neg, text);
            case "--dst-type" -> test(Sel.DADDR_TYPE, words(v), neg, text);
            case "--src-type" -> test(Sel.SADDR_TYPE, words(v), neg, text);
            case "--pkt-type" -> test(Sel.PKT_TYPE, words(v), neg, text);
            case "--mark" -> test("connmark".equals(o.module()) ? Sel.CT_MARK : Sel.MARK, List.of(Atom.mark(v)), neg, text);
            // the first packet of a connection carries no routing header
            case "--rt-type", "--rt-segsleft", "--rt-len", "--rt-0-res", "--rt-0-addrs", "--rt-0-not-strict" ->
                    new Cond.Fixed(Tri.FALSE.negateIf(neg), text);
            default -> new Cond.Unknown(text);
        };
    }

    private static Cond test(Sel sel, List<Atom> atoms, boolean neg, String text) {
        return new Cond.Test(sel, atoms, neg, text);
    }

    private static Cond flags(Iptables.Option o, String text) {
        List<String> vs = o.values();
        int mask = vs.size() < 2 ? -1 : TcpFlags.parse(vs.get(0));
        int comp = vs.size() < 2 ? -1 : TcpFlags.parse(vs.get(1));
        if (mask < 0 || comp < 0) {
            return new Cond.Unknown(text, 0, Cond.Gate.TCP);
        }
        return new Cond.Flags(mask, comp, false, o.negated(), text);
    }

    /** {@code -s 10.0.0.0/8,192.168.0.0/16}: each network; a host name is unknown. */
    static List<Atom> addresses(@Nullable String spec) {
        List<Atom> out = new ArrayList<>();
        for (String part : (spec == null ? "" : spec).split(",")) {
            out.add(Atom.address(part));
        }
        return out;
    }

    /** {@code 80,443,8000:8100}: each port or range. */
    static List<Atom> ports(@Nullable String spec) {
        List<Atom> out = new ArrayList<>();
        for (String part : (spec == null ? "" : spec).split(",")) {
            out.add(Atom.port(part));
        }
        return out;
    }

    private static List<Atom> words(@Nullable String spec) {
        if (spec == null) {
            return List.of(new Atom.Bad(""));
        }
        List<Atom> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            out.add(Atom.word(part));
        }
        return out;
    }

    /** The target with its options. */
    private static Stmt stmt(Iptables.Rule r) {
        String t = r.target();
        if (t == null) {
            return new Stmt.None();
        }
        return switch (t) {
            case "ACCEPT" -> new Stmt.Accept();
            case "DROP" -> new Stmt.Drop();
            case "REJECT" -> new Stmt.Reject("tcp-reset".equals(r.targetOption("--reject-with")));
            case "RETURN" -> new Stmt.Return();
            case "DNAT" -> dnat(r.targetOption("--to-destination"));
            case "REDIRECT" -> {
                String ports = r.targetOption("--to-ports");
                int port = ports == null ? 0 : (int) number(ports.split("[-:]")[0], 0);
                yield new Stmt.Dnat(null, port);
            }
            case "MARK" -> {
                List<Stmt.MarkOp> ops = new ArrayList<>();
                for (Iptables.Option o : r.targetOptions()) {
                    if (o.value() != null && Atom.mark(o.value()) instanceof Atom.Num m) {
                        ops.add(new Stmt.MarkOp(o.name(), m.value(), m.mask()));
                    }
                }
                yield new Stmt.SetMark(ops);
            }
            default -> NON_TERMINAL.contains(t) ? new Stmt.Other(t) : new Stmt.Jump(t, r.isGoto());
        };
    }

    /** {@code 10.17.0.2:8000}, {@code 10.17.0.2}, {@code [fd00::2]:8000}, {@code 10.17.0.2-10.17.0.5:80-90}. */
    static Stmt dnat(@Nullable String to) {
        if (to == null) {
            return new Stmt.Unknown("DNAT without --to-destination");
        }
        String addr = to;
        String port = null;
        if (to.startsWith("[")) {
            int close = to.indexOf(']');
            if (close < 0) {
                return new Stmt.Unknown("DNAT --to-destination " + to);
            }
            addr = to.substring(1, close);
            if (close + 1 < to.length() && to.charAt(close + 1) == ':') {
                port = to.substring(close + 2);
            }
        } else if (to.indexOf(':') >= 0 && to.indexOf(':') == to.lastIndexOf(':')) {
            addr = to.substring(0, to.indexOf(':'));
            port = to.substring(to.indexOf(':') + 1);
        }
        if (addr.indexOf('-') > 0) {
            addr = addr.substring(0, addr.indexOf('-'));
        }
        try {
            Address a = addr.isEmpty() ? null : Address.parse(addr);
            int prt = port == null ? 0 : Services.port(port.split("-")[0]);
            return prt < 0 ? new Stmt.Unknown("DNAT --to-destination " + to) : new Stmt.Dnat(a, prt);
        } catch (IllegalArgumentException e) {
            return new Stmt.Unknown("DNAT --to-destination " + to);
        }
    }

    private static double number(String s, double otherwise) {
        try {
            return Double.parseDouble(s.trim());
        } catch (RuntimeException e) {
            return otherwise;
        }
    }
}
