package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.aiscan.host.Nft;
import org.aiscan.model.Address;
import org.aiscan.model.EvidenceLine;
import org.aiscan.host.Services;
import org.jspecify.annotations.Nullable;

/**
 * Reads one nftables rule, as {@code nft list ruleset} prints it, into {@link FwRule}'s typed matches
 * and verdict, once per snapshot: the selectors it knows ({@code ip saddr}, {@code tcp dport},
 * {@code iifname}, {@code ct state}, {@code fib daddr type}, {@code meta l4proto}, concatenations
 * looked up in sets, maps and verdict maps, {@code numgen}) and the statements that follow (counter,
 * log, limit, dnat, the verdict). Any other expression is {@link Cond.Unknown}; the verdict is still
 * read from the end of the rule. Named sets are resolved against the rule's table here.
 */
final class NftCompiler {
    private static final Set<String> OPS = Set.of("==", "!=", "eq", "ne", "<", ">", "<=", ">=", "lt", "gt", "le", "ge");
    private static final Set<String> ORDERED = Set.of("<", ">", "<=", ">=", "lt", "gt", "le", "ge");
    private static final Set<String> LOG_OPTS = Set.of("prefix", "level", "group", "snaplen", "queue-threshold", "flags");
    private static final Set<String> VERDICTS = Set.of("accept", "drop", "reject", "return", "continue", "jump", "goto", "dnat",
            "redirect", "queue");
    private static final Set<String> NAT_FLAGS = Set.of("random", "persistent", "fully-random");
    private static final Set<String> BIT_OPS = Set.of("|", "&", "^", "<<", ">>", "or", "and", "xor");

    private final List<String> tok;
    private final Nft.Table table;
    private final List<Cond> conds = new ArrayList<>();
    private int i;
    private boolean explicitPort;
    private boolean sourceRestricted;
    private Stmt stmt = new Stmt.None();

    private NftCompiler(Nft.Rule rule, Nft.Table table) {
        this.tok = rule.tokens();
        this.table = table;
    }

    static FwRule compile(Nft.Rule rule, Nft.Table table) {
        NftCompiler c = new NftCompiler(rule, table);
        c.run();
        return new FwRule(new EvidenceLine("nft", rule.line(), rule.text().trim()), c.conds, c.stmt, c.explicitPort, c.sourceRestricted);
    }

    private String peek(int k) {
        return i + k < tok.size() ? tok.get(i + k) : "";
    }

    private String next() {
        return i < tok.size() ? tok.get(i++) : "";
    }

    /** The tokens from {@code from} to the current position, as the rule writes them. */
    private String since(int from) {
        return String.join(" ", tok.subList(Math.min(from, tok.size()), Math.min(i, tok.size())));
    }

    /** An expression not understood: unknown; the verdict is the last verdict keyword of the rule. */
    private void giveUp(String what) {
        conds.add(new Cond.Unknown(what));
        for (int k = tok.size() - 1; k >= i; k--) {
            String t = tok.get(k);
            if (VERDICTS.contains(t) && (k == 0 || !tok.get(k - 1).equals(":"))) {
                i = k;
                statement();
                break;
            }
        }
        i = tok.size();
    }

    private void run() {
        while (i < tok.size()) {
            String t = peek(0);
            int len = selectorLength(i);
            if (len > 0 && i + len < tok.size() && tok.get(i + len).equals(".")) {
                concatenation();
                continue;
            }
            switch (t) {
                case "counter" -> {
                    i++;
                    if (peek(0).equals("packets")) {
                        i += 4;
                    } else if (peek(0).equals("name")) {
                        i += 2;
                    }
                }
                case "comment" -> i += 2;
                case "log" -> {
                    i++;
                    while (LOG_OPTS.contains(peek(0))) {
                        i += 2;
                        while (peek(0).equals(",")) {
                            i += 2;
                        }
                    }
                }
                case "limit" -> limit();
                case "notrack", "masquerade" -> {
                    i++;
                    natFlags();
                }
                case "snat" -> {
                    i++;
                    if (peek(0).equals("ip") || peek(0).equals("ip6")) {
                        i++;
                    }
                    if (peek(0).equals("to")) {
                        i += 2;
                    }
                    natFlags();
                }
                case "meter" -> {
                    int from = i;
                    i += 2;
                    if (peek(0).equals("size")) {
                        i += 2;
                    }
                    dynamicSet(from);
                }
                case "add", "update" -> {
                    if (peek(1).startsWith("@")) {
                        int from = i;
                        i += 2;
                        dynamicSet(from);
                    } else {
                        giveUp(t);
                    }
                }
                case "ip", "ip6" -> ipExpr(t);
                case "tcp", "udp", "th", "sctp", "udplite" -> transport(t);
                case "meta" -> {
                    int from = i;
                    i++;
                    meta(next(), from);
                }
                case "iif", "iifname", "oif", "oifname", "mark", "l4proto", "nfproto", "pkttype" -> meta(next(), i - 1);
                case "ct" -> ct();
                case "fib" -> fib();
                case "icmp", "icmpv6", "igmp" -> {
                    int from = i;
                    i += 2;
                    value(Atom::word); // read past it
                    conds.add(new Cond.Test(Sel.L4PROTO, List.of(Atom.protocol("icmp")), false, since(from)));
                }
                case "rt", "rt0", "srh", "hbh", "frag", "dst", "mh" -> {
                    int from = i;
                    i += 2;
                    value(Atom::word); // read past it
                    conds.add(new Cond.Fixed(Tri.FALSE, since(from))); // a connection's first packet carries no such header
                }
                case "xt" -> giveUp("xt " + peek(1) + " " + peek(2));
                case "numgen" -> numgen();
                default -> {
                    if (VERDICTS.contains(t)) {
                        statement();
                    } else {
                        giveUp(t);
                    }
                }
            }
        }
    }

    private void natFlags() {
        while (NAT_FLAGS.contains(peek(0))) {
            i++;
        }
    }

    /** A verdict or a NAT statement. */
    private void statement() {
        String t = next();
        switch (t) {
            case "accept" -> stmt = new Stmt.Accept();
            case "drop" -> stmt = new Stmt.Drop();
            case "return" -> stmt = new Stmt.Return();
            case "continue" -> stmt = new Stmt.Continue();
            case "queue" -> stmt = new Stmt.Unknown("queue");
            case "reject" -> {
                boolean reset = false;
                if (peek(0).equals("with")) {
                    i++;
                    String fam = next();
                    if (fam.equals("tcp")) {
                        reset = peek(0).equals("reset");
                        i++;
                    } else {
                        if (peek(0).equals("type")) {
                            i++;
                        }
                        i++;
                    }
                }
                stmt = new Stmt.Reject(reset);
            }
            case "jump", "goto" -> stmt = new Stmt.Jump(next(), t.equals("goto"));
            case "dnat", "redirect" -> {
                if (peek(0).equals("ip") || peek(0).equals("ip6")) {
                    i++;
                }
                if (peek(0).equals("to")) {
                    i++;
                }
                String to = t.equals("redirect") && !peek(0).startsWith(":") ? "" : next();
                stmt = t.equals("redirect") ? redirect(to) : dnat(to);
                natFlags();
            }
            default -> giveUp(t);
        }
    }

    private static Stmt redirect(String to) {
        if (to.isEmpty()) {
            return new Stmt.Dnat(null, 0);
        }
        int port = Services.port(to.substring(1));
        return port < 0 ? new Stmt.Unknown("redirect to " + to) : new Stmt.Dnat(null, port);
    }

    /** {@code 10.0.0.1:80}, {@code [fd00::1]:80}, {@code :8080}, {@code 10.0.0.1}, a range's first address. */
    private static Stmt dnat(String to) {
        String addr = to;
        String prt = null;
        if (to.startsWith("[")) {
            int close = to.indexOf(']');
            addr = to.substring(1, Math.max(1, close));
            if (close > 0 && close + 1 < to.length() && to.charAt(close + 1) == ':') {
                prt = to.substring(close + 2);
            }
        } else if (to.startsWith(":")) {
            addr = "";
            prt = to.substring(1);
        } else if (to.indexOf(':') > 0 && to.indexOf(':') == to.lastIndexOf(':')) {
            addr = to.substring(0, to.indexOf(':'));
            prt = to.substring(to.indexOf(':') + 1);
        }
        try {
            Address a = addr.isEmpty() ? null : Address.parse(addr.contains("-") ? addr.substring(0, addr.indexOf('-')) : addr);
            int port = prt == null ? 0 : Services.port(prt.split("-")[0]);
            return port < 0 ? new Stmt.Unknown("dnat to " + to) : new Stmt.Dnat(a, port);
        } catch (IllegalArgumentException e) {
            return new Stmt.Unknown("dnat to " + to);
        }
    }

    /** {@code limit rate [over] N/unit [burst N packets|bytes]}. */
    private void limit() {
        int from = i;
        i++;
        if (peek(0).equals("rate")) {
            i++;
        }
        boolean over = false;
        if (peek(0).equals("over")) {
            over = true;
            i++;
        }
        i++; // N/unit
        if (peek(0).equals("bytes") || peek(0).equals("kbytes") || peek(0).equals("mbytes")) {
            i++;
        }
        if (peek(0).equals("burst")) {
            i += 2;
            if (peek(0).equals("packets") || peek(0).endsWith("bytes")) {
                i++;
            }
        }
        conds.add(new Cond.Rate(over ? Tri.FALSE : Tri.TRUE, since(from)));
    }

    /** {@code { ip saddr timeout 10s limit rate over 10/second }} after meter or add/update @set. */
    private void dynamicSet(int from) {
        if (!peek(0).equals("{")) {
            giveUp("set statement");
            return;
        }
        int depth = 0;
        boolean over = false;
        boolean limited = false;
        while (i < tok.size()) {
            String t = next();
            if (t.equals("{")) {
                depth++;
            } else if (t.equals("}")) {
                if (--depth == 0) {
                    break;
                }
            } else if (t.equals("over")) {
                over = true;
            } else if (t.equals("limit") || t.equals("count")) {
                limited = true;
            }
        }
        if (limited) {
            conds.add(new Cond.Rate(over ? Tri.FALSE : Tri.TRUE, since(from)));
        }
    }

    private void ipExpr(String fam) {
        int from = i;
        i++;
        int family = fam.equals("ip") ? 4 : 6;
        String field = next();
        switch (field) {
            case "saddr", "daddr" -> {
                if (field.equals("saddr") && !peek(0).equals("!=")) {
                    sourceRestricted = true;
                }
                if (peek(0).equals("vmap")) {
                    giveUp("address vmap");
                    return;
                }
                add(field.equals("saddr") ? Sel.SRC : Sel.DST, family, Cond.Gate.NONE, Atom::address, from);
            }
            case "protocol", "nexthdr" -> add(Sel.L4PROTO, family, Cond.Gate.NONE, Atom::protocol, from);
            default -> {
                value(Atom::word); // read past it
                conds.add(new Cond.Unknown(since(from), family, Cond.Gate.NONE));
            }
        }
    }

    private static Cond.Gate gate(String proto) {
        return switch (proto) {
            case "tcp" -> Cond.Gate.TCP;
            case "udp" -> Cond.Gate.UDP;
            case "th" -> Cond.Gate.TCP_OR_UDP;
            default -> Cond.Gate.OTHER;
        };
    }

    private void transport(String proto) {
        int from = i;
        i++;
        Cond.Gate gate = gate(proto);
        String field = next();
        switch (field) {
            case "dport", "sport" -> {
                if (field.equals("dport") && !peek(0).equals("!=")) {
                    explicitPort = true;
                }
                if (peek(0).equals("vmap")) {
                    giveUp("port vmap");
                    return;
                }
                add(field.equals("dport") ? Sel.DPORT : Sel.SPORT, 0, gate, Atom::port, from);
            }
            case "flags" -> {
                if (peek(0).equals("&")) {
                    i++;
                    int mask = TcpFlags.parse(next());
                    String op = OPS.contains(peek(0)) ? next() : "==";
                    int val = TcpFlags.parse(next());
                    boolean ne = !(op.equals("==") || op.equals("eq"));
                    conds.add(mask < 0 || val < 0 ? new Cond.Unknown(since(from), 0, gate) : new Cond.Flags(mask, val, false, ne, since(from)));
                } else {
                    Value v = value(Atom::word);
                    int any = 0;
                    boolean bad = false;
                    for (String x : v.items) {
                        int f = TcpFlags.parse(x);
                        bad |= f < 0;
                        any |= Math.max(0, f);
                    }
                    conds.add(bad && (any & TcpFlags.SYN) == 0 ? new Cond.Unknown(since(from), 0, gate)
                            : new Cond.Flags(any, 0, true, v.negated, since(from)));
                }
            }
            default -> {
                value(Atom::word); // read past it
                conds.add(new Cond.Unknown(since(from), 0, gate));
            }
        }
    }

    private void meta(String key, int from) {
        if (peek(0).equals("set")) {
            i++; // meta mark set 0x1, meta mark set meta mark | 0x4000: a statement
            skipExpression();
            return;
        }
        switch (key) {
            case "iif", "iifname", "oif", "oifname" -> {
                Sel sel = key.startsWith("i") ? Sel.IIF : Sel.OIF;
                if (peek(0).equals("vmap")) {
                    i++;
                    vmap(List.of(new Cond.Part(sel, 0, Cond.Gate.NONE)), Atom::iface, false, from);
                    return;
                }
                add(sel, 0, Cond.Gate.NONE, Atom::iface, from);
            }
            case "l4proto" -> add(Sel.L4PROTO, 0, Cond.Gate.NONE, Atom::protocol, from);
            case "protocol" -> add(Sel.L3PROTO, 0, Cond.Gate.NONE, Atom::word, from);
            case "nfproto" -> add(Sel.NFPROTO, 0, Cond.Gate.NONE, Atom::word, from);
            case "mark" -> mark(Sel.MARK, from);
            case "pkttype" -> add(Sel.PKT_TYPE, 0, Cond.Gate.NONE, Atom::word, from);
            default -> {
                value(Atom::word); // read past it
                conds.add(new Cond.Unknown(since(from)));
            }
        }
    }

    /** {@code meta mark 0x1}, {@code meta mark & 0x4000 == 0x4000}, {@code ct mark != 0x0}. */
    private void mark(Sel sel, int from) {
        long mask = 0xFFFF_FFFFL;
        if (peek(0).equals("&") || peek(0).equals("and")) {
            i++;
            Atom m = Atom.mark(next());
            if (!(m instanceof Atom.Num n)) {
                value(Atom::word); // read past it
                conds.add(new Cond.Unknown(since(from)));
                return;
            }
            mask = n.value();
        }
        long within = mask;
        add(sel, 0, Cond.Gate.NONE, s -> Atom.mark(s) instanceof Atom.Num n ? new Atom.Num(n.value(), within) : new Atom.Bad(s), from);
    }

    private void ct() {
        int from = i;
        i++;
        String key = next();
        if (peek(0).equals("set")) {
            i++;
            skipExpression();
            return;
        }
        switch (key) {
            case "state", "status" -> add(Sel.CT_STATE, 0, Cond.Gate.NONE, Atom::word, from);
            case "direction" -> add(Sel.CT_DIRECTION, 0, Cond.Gate.NONE, Atom::word, from);
            case "mark" -> mark(Sel.CT_MARK, from);
            case "count" -> {
                boolean over = false;
                if (peek(0).equals("over")) {
                    over = true;
                    i++;
                }
                i++;
                conds.add(new Cond.Rate(over ? Tri.FALSE : Tri.TRUE, since(from)));
            }
            case "original", "reply" -> {
                boolean original = key.equals("original");
                String f = next();
                if (f.equals("ip") || f.equals("ip6")) {
                    f = next();
                }
                switch (f) {
                    case "proto-dst" -> {
                        if (original && !peek(0).equals("!=")) {
                            explicitPort = true;
                        }
                        if (original) {
                            add(Sel.ORIG_DPORT, 0, Cond.Gate.NONE, Atom::port, from);
                        } else {
                            value(Atom::word); // read past it
                            conds.add(new Cond.Unknown(since(from)));
                        }
                    }
                    // the reply's destination is the scanner, its source the host
                    case "daddr" -> add(original ? Sel.ORIG_DST : Sel.SRC, 0, Cond.Gate.NONE, Atom::address, from);
                    case "saddr" -> add(original ? Sel.SRC : Sel.DST, 0, Cond.Gate.NONE, Atom::address, from);
                    default -> {
                        value(Atom::word); // read past it
                        conds.add(new Cond.Unknown(since(from)));
                    }
                }
            }
            default -> {
                value(Atom::word); // read past it
                conds.add(new Cond.Unknown(since(from)));
            }
        }
    }

    /** {@code fib daddr type local}, {@code fib saddr . iif oif missing}, … */
    private void fib() {
        int from = i;
        i++;
        List<String> keys = new ArrayList<>();
        while (i < tok.size() && !Set.of("type", "oif", "oifname").contains(peek(0))) {
            keys.add(next());
        }
        String result = next();
        if (result.equals("type") && keys.equals(List.of("daddr"))) {
            add(Sel.DADDR_TYPE, 0, Cond.Gate.NONE, Atom::word, from);
        } else if (result.equals("type") && keys.equals(List.of("saddr"))) {
            add(Sel.SADDR_TYPE, 0, Cond.Gate.NONE, Atom::word, from);
        } else if ((result.equals("oif") || result.equals("oifname")) && keys.contains("saddr")) {
            add(Sel.RPF, 0, Cond.Gate.NONE, Atom::word, from); // reverse path: the scanner's address routes back
        } else {
            value(Atom::word); // read past it
            conds.add(new Cond.Unknown(since(from)));
        }
    }

    /** A selector compared with a value: one item, a list, an inline set or a named set. */
    private void add(Sel sel, int family, Cond.Gate gate, Function<String, Atom> read, int from) {
        Value v = value(read);
        conds.add(new Cond.Test(sel, family, gate, v.atoms, v.negated, v.ordered, since(from)));
    }

    /** A verdict map on one selector or a concatenation: {@code iifname vmap @map}, {@code ip daddr . th dport vmap @m}. */
    private void vmap(List<Cond.Part> parts, Function<String, Atom> readOne, boolean citeMap, int from) {
        String named = peek(0).startsWith("@") ? peek(0).substring(1) : null;
        List<Cond.Element> elements = elements(parts, List.of(readOne));
        if (elements == null) {
            giveUp(named != null ? "vmap set" : "vmap");
            return;
        }
        conds.add(new Cond.Lookup(parts, elements, true, false, citeMap ? named : null, since(from)));
    }

    /** The value of a set statement: an operand ({@code 0x1}, {@code meta mark}, {@code ct mark}), then any {@code | & ^ << >>} operand. */
    private void skipExpression() {
        do {
            String t = next();
            if (t.equals("meta") || t.equals("ct")) {
                i++;
            }
        } while (BIT_OPS.contains(peek(0)) && ++i > 0);
    }

    /**
     * The number of tokens of a selector that can take part in a concatenation at {@code at}
     * ({@code ip daddr}, {@code meta l4proto}, {@code th dport}, {@code iifname}), or 0.
     */
    private int selectorLength(int at) {
        String t = at < tok.size() ? tok.get(at) : "";
        String f = at + 1 < tok.size() ? tok.get(at + 1) : "";
        return switch (t) {
            case "ip", "ip6" -> f.equals("saddr") || f.equals("daddr") ? 2 : 0;
            case "tcp", "udp", "th", "sctp", "udplite" -> f.equals("dport") || f.equals("sport") ? 2 : 0;
            case "meta" -> Set.of("l4proto", "nfproto", "iifname", "oifname", "iif", "oif", "mark", "protocol").contains(f) ? 2 : 0;
            case "iifname", "oifname", "iif", "oif", "l4proto", "nfproto", "mark" -> 1;
            default -> 0;
        };
    }

    /** A selector of a concatenation and how an element's part is read for it. */
    private record Key(Cond.Part part, Function<String, Atom> read) {
    }

    /** The selector of a concatenation at {@link #i} (consumed), or null for one this class does not read. */
    private @Nullable Key selector() {
        int len = selectorLength(i);
        String a = tok.get(i);
        String b = len == 2 ? tok.get(i + 1) : a;
        i += len;
        switch (a) {
            case "ip", "ip6" -> {
                if (b.equals("saddr")) {
                    sourceRestricted = true;
                }
                return new Key(new Cond.Part(b.equals("saddr") ? Sel.SRC : Sel.DST, a.equals("ip") ? 4 : 6, Cond.Gate.NONE), Atom::address);
            }
            case "tcp", "udp", "th", "sctp", "udplite" -> {
                if (b.equals("dport")) {
                    explicitPort = true;
                }
                return new Key(new Cond.Part(b.equals("dport") ? Sel.DPORT : Sel.SPORT, 0, gate(a)), Atom::port);
            }
            default -> {
                return switch (b) {
                    case "l4proto" -> new Key(new Cond.Part(Sel.L4PROTO, 0, Cond.Gate.NONE), Atom::protocol);
                    case "protocol" -> new Key(new Cond.Part(Sel.L3PROTO, 0, Cond.Gate.NONE), Atom::word);
                    case "nfproto" -> new Key(new Cond.Part(Sel.NFPROTO, 0, Cond.Gate.NONE), Atom::word);
                    case "iifname", "iif", "oifname", "oif" -> new Key(new Cond.Part(b.startsWith("i") ? Sel.IIF : Sel.OIF, 0,
                            Cond.Gate.NONE), Atom::iface);
                    case "mark" -> new Key(new Cond.Part(Sel.MARK, 0, Cond.Gate.NONE), Atom::mark);
                    default -> null;
                };
            }
        }
    }

    /**
     * A concatenation of selectors ({@code ip daddr . meta l4proto . th dport}) looked up in a verdict
     * map ({@code vmap @service-ips}, kube-proxy's nftables mode), a set or an inline set.
     */
    private void concatenation() {
        int from = i;
        List<Cond.Part> parts = new ArrayList<>();
        List<Function<String, Atom>> reads = new ArrayList<>();
        while (true) {
            Key k = selector();
            if (k == null) {
                giveUp("concatenation");
                return;
            }
            parts.add(k.part());
            reads.add(k.read());
            if (!peek(0).equals(".") || selectorLength(i + 1) == 0) {
                break;
            }
            i++;
        }
        boolean vmap = peek(0).equals("vmap");
        boolean negated = false;
        if (vmap) {
            i++;
        } else if (OPS.contains(peek(0))) {
            String op = next();
            negated = op.equals("!=") || op.equals("ne");
        }
        String named = peek(0).startsWith("@") ? peek(0).substring(1) : null;
        List<Cond.Element> elements = elements(parts, reads);
        if (elements == null) {
            giveUp(vmap ? "vmap" : "concatenation");
            return;
        }
        conds.add(new Cond.Lookup(parts, elements, vmap, negated, vmap ? named : null, since(from)));
    }

    /** {@code numgen random|inc mod N [offset K] vmap {…}}: one endpoint of several. */
    private void numgen() {
        int from = i;
        i += 2; // numgen random|inc
        if (!peek(0).equals("mod")) {
            giveUp("numgen");
            return;
        }
        i += 2;
        long offset = 0;
        if (peek(0).equals("offset")) {
            i++;
            offset = Atom.mark(next()) instanceof Atom.Num n ? n.value() : -1;
        }
        if (!peek(0).equals("vmap")) {
            giveUp("numgen");
            return;
        }
        i++;
        String named = peek(0).startsWith("@") ? peek(0).substring(1) : null;
        List<Cond.Element> elements = elements(List.of(new Cond.Part(Sel.MARK, 0, Cond.Gate.NONE)), List.of(Atom::mark));
        if (elements == null) {
            giveUp("numgen vmap");
            return;
        }
        conds.add(new Cond.Numgen(offset, elements, named, since(from)));
    }

    /**
     * The elements of the named set or map at {@link #i}, or of the inline one ({@code { a : b, c : d }}),
     * each key read part by part; null when there is none to read. An element whose key has another
     * number of parts than the selectors is kept with an unreadable key (unknown, never false).
     */
    private @Nullable List<Cond.Element> elements(List<Cond.Part> parts, List<Function<String, Atom>> reads) {
        List<String> raw;
        Nft.NamedSet named = null;
        if (peek(0).startsWith("@")) {
            named = set(next().substring(1));
            if (named == null) {
                return null;
            }
            raw = named.elements();
        } else if (peek(0).equals("{")) {
            raw = new ArrayList<>();
            i++;
            StringBuilder cur = new StringBuilder();
            while (i < tok.size() && !peek(0).equals("}")) {
                String t = next();
                if (t.equals(",")) {
                    raw.add(cur.toString().trim());
                    cur.setLength(0);
                } else {
                    cur.append(t).append(' ');
                }
            }
            i++;
            if (cur.length() > 0) {
                raw.add(cur.toString().trim());
            }
        } else {
            return null;
        }
        List<Cond.Element> out = new ArrayList<>();
        for (String el : raw) {
            int colon = el.lastIndexOf(" : ");
            String[] xs = keyParts(el);
            List<Atom> key = new ArrayList<>();
            if (xs.length == parts.size()) {
                for (int k = 0; k < xs.length; k++) {
                    key.add(reads.get(reads.size() == 1 ? 0 : k).apply(xs[k].trim()));
                }
            } else {
                key.add(new Atom.Bad(el));
            }
            Stmt verdict = colon < 0 ? null : verdict(el.substring(colon + 3).trim());
            EvidenceLine cite = named == null ? null : new EvidenceLine("nft", named.line(), named.kind() + " " + named.name() + ": " + el);
            out.add(new Cond.Element(key.size() == parts.size() ? key : padBad(key, parts.size()), verdict, cite));
        }
        return out;
    }

    /** A key that could not be split as the selectors are: as many unreadable parts as there are selectors. */
    private static List<Atom> padBad(List<Atom> key, int n) {
        List<Atom> out = new ArrayList<>(key);
        while (out.size() < n) {
            out.add(out.get(0));
        }
        return out;
    }

    /** The parts of a set or map element's key ({@code 10.43.0.10 . tcp . 53} of {@code 10.43.0.10 . tcp . 53 comment "…" : goto …}). */
    static String[] keyParts(String element) {
        int colon = element.lastIndexOf(" : ");
        return stripAnnotations(colon < 0 ? element : element.substring(0, colon)).split("\\s+\\.\\s+");
    }

    /** An element's key without what nft prints beside it: {@code comment "…"}, {@code timeout 1h}, {@code expires 3m}, counters. */
    private static String stripAnnotations(String key) {
        return key.replaceAll("\\s+comment\\s+\"[^\"]*\"", "").replaceAll("\\s+(timeout|expires)\\s+\\S+", "")
                .replaceAll("\\s+counter packets \\d+ bytes \\d+", "").trim();
    }

    /** The verdict of a map element: {@code goto chain}, {@code jump chain}, {@code accept}, … */
    private static Stmt verdict(String v) {
        String[] w = v.isEmpty() ? new String[0] : v.split("\\s+");
        if (w.length == 0) {
            return new Stmt.Unknown("an element without a verdict");
        }
        return switch (w[0]) {
            case "accept" -> new Stmt.Accept();
            case "drop" -> new Stmt.Drop();
            case "return" -> new Stmt.Return();
            case "continue" -> new Stmt.Continue();
            case "jump", "goto" -> w.length > 1 ? new Stmt.Jump(Atom.unquote(w[1]), w[0].equals("goto")) : new Stmt.Unknown(v);
            default -> new Stmt.Unknown(v);
        };
    }

    private Nft.@Nullable NamedSet set(String name) {
        for (Nft.NamedSet s : table.sets()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** A value after a selector: an optional operator, then one item (with comma continuations), a {set} or an @named set. */
    private static final class Value {
        final List<String> items = new ArrayList<>();
        final List<Atom> atoms = new ArrayList<>();
        boolean negated;
        boolean ordered;
    }

    private Value value(Function<String, Atom> read) {
        Value v = new Value();
        if (OPS.contains(peek(0))) {
            String op = next();
            v.negated = op.equals("!=") || op.equals("ne");
            v.ordered = ORDERED.contains(op);
        }
        boolean unreadable = false;
        String t = next();
        if (t.equals("{")) {
            while (i < tok.size() && !peek(0).equals("}")) {
                String x = next();
                if (x.equals(",")) {
                    continue;
                }
                unreadable |= x.equals(".") || x.equals(":");
                v.items.add(Atom.unquote(x));
            }
            i++;
        } else if (t.startsWith("@")) {
            Nft.NamedSet s = set(t.substring(1));
            if (s == null) {
                unreadable = true;
            } else {
                for (String el : s.elements()) {
                    unreadable |= el.contains(" . ") || el.contains(" : ");
                    v.items.add(Atom.unquote(el.trim()));
                }
            }
        } else {
            v.items.add(Atom.unquote(t));
            while (peek(0).equals(",")) {
                i++;
                v.items.add(Atom.unquote(next()));
            }
        }
        if (unreadable) {
            v.atoms.add(new Atom.Bad(t));
        } else {
            v.items.forEach(x -> v.atoms.add(read.apply(x)));
        }
        return v;
    }
}
