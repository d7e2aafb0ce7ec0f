package org.aiscan.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.model.audit.CollectedHost;
import org.aiscan.model.audit.FrontEnd;
import org.aiscan.model.audit.Listener;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot parsed: every source through its parser, every unreadable line gathered, and one line
 * for each source that did not run. Pure: the same snapshot gives the same view.
 */
public final class HostView implements CollectedHost {
    /** An iptables dump with the source it came from ({@code iptables-nft-v4}, …). */
    public record NamedDump(String source, Iptables.Dump dump) {
    }

    public final Snapshot snapshot;
    public final List<Listener> listeners = new ArrayList<>();
    public final List<NamedDump> iptables = new ArrayList<>();
    public final Ufw.@Nullable Status ufw;
    public final Ufw.@Nullable Status ufwNumbered;
    /** firewalld's zones ({@code firewall-cmd --list-all-zones}), or null when not collected. */
    public final Firewalld.@Nullable Zones firewalld;
    public final Nft.@Nullable Ruleset nft;
    public final List<HostFacts.DockerPort> docker;
    public final List<HostFacts.Jail> jails;
    public final Map<String, String> sysctl;
    public final List<HostFacts.InterfaceAddress> addresses;
    /** The routes ({@code ip route}, {@code ip -6 route}), empty when not collected. */
    public final List<HostFacts.Route> routes;
    public final List<HostFacts.Unit> units;
    public final List<ParseProblem> problems = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();

    private HostView(Snapshot s) {
        this.snapshot = s;
        for (Snapshot.Source src : s.sources()) {
            if (!src.ok() && !src.status().equals("empty")) {
                notes.add(src.name() + ": " + (src.note() != null ? src.note() : src.status()));
            } else if (src.note() != null) {
                notes.add(src.name() + ": " + src.note());
            }
        }
        if (s.text("ss-tcp") == null && s.text("netstat") != null) { // people paste netstat more often than ss
            SsParser.Result r = NetstatParser.parse("netstat", s.text("netstat"));
            listeners.addAll(r.listeners());
            problems.addAll(r.problems());
        }
        for (String name : List.of("ss-tcp", "ss-udp")) {
            String t = s.text(name);
            if (t != null) {
                SsParser.Result r = SsParser.parse(name, t, name.endsWith("udp") ? "udp" : "tcp");
                for (Listener l : r.listeners()) {
                    if (name.equals("ss-tcp") || listeners.stream().noneMatch(x -> x.proto().equals(l.proto()) && x.port() == l.port()
                            && x.bind() == l.bind() && java.util.Objects.equals(x.address(), l.address()))) {
                        listeners.add(l);
                    }
                }
                problems.addAll(r.problems());
            }
        }
        for (Snapshot.Source src : s.sources()) {
            if (src.name().startsWith("iptables-l-") && (src.ok() || src.status().equals("empty"))) {
                int family = src.name().endsWith("v6") ? 6 : 4;
                for (Iptables.Dump d : IptablesListParser.parseAll(src.name(), src.stdout(), family, listTable(src.name()))) {
                    String name = d.family() == family ? src.name() : src.name().replaceAll("v[46]$", "v" + d.family());
                    if (d.family() != family && s.source(name) != null) {
                        problems.add(new ParseProblem(src.name(), 0, "", "an IPv" + d.family() + " listing is in it, and " + name
                                + " was given as well: the one in " + src.name() + " is not read"));
                        continue;
                    }
                    iptables.add(new NamedDump(name, d));
                    problems.addAll(d.problems());
                }
            } else if (src.name().startsWith("iptables-") && (src.ok() || src.status().equals("empty"))) {
                Iptables.Dump d = IptablesSaveParser.parse(src.name(), src.stdout(), src.name().endsWith("v6") ? 6 : 4,
                        listingTable(src.name()));
                iptables.add(new NamedDump(src.name(), d));
                problems.addAll(d.problems());
            }
        }
        String uv = s.text("ufw-verbose");
        String plain = s.text("ufw-plain");
        ufw = uv != null ? UfwStatusParser.parse("ufw-verbose", uv) : plain != null ? UfwStatusParser.parse("ufw-plain", plain) : null;
        if (ufw != null) {
            problems.addAll(ufw.problems());
        }
        String fw = s.text("firewalld");
        firewalld = fw == null || fw.isBlank() ? null : Firewalld.parse("firewalld", fw);
        if (firewalld != null) {
            problems.addAll(firewalld.problems());
        }
        String un = s.text("ufw-numbered");
        ufwNumbered = un == null ? null : UfwStatusParser.parse("ufw-numbered", un);
        if (ufwNumbered != null) {
            problems.addAll(ufwNumbered.problems());
        }
        String n = s.text("nft");
        nft = n == null ? null : NftParser.markManaged(NftParser.parse("nft", n), s.source("nft").stderr());
        if (nft != null) {
            problems.addAll(nft.problems());
        }
        String d = s.text("docker-ps");
        docker = d == null ? List.of() : HostFacts.dockerPorts("docker-ps", d, problems);
        String f = s.text("fail2ban");
        jails = f == null ? List.of() : HostFacts.jails(f);
        String sc = s.text("sysctl");
        sysctl = sc == null ? Map.of() : HostFacts.sysctl(sc);
        String a = s.text("ip-addr");
        addresses = a == null ? List.of() : HostFacts.addresses("ip-addr", a, problems);
        List<HostFacts.Route> rs = new ArrayList<>();
        for (String name : List.of("ip-route-v4", "ip-route-v6")) {
            String rt = s.text(name);
            if (rt != null) {
                rs.addAll(HostFacts.routes(name, rt, problems));
            }
        }
        routes = List.copyOf(rs);
        String u = s.text("systemd-units");
        units = u == null ? List.of() : HostFacts.units(u);
    }

    /** The table of an {@code iptables -S} source: {@code iptables-s-nat-v4} shows nat, {@code iptables-s-v4} filter. */
    static String listingTable(String source) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^iptables-s-(nat|raw|mangle|security)-v[46]$").matcher(source);
        return m.matches() ? m.group(1) : "filter";
    }

    /**
     * The table of an {@code iptables -L} source that its name gives ({@code iptables-l-nat-v4}: nat), or
     * null ({@code iptables-l-v4}: a listing's prompt or built-in chains say, else filter).
     */
    static @Nullable String listTable(String source) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^iptables-l-(?:(?:nft|legacy)-)?(nat|raw|mangle|security)-v[46]$")
                .matcher(source);
        return m.matches() ? m.group(1) : null;
    }

    public static HostView of(Snapshot s) {
        return new HostView(s);
    }

    /** The iptables dumps of one family that hold any table. */
    public List<NamedDump> iptables(int family) {
        return iptables.stream().filter(x -> x.dump().family() == family && !x.dump().isEmpty()).toList();
    }

    /** The interfaces of the default routes (where the internet arrives), in the order collected; empty when unknown. */
    public List<String> defaultRouteInterfaces() {
        return routes.stream().filter(r -> r.isDefault() && r.dev() != null).map(HostFacts.Route::dev).distinct().toList();
    }

    public boolean ipForwarding() {
        return "1".equals(sysctl.get("net.ipv4.ip_forward"));
    }

    /** The front-end that owns the host's rules ({@link FrontEnd}); "not collected" when the snapshot holds no firewall source at all. */
    @Override
    public String frontEnd() {
        boolean seen = !iptables.isEmpty() || nft != null || ufw != null || ufwNumbered != null || firewalld != null;
        return seen ? owner().key() : "not collected";
    }

    /**
     * firewalld where it runs (an active zone and its nft table); ufw where it is active, or installed
     * and nothing else holds rules; nftables where native nft base chains hold the rules and iptables
     * holds none of its own; else iptables.
     */
    public FrontEnd owner() {
        HostView v = this;
        boolean ufwInstalled = v.snapshot.source("ufw-verbose") != null && !v.snapshot.source("ufw-verbose").status().equals("missing");
        boolean ufwActive = v.ufw != null && v.ufw.active();
        boolean ownIptables = false;
        for (HostView.NamedDump d : v.iptables) {
            for (Iptables.Table t : d.dump().tables()) {
                for (Iptables.Chain c : t.chains().values()) {
                    if (!c.name().startsWith("ufw") && !c.name().startsWith("DOCKER") && !c.rules().isEmpty()
                            && c.rules().stream().anyMatch(r -> r.target() != null && !r.target().startsWith("ufw") && !r.target().startsWith("DOCKER"))) {
                        ownIptables = true;
                    }
                }
            }
        }
        boolean nativeNft = v.nft != null && v.nft.tables().stream().anyMatch(t -> !t.managedByIptables()
                && t.chains().stream().anyMatch(Nft.Chain::isBase));
        boolean firewalld = v.firewalld != null && v.firewalld.zones().stream().anyMatch(Firewalld.Zone::active)
                && v.nft != null && v.nft.tables().stream().anyMatch(t -> t.name().equals("firewalld"));
        if (firewalld) {
            return FrontEnd.FIREWALLD;
        }
        if (ufwActive || ufwInstalled && !ownIptables && !nativeNft) {
            return FrontEnd.UFW;
        }
        return nativeNft && !ownIptables ? FrontEnd.NFTABLES : FrontEnd.IPTABLES;
    }
}
