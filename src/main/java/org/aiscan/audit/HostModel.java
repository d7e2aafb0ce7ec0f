package org.aiscan.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.aiscan.host.HostFacts;
import org.aiscan.host.HostView;
import org.aiscan.host.Iptables;
import org.aiscan.host.Nft;
import org.aiscan.host.ParseProblem;
import org.aiscan.host.Snapshot;
import org.aiscan.host.Ufw;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.TextLines;
import org.aiscan.model.audit.Forwarder;
import org.jspecify.annotations.Nullable;

/**
 * What the evaluator needs to know about a host beyond its rules: its addresses (what is
 * "local"), which interface reaches which subnet, whether it forwards, and the base chains
 * registered on each netfilter hook for each family, from every stack the snapshot holds.
 */
final class HostModel {
    /** The netfilter hooks a connection attempt passes. */
    enum Hook {
        PREROUTING, INPUT, FORWARD, OUTPUT
    }

    /** iptables' fixed priorities (nft's "raw", "mangle", "dstnat", "filter", "security"). */
    private static final int RAW = -300;
    private static final int MANGLE = -150;
    private static final int DSTNAT = -100;
    private static final int FILTER = 0;
    private static final int SECURITY = 50;

    final HostView view;
    private final List<HostFacts.InterfaceAddress> addresses;

    private final AuditPolicy.Names names;
    private final java.util.Map<Forwarder, List<String>> forwarders;

    HostModel(HostView view, AuditPolicy.Names names) {
        this.names = names;
        this.forwarders = names.forwarderPrefixes();
        this.view = view;
        this.addresses = view.addresses;
        java.util.Map<Object, FwRule> rules = new java.util.IdentityHashMap<>();
        for (HostView.NamedDump d : view.iptables) {
            for (Iptables.Table t : d.dump().tables()) {
                for (Iptables.Chain c : t.chains().values()) {
                    c.rules().forEach(r -> rules.put(r, IptablesCompiler.compile(d.source(), r)));
                }
            }
        }
        if (view.nft != null) {
            for (Nft.Table t : view.nft.tables()) {
                t.chains().forEach(c -> c.rules().forEach(r -> rules.put(r, NftCompiler.compile(r, t))));
            }
        }
        for (Ufw.Status st : java.util.Arrays.asList(view.ufw, view.ufwNumbered)) {
            if (st != null) {
                String source = ufwSource(st);
                st.rules().forEach(r -> rules.put(r, UfwCompiler.compile(source, r)));
            }
        }
        this.compiled = java.util.Collections.unmodifiableMap(rules);
    }

    /** Every rule of the snapshot, typed once when it was loaded: what the walks evaluate. */
    private final java.util.Map<Object, FwRule> compiled;

    /** An iptables rule of the snapshot as the walks read it. */
    FwRule rule(String source, Iptables.Rule r) {
        FwRule f = compiled.get(r);
        return f != null ? f : IptablesCompiler.compile(source, r);
    }

    /** A row of ufw's status as the walk reads it. */
    FwRule rule(String source, Ufw.Rule r) {
        FwRule f = compiled.get(r);
        return f != null ? f : UfwCompiler.compile(source, r);
    }

    /** An nftables rule of the snapshot as the walks read it. */
    FwRule rule(Nft.Rule r, Nft.Table t) {
        FwRule f = compiled.get(r);
        return f != null ? f : NftCompiler.compile(r, t);
    }

    AuditPolicy.Names names() {
        return names;
    }

    /** Whether {@code a} is one of the host's own addresses (loopback included). */
    boolean isLocal(Address a) {
        if (a.isLoopback()) {
            return true;
        }
        for (HostFacts.InterfaceAddress ia : addresses) {
            if (ia.address().equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** The interface holding address {@code a}, or null. */
    @Nullable String ifaceHolding(Address a) {
        for (HostFacts.InterfaceAddress ia : addresses) {
            if (ia.address().equals(a)) {
                return ia.iface();
            }
        }
        return null;
    }

    /** The interface whose connected subnet holds {@code a} (not loopback), or null. */
    @Nullable String ifaceOnLink(Address a) {
        String best = null;
        int bestPrefix = -1;
        for (HostFacts.InterfaceAddress ia : addresses) {
            if (ia.iface().equals("lo") || ia.address().isV6() != a.isV6()) {
                continue;
            }
            if (new Cidr(ia.address(), ia.prefix()).contains(a) && ia.prefix() > bestPrefix) {
                best = ia.iface();
                bestPrefix = ia.prefix();
            }
        }
        return best;
    }

    /**
     * The interface a packet from {@code src} to {@code dst} arrives on: the one on {@code src}'s
     * subnet, else the one holding {@code dst}, else the first interface with a global address.
     */
    @Nullable String ingress(Address src, Address dst) {
        String on = ifaceOnLink(src);
        if (on != null) {
            return on;
        }
        String holding = ifaceHolding(dst);
        if (holding != null && !holding.equals("lo") && !names.vpn(holding) && !names.containerBridge(holding)) {
            return holding;
        }
        return uplink();
    }

    /**
     * Where the internet arrives: the interface of the default route when the routes were collected,
     * else the one with the host's first global address, preferring ones that are neither container
     * bridges nor VPN interfaces (their peers are a vantage of their own).
     */
    @Nullable String uplink() {
        List<String> defaults = view.defaultRouteInterfaces();
        if (!defaults.isEmpty()) {
            return defaults.get(0);
        }
        HostFacts.InterfaceAddress fallback = null;
        for (HostFacts.InterfaceAddress ia : addresses) {
            if (ia.iface().equals("lo") || !"global".equals(ia.scope())) {
                continue;
            }
            if (!names.containerBridge(ia.iface()) && !names.vpn(ia.iface())) {
                return ia.iface();
            }
            if (fallback == null) {
                fallback = ia;
            }
        }
        return fallback == null ? null : fallback.iface();
    }


    /**
     * The host's addresses the internet can reach: global scope, not loopback, not on a container or
     * VM bridge, not on a VPN interface (Tailscale, WireGuard, ZeroTier: their peers are not the
     * internet); when the routes were collected, a bridge of the host's own ({@code br0}) counts only
     * when the default route leaves through it.
     */
    List<Address> publicAddresses() {
        List<String> defaults = view.defaultRouteInterfaces();
        List<Address> out = new ArrayList<>();
        for (HostFacts.InterfaceAddress ia : addresses) {
            String i = ia.iface();
            boolean ownBridge = i.startsWith("br") && !defaults.isEmpty() && !defaults.contains(i);
            if (!i.equals("lo") && "global".equals(ia.scope()) && !names.containerBridge(i) && !names.vpn(i) && !ownBridge
                    && !out.contains(ia.address())) {
                out.add(ia.address());
            }
        }
        return out;
    }

    List<HostFacts.InterfaceAddress> addresses() {
        return addresses;
    }

    /** Firewall sources the collector could not read: every prediction is uncertain while they are unknown. */
    List<EvidenceLine> firewallUnread() {
        if (unread == null) {
            unread = List.copyOf(readUnread());
        }
        return unread;
    }

    private List<EvidenceLine> readUnread() {
        List<EvidenceLine> out = new ArrayList<>();
        for (Snapshot.Source s : view.snapshot.sources()) {
            boolean firewall = s.name().startsWith("iptables-") || s.name().equals("nft") || s.name().equals("ufw-verbose");
            if (firewall && (s.status().equals("denied") || s.status().equals("timeout") || s.status().equals("error"))) {
                out.add(new EvidenceLine(s.name(), 0, "not read: " + (s.note() != null ? s.note() : s.status())));
            }
        }
        return out;
    }

    /**
     * Why the rules the evaluator sees for one family may not be all the host has, each with where
     * it shows: a firewall source that could not be read, none given at all for the family, a pasted
     * dump without a filter table, a dump cut short, lines outside any chain that could not be read.
     * Empty when what was given is complete. Every prediction of the family carries these as its
     * uncertainty: a missing fact is never read as "no firewall".
     */
    List<EvidenceLine> unseen(int family) {
        return unseen.computeIfAbsent(family, f -> List.copyOf(readUnseen(f)));
    }

    /** Unreadable lines inside one chain of one iptables source: a walk through that chain is uncertain. */
    List<EvidenceLine> unreadIn(String source, String table, String chain) {
        return attributeProblems().getOrDefault(source + "|" + table + "|" + chain, List.of());
    }

    private final java.util.Map<Integer, List<EvidenceLine>> unseen = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile java.util.@Nullable Map<String, List<EvidenceLine>> unreadByChain;
    /** Problems that belong to no chain, by source. */
    private final java.util.Map<String, List<EvidenceLine>> unreadOutside = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.regex.Pattern RULE_CHAIN = java.util.regex.Pattern.compile("^(?:\\[\\d+:\\d+\\]\\s*)?-[AN]\\s+(\\S+)");

    /** Each unreadable line and gap of the iptables dumps, by chain (once; what belongs to no chain goes to {@link #unreadOutside}). */
    private synchronized java.util.Map<String, List<EvidenceLine>> attributeProblems() {
        if (unreadByChain != null) {
            return unreadByChain;
        }
        java.util.Map<String, List<EvidenceLine>> byChain = new java.util.HashMap<>();
        for (HostView.NamedDump d : view.iptables) {
            List<Iptables.Table> tables = d.dump().tables();
            List<ParseProblem> all = new ArrayList<>(d.dump().problems());
            all.addAll(d.dump().gaps());
            for (ParseProblem p : all) {
                boolean gap = d.dump().gaps().contains(p);
                EvidenceLine e = new EvidenceLine(d.source(), p.line(), (gap ? "" : "unreadable: ") + (p.text().isBlank() ? "" : p.text().trim()
                        + " — ") + p.message());
                java.util.regex.Matcher m = RULE_CHAIN.matcher(p.text().trim());
                Iptables.Table in = null;
                for (Iptables.Table t : tables) {
                    if (t.line() <= p.line() && (in == null || t.line() > in.line())) {
                        in = t;
                    }
                }
                if (m.find() && in != null) {
                    byChain.computeIfAbsent(d.source() + "|" + in.name() + "|" + m.group(1), k -> new ArrayList<>()).add(e);
                } else {
                    unreadOutside.computeIfAbsent(d.source(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        unreadByChain = byChain;
        return byChain;
    }

    /** Whether the sockets that listen were collected (ss or netstat): without them, who receives an accepted connection is unknown. */
    boolean listenersSeen() {
        return view.snapshot.text("ss-tcp") != null || view.snapshot.text("netstat") != null;
    }


    /** A source typed or pasted by someone ({@code collect --from}), not run by aiscan on the host. */
    private boolean given(Snapshot.Source s) {
        return !s.command().isEmpty() && s.command().get(0).equals("cat");
    }

    private List<EvidenceLine> readUnseen(int family) {
        attributeProblems(); // fills unreadOutside
        List<EvidenceLine> out = new ArrayList<>();
        Snapshot snap = view.snapshot;
        String v = "-v" + family;
        boolean rulesRead = false;
        boolean toolsAbsent = true;
        boolean anyNetfilterSource = false;
        for (Snapshot.Source s : snap.sources()) {
            boolean mine = s.name().startsWith("iptables-") && s.name().endsWith(v) || s.name().equals("nft");
            if (!mine) {
                continue;
            }
            anyNetfilterSource = true;
            switch (s.status()) {
                case "ok", "empty" -> {
                    rulesRead = true;
                    toolsAbsent = false;
                    if (s.note() != null && s.note().contains("cut")) {
                        out.add(new EvidenceLine(s.name(), 0, "cut short: " + s.note() + "; what follows is unknown"));
                    }
                }
                case "missing" -> {
                    if (given(s)) {
                        toolsAbsent = false;
                    }
                }
                default -> {
                    toolsAbsent = false;
                    out.add(new EvidenceLine(s.name(), 0, "not read: " + (s.note() != null ? s.note() : s.status())));
                }
            }
        }
        if (!rulesRead && !(anyNetfilterSource && toolsAbsent)) {
            boolean ufw = view.ufw != null;
            out.add(new EvidenceLine("snapshot", 0, "no iptables-save or nft ruleset for IPv" + family + " was given"
                    + (ufw ? " (ufw's status alone says what ufw allows, not what else the kernel does: Docker, Kubernetes, other rules)"
                    : "") + "; collect it with: " + (family == 4 ? "iptables-save" : "ip6tables-save") + " and nft list ruleset"));
        }
        boolean nftGiven = view.nft != null;
        Snapshot.Source nftSource = snap.source("nft");
        if (nftGiven && nftSource != null && given(nftSource) && !view.nft.tables().isEmpty()
                && view.nft.tables().stream().allMatch(t -> names.toolTable(t.name()))) {
            out.add(new EvidenceLine("nft", 0, "only " + String.join(", ", view.nft.tables().stream().map(t -> t.family() + " " + t.name())
                    .toList()) + " was given: one tool's table, not the whole ruleset ('nft list ruleset' shows every table)"));
        }
        List<HostView.NamedDump> dumps = view.iptables.stream().filter(d -> d.dump().family() == family).toList();
        boolean pasted = dumps.stream().anyMatch(d -> snap.source(d.source()) != null && given(snap.source(d.source())));
        if (pasted && !nftGiven && !dumps.isEmpty() && dumps.stream().noneMatch(d -> d.dump().table("filter") != null)) {
            HostView.NamedDump d = dumps.get(0);
            out.add(new EvidenceLine(d.source(), 0, "the IPv" + family + " dump holds no filter table (" + String.join(", ",
                    d.dump().tables().stream().map(Iptables.Table::name).toList()) + " only): the INPUT and FORWARD rules were not given; "
                    + "collect them with " + (family == 4 ? "iptables-save" : "ip6tables-save")));
        }
        for (HostView.NamedDump d : dumps) {
            out.addAll(unreadOutside.getOrDefault(d.source(), List.of()));
        }
        if (view.nft != null) {
            for (ParseProblem p : view.nft.problems()) {
                out.add(new EvidenceLine("nft", p.line(), "unreadable: " + (p.text().isBlank() ? "" : p.text().trim() + " — ") + p.message()));
            }
        }
        return out;
    }

    /** Whether the kernel forwards this family, or null when the snapshot does not say. */
    @Nullable Boolean forwarding(int family) {
        String v = view.sysctl.get(family == 4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding");
        return v == null ? null : v.trim().equals("1");
    }

    EvidenceLine forwardingEvidence(int family) {
        String key = family == 4 ? "net.ipv4.ip_forward" : "net.ipv6.conf.all.forwarding";
        String text = view.snapshot.text("sysctl");
        if (text != null) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith(key)) {
                    return new EvidenceLine("sysctl", i + 1, lines[i].trim());
                }
            }
        }
        return new EvidenceLine("sysctl", 0, key + " not collected");
    }

    /** A base chain on a hook: an iptables built-in chain or an nftables base chain. */
    interface HookChain {
        int priority();

        /** A nat chain: its first address translation binds the connection; later nat chains are skipped. */
        boolean nat();

        String describe();
    }

    record IptHook(String source, Iptables.Dump dump, Iptables.Table table, Iptables.Chain chain, int priority) implements HookChain {
        @Override
        public boolean nat() {
            return table.name().equals("nat");
        }

        @Override
        public String describe() {
            return source + " " + table.name() + " " + chain.name();
        }
    }

    /**
     * A front-end's own listing (ufw's status, firewalld's zones) as a chain of its own, for a family
     * whose netfilter rules were not given: its rules for this family and direction, typed once.
     *
     * @param source where it came from (ufw-verbose, ufw-plain, ufw-numbered, firewalld)
     * @param what how the trace names it ({@code ufw-verbose incoming rules})
     * @param rules the rules in the order they are tried
     * @param chains the chains a rule may jump to (firewalld's zones), by name
     * @param policy what happens when no rule decides; {@code policyLine} cites it
     * @param policyUnknown why the default is not known (it was not given), or null
     * @param alone why a listing alone is never certain
     */
    record ListingHook(String source, String what, List<FwRule> rules, java.util.Map<String, List<FwRule>> chains, Stmt policy,
                       @Nullable EvidenceLine policyLine, @Nullable EvidenceLine policyUnknown, EvidenceLine alone) implements HookChain {
        @Override
        public int priority() {
            return FILTER;
        }

        @Override
        public boolean nat() {
            return false;
        }

        @Override
        public String describe() {
            return what;
        }
    }

    record NftHook(Nft.Table table, Nft.Chain chain) implements HookChain {
        @Override
        public int priority() {
            return chain.priority() == null ? 0 : chain.priority();
        }

        @Override
        public boolean nat() {
            return "nat".equals(chain.type());
        }

        @Override
        public String describe() {
            return "nft " + table.family() + " " + table.name() + " " + chain.name();
        }
    }

    private final java.util.Map<String, List<HookChain>> chainCache = new java.util.concurrent.ConcurrentHashMap<>();

    /** The forwarders by the chain-name prefixes of the policy, in its order. */
    java.util.Map<Forwarder, List<String>> forwarders() {
        return forwarders;
    }

    private @Nullable List<EvidenceLine> unread;

    /**
     * Every base chain of {@code family} on {@code hook}, in the order the kernel runs them. Worked out
     * once per (family, hook, interface): an audit asks for them for every port it evaluates.
     */
    List<HookChain> chains(int family, Hook hook, String inIface) {
        return chainCache.computeIfAbsent(family + "|" + hook + "|" + inIface, k -> List.copyOf(collectChains(family, hook, inIface)));
    }

    private List<HookChain> collectChains(int family, Hook hook, String inIface) {
        List<HookChain> out = new ArrayList<>();
        boolean iptablesNft = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (HostView.NamedDump d : view.iptables(family)) {
            if ("nft".equals(d.dump().flavour()) || d.source().contains("-nft-")) {
                iptablesNft = true;
            }
            String text = view.snapshot.text(d.source());
            if (text != null && !seen.add(text.replaceAll("(?m)^#.*$", ""))) {
                continue; // the same tables printed twice (iptables-save is one of the flavours): walk them once
            }
            for (Iptables.Table t : d.dump().tables()) {
                int prio = switch (t.name()) {
                    case "raw" -> RAW;
                    case "mangle" -> MANGLE;
                    case "nat" -> DSTNAT;
                    case "filter" -> FILTER;
                    case "security" -> SECURITY;
                    default -> Integer.MIN_VALUE;
                };
                if (prio == Integer.MIN_VALUE) {
                    continue;
                }
                String name = switch (hook) {
                    case PREROUTING -> t.name().equals("filter") || t.name().equals("security") ? null : "PREROUTING";
                    case INPUT -> t.name().equals("raw") ? null : "INPUT";
                    case FORWARD -> t.name().equals("raw") || t.name().equals("nat") ? null : "FORWARD";
                    case OUTPUT -> "OUTPUT";
                };
                Iptables.Chain c = name == null ? null : t.chain(name);
                if (c != null && (hook != Hook.INPUT || !t.name().equals("nat"))) {
                    if (hook == Hook.OUTPUT && t.name().equals("nat")) {
                        continue; // locally generated DNAT does not concern outbound filtering
                    }
                    out.add(new IptHook(d.source(), d.dump(), t, c, prio));
                }
            }
        }
        if (view.nft != null) {
            String hookName = hook.name().toLowerCase(java.util.Locale.ROOT);
            for (Nft.Table t : view.nft.tables()) {
                boolean familyMatches = switch (t.family()) {
                    case "inet" -> true;
                    case "ip" -> family == 4;
                    case "ip6" -> family == 6;
                    case "netdev" -> hook == Hook.PREROUTING;
                    default -> false;
                };
                if (!familyMatches || t.managedByIptables() && (iptablesNft || !view.iptables(family).isEmpty())) {
                    continue; // iptables-nft's own tables are evaluated from iptables-save
                }
                for (Nft.Chain c : t.chains()) {
                    if (!c.isBase()) {
                        continue;
                    }
                    boolean on = t.family().equals("netdev") ? c.hook().equals("ingress") && (c.device() == null || c.device().equals(inIface))
                            : c.hook().equals(hookName) && !(hook == Hook.OUTPUT && "nat".equals(c.type()));
                    if (on) {
                        out.add(t.family().equals("netdev") ? new NftHook(t, withPriority(c, Integer.MIN_VALUE / 2)) : new NftHook(t, c));
                    }
                }
            }
        }
        if (out.isEmpty() && (hook == Hook.INPUT || hook == Hook.FORWARD)) {
            ListingHook u = listingAlone(family, hook == Hook.FORWARD);
            if (u != null) {
                out.add(u);
            }
        }
        out.sort(Comparator.comparingInt(HookChain::priority));
        return out;
    }

    /**
     * A front-end's listing as the only firewall of a family (a pasted ufw status, or firewalld's
     * zones): walked so that the prediction names the line that would decide. Nothing when ufw is
     * inactive and no zones were given.
     */
    private @Nullable ListingHook listingAlone(int family, boolean forward) {
        Ufw.Status st = view.ufw != null ? view.ufw : view.ufwNumbered;
        if (st != null && (st.active() || !st.rules().isEmpty())) {
            return ufwAlone(st, family, forward);
        }
        if (view.firewalld != null && !view.firewalld.zones().isEmpty() && !forward) {
            FirewalldCompiler.Compiled c = FirewalldCompiler.compile(view.firewalld, family);
            return new ListingHook("firewalld", "firewalld zones", c.dispatch(), c.zones(), new Stmt.Drop(), null, c.noZone(),
                    new EvidenceLine("firewalld", 0, "firewalld's zones alone say what firewalld allows, not what else the kernel does "
                            + "(Docker, Kubernetes, other rules): collect nft list ruleset"));
        }
        return null;
    }

    /** The source a ufw status came from: ufw-verbose, ufw-plain or ufw-numbered. */
    private String ufwSource(Ufw.Status st) {
        return st == view.ufw ? (view.snapshot.text("ufw-verbose") != null ? "ufw-verbose" : "ufw-plain") : "ufw-numbered";
    }

    private ListingHook ufwAlone(Ufw.Status st, int family, boolean forward) {
        String source = ufwSource(st);
        String text = view.snapshot.text(source);
        int defaults = text == null ? 0 : Math.max(0, TextLines.lineOf(text, "Default:", 0));
        List<FwRule> rules = new ArrayList<>();
        for (Ufw.Rule r : st.rules()) {
            String dir = r.direction() == null ? "IN" : r.direction();
            if (dir.equals(forward ? "FWD" : "IN") && r.v6() == (family == 6)) {
                rules.add(rule(source, r));
            }
        }
        String side = forward ? "routed" : "incoming";
        String policy = st.defaults().get(side);
        EvidenceLine unknown = policy != null ? null : new EvidenceLine(source, 0, "ufw's default " + side
                + " policy is not in what was given ('ufw status verbose' prints it); ufw's own default is deny");
        Stmt end = policy == null ? new Stmt.Drop() : switch (policy) {
            case "allow", "disabled" -> new Stmt.Accept();
            case "reject" -> new Stmt.Reject(true);
            default -> new Stmt.Drop();
        };
        return new ListingHook(source, source + (forward ? " routed" : " incoming") + " rules", rules, java.util.Map.of(), end,
                new EvidenceLine(source, defaults, "Default: " + policy + " (" + side + ")"), unknown,
                new EvidenceLine(source, 0, "ufw's status alone says what ufw allows, not what else the kernel does "
                        + "(Docker, Kubernetes, other rules): collect iptables-save and nft list ruleset"));
    }

    private static Nft.Chain withPriority(Nft.Chain c, int p) {
        return new Nft.Chain(c.name(), c.type(), c.hook(), c.device(), c.priorityText(), p, c.policy(), c.line(), c.rules());
    }
}
