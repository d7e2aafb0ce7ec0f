package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.aiscan.host.Nft;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.EvidenceLine;

/**
 * Reads one nftables rule, as {@code nft list ruleset} prints it, against a packet: the selectors
 * it knows ({@code ip saddr}, {@code tcp dport}, {@code iifname}, {@code ct state},
 * {@code fib daddr type}, {@code meta l4proto}, verdict maps, named sets, …) and the statements that
 * follow (counter, log, limit, dnat, the verdict). Any other expression makes the match
 * {@link Tri#UNKNOWN}; the verdict is still read from the end of the rule.
 */
final class LegacyNftRuleEval {
    enum Action {
        NONE, ACCEPT, DROP, REJECT, RETURN, CONTINUE, JUMP, GOTO, DNAT, UNKNOWN
    }

    /**
     * The rule read against one packet.
     *
     * @param tri whether the rule's matches hold
     * @param action what it does when they hold
     * @param target the chain of a jump or goto
     * @param reset a reject answering with a TCP reset
     * @param natTo the DNAT address ({@code null} = unchanged), natPort the DNAT port (0 = unchanged)
     * @param rateLimited a rate-limiting expression (limit, ct count, meter, dynamic set) applies to this packet
     * @param unknown the first expression not understood, or null
     * @param map the named verdict map whose element gave the verdict ({@code service-nodeports}), or null
     * @param element that element, cited on the map's line ({@code map service-nodeports: tcp . 30000 : goto …}), or null
     */
    record Result(Tri tri, Action action, String target, boolean reset, Address natTo, int natPort, boolean rateLimited,
                  boolean explicitPort, boolean sourceRestricted, String unknown, String map, EvidenceLine element) {
    }

    private static final Set<String> OPS = Set.of("==", "!=", "eq", "ne", "<", ">", "<=", ">=", "lt", "gt", "le", "ge");
    private static final Set<String> LOG_OPTS = Set.of("prefix", "level", "group", "snaplen", "queue-threshold", "flags");
    private static final Set<String> VERDICTS = Set.of("accept", "drop", "reject", "return", "continue", "jump", "goto", "dnat",
            "redirect", "queue");

    private final List<String> tok;
    private final Nft.Table table;
    private final Packet p;
    private final HostModel host;
    private int i;
    private Tri tri = Tri.TRUE;
    private Tri rateless = Tri.TRUE;
    private boolean rate;
    private boolean explicitPort;
    private boolean sourceRestricted;
    private String unknown;
    private Action action = Action.NONE;
    private String target;
    private boolean reset;
    private Address natTo;
    private int natPort;
    private String map;
    private EvidenceLine element;

    private LegacyNftRuleEval(Nft.Rule rule, Nft.Table table, Packet p, HostModel host) {
        this.tok = rule.tokens();
        this.table = table;
        this.p = p;
        this.host = host;
    }

    static Result eval(Nft.Rule rule, Nft.Table table, Packet p, HostModel host) {
        LegacyNftRuleEval e = new LegacyNftRuleEval(rule, table, p, host);
        e.run();
        boolean rateApplies = e.rate && e.rateless != Tri.FALSE;
        return new Result(e.tri, e.action, e.target, e.reset, e.natTo, e.natPort, rateApplies, e.explicitPort, e.sourceRestricted,
                e.unknown, e.map, e.element);
    }

    private String peek(int k) {
        return i + k < tok.size() ? tok.get(i + k) : "";
    }

    private String next() {
        return i < tok.size() ? tok.get(i++) : "";
    }

    private void match(Tri t) {
        tri = tri.and(t);
        rateless = rateless.and(t);
    }

    private void rateMatch(Tri t) {
        rate = true;
        tri = tri.and(t);
    }

    private void giveUp(String what) {
        if (unknown == null) {
            unknown = what;
        }
        tri = tri.and(Tri.UNKNOWN);
        rateless = rateless.and(Tri.UNKNOWN);
        // the verdict is the last verdict keyword of the rule
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
        while (i < tok.size()) { // an unknown expression that was consumed leaves the match UNKNOWN; the verdict is still read
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
                case "notrack", "masquerade", "snat" -> {
                    if (t.equals("snat")) {
                        i++;
                        skipTo();
                    } else {
                        i++;
                    }
                    while (Set.of("random", "persistent", "fully-random").contains(peek(0))) {
                        i++;
                    }
                }
                case "meter" -> {
                    i += 2;
                    if (peek(0).equals("size")) {
                        i += 2;
                    }
                    dynamicSet();
                }
                case "add", "update" -> {
                    if (peek(1).startsWith("@")) {
                        i += 2;
                        dynamicSet();
                    } else {
                        giveUp(t);
                    }
                }
                case "ip", "ip6" -> ipExpr(t);
                case "tcp", "udp", "th", "sctp", "udplite" -> transport(t);
                case "meta" -> {
                    i++;
                    meta(next());
                }
                case "iif", "iifname", "oif", "oifname", "mark", "l4proto", "nfproto", "pkttype" -> meta(next());
                case "ct" -> {
                    i++;
                    ct();
                }
                case "fib" -> fib();
                case "icmp", "icmpv6", "igmp" -> {
                    i += 2;
                    value();
                    match(Tri.of(p.proto().startsWith("icmp") || p.proto().equals("ipv6-icmp")));
                }
                case "rt", "rt0", "srh", "hbh", "frag", "dst", "mh" -> {
                    i += 2;
                    value();
                    match(Tri.FALSE); // the first packet of a connection carries no such extension header
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

    /** A verdict or a NAT statement at {@link #i}. */
    private void statement() {
        String t = next();
        switch (t) {
            case "accept" -> action = Action.ACCEPT;
            case "drop" -> action = Action.DROP;
            case "return" -> action = Action.RETURN;
            case "continue" -> action = Action.CONTINUE;
            case "queue" -> action = Action.UNKNOWN;
            case "reject" -> {
                action = Action.REJECT;
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
            }
            case "jump", "goto" -> {
                action = t.equals("jump") ? Action.JUMP : Action.GOTO;
                target = next();
            }
            case "dnat", "redirect" -> {
                if (peek(0).equals("ip") || peek(0).equals("ip6")) {
                    i++;
                }
                if (peek(0).equals("to")) {
                    i++;
                }
                String to = next();
                action = Action.DNAT;
                if (t.equals("redirect")) {
                    natTo = p.dst();
                    natPort = to.startsWith(":") ? port(to.substring(1)) : p.dport();
                } else {
                    parseNatTarget(to);
                }
                while (Set.of("random", "persistent", "fully-random").contains(peek(0))) {
                    i++;
                }
            }
            default -> giveUp(t);
        }
    }

    private void parseNatTarget(String to) {
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
            natTo = addr.isEmpty() ? p.dst() : Address.parse(addr.contains("-") ? addr.substring(0, addr.indexOf('-')) : addr);
            natPort = prt == null ? p.dport() : port(prt.split("-")[0]);
        } catch (IllegalArgumentException e) {
            action = Action.UNKNOWN;
        }
    }

    private void skipTo() {
        if (peek(0).equals("ip") || peek(0).equals("ip6")) {
            i++;
        }
        if (peek(0).equals("to")) {
            i += 2;
        }
    }

    /** {@code limit rate [over] N/unit [burst N packets|bytes]}. */
    private void limit() {
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
        rateMatch(over ? Tri.FALSE : Tri.TRUE);
    }

    /** {@code { ip saddr timeout 10s limit rate over 10/second }} after meter or add/update @set. */
    private void dynamicSet() {
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
            rateMatch(over ? Tri.FALSE : Tri.TRUE);
        }
    }

    private void ipExpr(String fam) {
        i++;
        boolean famOk = fam.equals("ip") ? !p.dst().isV6() : p.dst().isV6();
        String field = next();
        switch (field) {
            case "saddr", "daddr" -> {
                Address a = field.equals("saddr") ? p.src() : p.dst();
                if (field.equals("saddr")) {
                    markSourceRestriction();
                }
                if (peek(0).equals("vmap")) {
                    giveUp("address vmap");
                    return;
                }
                Value v = value();
                match(famOk ? v.test(x -> addrIn(x, a)) : Tri.FALSE);
            }
            case "protocol", "nexthdr" -> {
                Value v = value();
                match(famOk ? v.test(this::protoIs) : Tri.FALSE);
            }
            default -> {
                value();
                match(famOk ? Tri.UNKNOWN : Tri.FALSE);
                if (famOk && unknown == null) {
                    unknown = fam + " " + field;
                }
            }
        }
    }

    private void markSourceRestriction() {
        if (!peek(0).equals("!=")) {
            sourceRestricted = true;
        }
    }

    private void transport(String proto) {
        i++;
        Tri protoOk = switch (proto) {
            case "tcp" -> Tri.of(p.proto().equals("tcp"));
            case "udp" -> Tri.of(p.proto().equals("udp"));
            case "th" -> Tri.of(p.proto().equals("tcp") || p.proto().equals("udp"));
            default -> Tri.FALSE;
        };
        String field = next();
        switch (field) {
            case "dport" -> {
                if (!peek(0).equals("!=")) {
                    explicitPort = true;
                }
                if (peek(0).equals("vmap")) {
                    giveUp("port vmap");
                    return;
                }
                Value v = value();
                match(protoOk.and(v.test(x -> portIn(x, p.dport()))));
            }
            case "sport" -> {
                Value v = value();
                match(protoOk.and(p.sport() == 0 ? Tri.UNKNOWN : v.test(x -> portIn(x, p.sport()))));
            }
            case "flags" -> {
                if (peek(0).equals("&")) {
                    i++;
                    int mask = TcpFlags.parse(next());
                    String op = OPS.contains(peek(0)) ? next() : "==";
                    int val = TcpFlags.parse(next());
                    Tri t = mask < 0 || val < 0 ? Tri.UNKNOWN : Tri.of(((TcpFlags.SYN & mask) == val) == (op.equals("==") || op.equals("eq")));
                    match(protoOk.and(t));
                } else {
                    Value v = value();
                    Tri t = Tri.FALSE;
                    for (String x : v.items) {
                        int f = TcpFlags.parse(x);
                        t = f < 0 ? Tri.UNKNOWN : (f & TcpFlags.SYN) != 0 ? Tri.TRUE : t;
                    }
                    match(protoOk.and(t.negateIf(v.negated)));
                }
            }
            default -> {
                value();
                match(protoOk.and(Tri.UNKNOWN));
                if (protoOk != Tri.FALSE && unknown == null) {
                    unknown = proto + " " + field;
                }
            }
        }
    }

    private void meta(String key) {
        if (peek(0).equals("set")) {
            i++; // meta mark set 0x1, meta mark set meta mark | 0x4000: a statement
            skipExpression();
            return;
        }
        switch (key) {
            case "iif", "iifname", "oif", "oifname" -> {
                String iface = key.startsWith("i") ? p.inIface() : p.outIface();
                if (peek(0).equals("vmap")) {
                    i++;
                    vmap(iface);
                    return;
                }
                Value v = value();
                match(iface == null ? Tri.UNKNOWN : v.test(x -> ifaceIs(x, iface)));
            }
            case "l4proto" -> match(value().test(this::protoIs));
            case "protocol" -> match(value().test(x -> Tri.of(x.equals(p.dst().isV6() ? "ip6" : "ip"))));
            case "nfproto" -> match(value().test(x -> Tri.of(x.equals(p.dst().isV6() ? "ipv6" : "ipv4"))));
            case "mark" -> match(value().test(x -> Tri.of(parseLong(x) == 0)));
            case "pkttype" -> match(value().test(x -> Tri.of(x.equals("host") || x.equals("unicast"))));
            default -> {
                value();
                match(Tri.UNKNOWN);
                if (unknown == null) {
                    unknown = "meta " + key;
                }
            }
        }
    }

    private void ct() {
        String key = next();
        if (peek(0).equals("set")) {
            i++;
            skipExpression();
            return;
        }
        switch (key) {
            case "state" -> match(value().test(x -> Tri.of(x.equals("new"))));
            case "status" -> match(value().test(x -> Tri.of(x.equals("dnat") && p.dnatted())));
            case "direction" -> match(value().test(x -> Tri.of(x.equals("original"))));
            case "mark" -> match(value().test(x -> Tri.of(parseLong(x) == 0)));
            case "count" -> {
                boolean over = false;
                if (peek(0).equals("over")) {
                    over = true;
                    i++;
                }
                i++;
                rateMatch(over ? Tri.FALSE : Tri.TRUE);
            }
            case "original", "reply" -> {
                boolean original = key.equals("original");
                String f = next();
                if (f.equals("ip") || f.equals("ip6")) {
                    f = next();
                }
                Value v = value();
                switch (f) {
                    case "proto-dst" -> {
                        if (original && !v.negated) {
                            explicitPort = true;
                        }
                        match(original ? v.test(x -> portIn(x, p.origDport())) : Tri.UNKNOWN);
                    }
                    case "daddr" -> match(v.test(x -> addrIn(x, original ? p.origDst() : p.src())));
                    case "saddr" -> match(v.test(x -> addrIn(x, original ? p.src() : p.dst())));
                    default -> match(Tri.UNKNOWN);
                }
            }
            default -> {
                value();
                match(Tri.UNKNOWN);
                if (unknown == null) {
                    unknown = "ct " + key;
                }
            }
        }
    }

    /** {@code fib daddr type local}, {@code fib saddr . iif oif missing}, … */
    private void fib() {
        i++;
        List<String> keys = new ArrayList<>();
        while (i < tok.size() && !Set.of("type", "oif", "oifname").contains(peek(0))) {
            keys.add(next());
        }
        String result = next();
        Value v = value();
        if (result.equals("type") && keys.equals(List.of("daddr"))) {
            String type = host.isLocal(p.dst()) ? "local" : multicast(p.dst()) ? "multicast" : "unicast";
            match(v.test(x -> Tri.of(x.equals(type))));
        } else if (result.equals("type") && keys.equals(List.of("saddr"))) {
            match(v.test(x -> Tri.of(x.equals("unicast"))));
        } else if ((result.equals("oif") || result.equals("oifname")) && keys.contains("saddr")) {
            // reverse-path check: the scanner's address is routable back, so "missing" does not hold
            match(v.test(x -> Tri.of(x.equals("exists"))));
        } else {
            match(Tri.UNKNOWN);
            if (unknown == null) {
                unknown = "fib " + String.join(" ", keys) + " " + result;
            }
        }
    }

    /** A verdict map keyed on an interface name: {@code oifname vmap @map} or an inline map. */
    private void vmap(String key) {
        String named = peek(0).startsWith("@") ? peek(0).substring(1) : null;
        List<String> elements = elements();
        if (elements == null) {
            giveUp(named != null ? "vmap set" : "vmap");
            return;
        }
        if (key == null) {
            match(Tri.UNKNOWN);
            return;
        }
        for (String el : elements) {
            int colon = el.indexOf(" : ");
            if (colon >= 0 && ifaceIs(unquote(el.substring(0, colon).trim()), key) == Tri.TRUE) {
                verdict(el.substring(colon + 3).trim());
                return;
            }
        }
        match(Tri.FALSE); // no element for this key: the map gives no verdict
    }

    /** The value of a set statement: an operand ({@code 0x1}, {@code meta mark}, {@code ct mark}), then any {@code | & ^ << >>} operand. */
    private void skipExpression() {
        do {
            String t = next();
            if (t.equals("meta") || t.equals("ct")) {
                i++;
            }
        } while (Set.of("|", "&", "^", "<<", ">>", "or", "and", "xor").contains(peek(0)) && ++i > 0);
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

    /**
     * How one element part is tested against the packet for the selector at {@link #i} (consumed),
     * or null for a selector this class does not read.
     */
    private java.util.function.Function<String, Tri> selector() {
        int len = selectorLength(i);
        String a = tok.get(i);
        String b = len == 2 ? tok.get(i + 1) : a;
        i += len;
        switch (a) {
            case "ip", "ip6" -> {
                boolean famOk = a.equals("ip") != p.dst().isV6();
                Address addr = b.equals("saddr") ? p.src() : p.dst();
                if (b.equals("saddr")) {
                    sourceRestricted = true;
                }
                return x -> famOk ? addrIn(x, addr) : Tri.FALSE;
            }
            case "tcp", "udp", "th", "sctp", "udplite" -> {
                Tri protoOk = a.equals("th") ? Tri.of(p.proto().equals("tcp") || p.proto().equals("udp")) : Tri.of(p.proto().equals(a));
                if (b.equals("dport")) {
                    explicitPort = true;
                    return x -> protoOk.and(portIn(x, p.dport()));
                }
                return x -> protoOk.and(p.sport() == 0 ? Tri.UNKNOWN : portIn(x, p.sport()));
            }
            default -> {
                switch (b) {
                    case "l4proto", "protocol" -> {
                        return this::protoIs;
                    }
                    case "nfproto" -> {
                        return x -> Tri.of(x.equals(p.dst().isV6() ? "ipv6" : "ipv4"));
                    }
                    case "iifname", "iif", "oifname", "oif" -> {
                        String iface = b.startsWith("i") ? p.inIface() : p.outIface();
                        return x -> iface == null ? Tri.UNKNOWN : ifaceIs(unquote(x), iface);
                    }
                    case "mark" -> {
                        return x -> Tri.of(parseLong(x) == 0);
                    }
                    default -> {
                        return null;
                    }
                }
            }
        }
    }

    /**
     * A concatenation of selectors ({@code ip daddr . meta l4proto . th dport}) looked up in a verdict
     * map ({@code vmap @service-ips}, kube-proxy's nftables mode), a set or an inline set: the first
     * element whose every part holds for the packet decides; a part that cannot be told makes it unknown.
     */
    private void concatenation() {
        List<java.util.function.Function<String, Tri>> parts = new ArrayList<>();
        while (true) {
            java.util.function.Function<String, Tri> f = selector();
            if (f == null) {
                giveUp("concatenation");
                return;
            }
            parts.add(f);
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
            negated = next().startsWith("!") || tok.get(i - 1).equals("ne");
        }
        String named = peek(0).startsWith("@") ? peek(0).substring(1) : null;
        List<String> elements = elements();
        if (elements == null) {
            giveUp(vmap ? "vmap" : "concatenation");
            return;
        }
        Tri found = Tri.FALSE;
        String verdict = null;
        String chosen = null;
        for (String el : elements) {
            int colon = el.lastIndexOf(" : ");
            String[] xs = keyParts(el);
            if (xs.length != parts.size()) {
                found = found.or(Tri.UNKNOWN);
                continue;
            }
            Tri all = Tri.TRUE;
            for (int k = 0; k < xs.length; k++) {
                all = all.and(parts.get(k).apply(xs[k].trim()));
            }
            if (all == Tri.TRUE) {
                found = Tri.TRUE;
                chosen = el;
                verdict = colon < 0 ? null : el.substring(colon + 3).trim();
                break;
            }
            found = found.or(all);
        }
        if (!vmap) {
            match(found.negateIf(negated));
            return;
        }
        match(found);
        if (found == Tri.TRUE) {
            decidedBy(named, chosen);
            verdict(verdict);
        }
    }

    /** {@code numgen random|inc mod N [offset K] vmap {…}}: one endpoint of several; any is a path a connection can take, the first is read. */
    private void numgen() {
        i += 2; // numgen random|inc
        if (!peek(0).equals("mod")) {
            giveUp("numgen");
            return;
        }
        i += 2;
        long offset = 0;
        if (peek(0).equals("offset")) {
            i++;
            offset = parseLong(next());
        }
        if (!peek(0).equals("vmap")) {
            giveUp("numgen");
            return;
        }
        i++;
        String named = peek(0).startsWith("@") ? peek(0).substring(1) : null;
        List<String> elements = elements();
        if (elements == null) {
            giveUp("numgen vmap");
            return;
        }
        for (String el : elements) {
            int colon = el.lastIndexOf(" : ");
            if (colon > 0 && parseLong(stripAnnotations(el.substring(0, colon))) == offset) {
                decidedBy(named, el);
                verdict(el.substring(colon + 3).trim());
                return;
            }
        }
        match(Tri.UNKNOWN);
    }

    /** The named map (if any) and its element that gave the verdict, for the evidence. */
    private void decidedBy(String named, String el) {
        map = named;
        Nft.NamedSet s = named == null ? null : set(named);
        if (s != null) {
            element = new EvidenceLine("nft", s.line(), s.kind() + " " + s.name() + ": " + el);
        }
    }

    /** The elements of the named set or map at {@link #i}, or of the inline one ({@code { a : b, c : d }}); null when unreadable. */
    private List<String> elements() {
        if (peek(0).startsWith("@")) {
            Nft.NamedSet s = set(next().substring(1));
            return s == null ? null : s.elements();
        }
        if (!peek(0).equals("{")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        i++;
        StringBuilder cur = new StringBuilder();
        while (i < tok.size() && !peek(0).equals("}")) {
            String t = next();
            if (t.equals(",")) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(t).append(' ');
            }
        }
        i++;
        if (cur.length() > 0) {
            out.add(cur.toString().trim());
        }
        return out;
    }

    /** An element's key without what nft prints beside it: {@code comment "…"}, {@code timeout 1h}, {@code expires 3m}, counters. */
    /** The parts of a set or map element's key ({@code 10.43.0.10 . tcp . 53} of {@code 10.43.0.10 . tcp . 53 comment "…" : goto …}). */
    static String[] keyParts(String element) {
        int colon = element.lastIndexOf(" : ");
        return stripAnnotations(colon < 0 ? element : element.substring(0, colon)).split("\\s+\\.\\s+");
    }

    private static String stripAnnotations(String key) {
        return key.replaceAll("\\s+comment\\s+\"[^\"]*\"", "").replaceAll("\\s+(timeout|expires)\\s+\\S+", "")
                .replaceAll("\\s+counter packets \\d+ bytes \\d+", "").trim();
    }

    /** The verdict of a map element: {@code goto chain}, {@code jump chain}, {@code accept}, … */
    private void verdict(String v) {
        String[] w = v == null ? new String[0] : v.split("\\s+");
        if (w.length == 0) {
            action = Action.UNKNOWN;
            return;
        }
        switch (w[0]) {
            case "accept" -> action = Action.ACCEPT;
            case "drop" -> action = Action.DROP;
            case "return" -> action = Action.RETURN;
            case "continue" -> action = Action.CONTINUE;
            case "jump", "goto" -> {
                action = w[0].equals("jump") ? Action.JUMP : Action.GOTO;
                target = w.length > 1 ? unquote(w[1]) : null;
            }
            default -> action = Action.UNKNOWN;
        }
    }

    private Nft.NamedSet set(String name) {
        for (Nft.NamedSet s : table.sets()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** A value after a selector: an optional operator, then one item (with comma continuations), a {set} or an @named set. */
    private final class Value {
        final List<String> items = new ArrayList<>();
        boolean negated;
        String op = "==";
        boolean unreadable;

        Tri test(java.util.function.Function<String, Tri> one) {
            if (unreadable) {
                return Tri.UNKNOWN;
            }
            if (op.equals("<") || op.equals(">") || op.equals("<=") || op.equals(">=") || op.equals("lt") || op.equals("gt")
                    || op.equals("le") || op.equals("ge")) {
                return Tri.UNKNOWN;
            }
            Tri any = Tri.FALSE;
            for (String x : items) {
                Tri t = one.apply(x);
                if (t == Tri.TRUE) {
                    any = Tri.TRUE;
                    break;
                }
                if (t == Tri.UNKNOWN) {
                    any = Tri.UNKNOWN;
                }
            }
            return any.negateIf(negated);
        }
    }

    private Value value() {
        Value v = new Value();
        if (OPS.contains(peek(0))) {
            v.op = next();
            v.negated = v.op.equals("!=") || v.op.equals("ne");
        }
        String t = next();
        if (t.equals("{")) {
            while (i < tok.size() && !peek(0).equals("}")) {
                String x = next();
                if (x.equals(",")) {
                    continue;
                }
                if (x.equals(".") || x.equals(":")) {
                    v.unreadable = true;
                }
                v.items.add(unquote(x));
            }
            i++;
        } else if (t.startsWith("@")) {
            Nft.NamedSet s = set(t.substring(1));
            if (s == null) {
                v.unreadable = true;
            } else {
                for (String el : s.elements()) {
                    if (el.contains(" . ") || el.contains(" : ")) {
                        v.unreadable = true;
                    }
                    v.items.add(unquote(el.trim()));
                }
            }
        } else {
            v.items.add(unquote(t));
            while (peek(0).equals(",")) {
                i++;
                v.items.add(unquote(next()));
            }
        }
        return v;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static Tri addrIn(String spec, Address a) {
        return Match.address(spec, a);
    }

    private static Tri portIn(String spec, int port) {
        return Match.port(spec, port);
    }

    private static int port(String s) {
        return org.aiscan.host.Services.port(s);
    }

    private Tri protoIs(String x) {
        String s = x.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "tcp", "6" -> Tri.of(p.proto().equals("tcp"));
            case "udp", "17" -> Tri.of(p.proto().equals("udp"));
            case "icmp", "ipv6-icmp", "icmpv6", "1", "58", "esp", "ah", "gre", "sctp", "igmp", "udplite" -> Tri.FALSE;
            default -> Tri.UNKNOWN;
        };
    }

    private static Tri ifaceIs(String pattern, String iface) {
        return Match.iface(pattern, iface);
    }

    private static boolean multicast(Address a) {
        return a.isV6() ? (a.hi() >>> 56) == 0xFF : (a.lo() >>> 28) == 0xE;
    }

    private static long parseLong(String s) {
        try {
            return Long.decode(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
