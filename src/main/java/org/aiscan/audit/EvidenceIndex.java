package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.host.HostFacts;
import org.aiscan.host.HostView;
import org.aiscan.host.Iptables;
import org.aiscan.host.Nft;
import org.aiscan.host.Ufw;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.TextLines;
import org.aiscan.model.audit.Listener;
import org.jspecify.annotations.Nullable;

/**
 * The snapshot lines a diagnosis cites beyond the evaluator's own: listening sockets, Docker's
 * published ports, global IPv6 addresses, the ufw rows behind ufw's iptables rules, rate limits
 * anywhere in the rules. Looked up in the parsed view (rules by their line), never by searching raw
 * text for a rule's words.
 */
final class EvidenceIndex {
    private final HostView view;

    EvidenceIndex(HostView view) {
        this.view = view;
    }

    /** The ss lines of sockets that take {@code ip:port}. */
    List<EvidenceLine> listeners(Address ip, int port, String proto) {
        List<EvidenceLine> out = new ArrayList<>();
        for (Listener l : view.listeners) {
            if (l.proto().equals(proto) && l.port() == port && l.covers(ip, null)) {
                out.add(ss(l));
            }
        }
        return out;
    }

    static EvidenceLine ss(Listener l) {
        return new EvidenceLine(l.proto().equals("udp") ? "ss-udp" : "ss-tcp", l.line(), l.text().trim());
    }

    /** The docker ps lines that publish host port {@code port}. */
    List<EvidenceLine> docker(int port) {
        List<EvidenceLine> out = new ArrayList<>();
        for (HostFacts.DockerPort d : view.docker) {
            if (d.hostPort() == port) {
                out.add(new EvidenceLine("docker-ps", d.line(), d.text().trim()));
            }
        }
        return out;
    }

    /** The first global IPv6 address (why IPv6 reaches the host at all). */
    List<EvidenceLine> globalV6() {
        for (HostFacts.InterfaceAddress a : view.addresses) {
            if (a.address().isV6() && "global".equals(a.scope())) {
                return List.of(new EvidenceLine("ip-addr", a.line(), a.iface() + " " + a.address() + "/" + a.prefix() + " scope global"));
            }
        }
        return List.of();
    }

    /** The line of {@code source}'s text holding {@code needle}, or 0. */
    int lineOf(String source, String needle) {
        return TextLines.lineOf(view.snapshot.text(source), needle, 0);
    }

    /** The iptables rule cited by {@code line}, or null. */
    Iptables.@Nullable Rule iptablesRule(EvidenceLine line) {
        for (HostView.NamedDump nd : view.iptables) {
            if (!nd.source().equals(line.source())) {
                continue;
            }
            for (Iptables.Table t : nd.dump().tables()) {
                for (Iptables.Chain c : t.chains().values()) {
                    for (Iptables.Rule x : c.rules()) {
                        if (x.line() == line.line()) {
                            return x;
                        }
                    }
                }
            }
        }
        return null;
    }

    private @Nullable Integer family(String source) {
        for (HostView.NamedDump nd : view.iptables) {
            if (nd.source().equals(source)) {
                return nd.dump().family();
            }
        }
        return null;
    }

    /** The ufw rows behind an iptables rule of ufw's user chains (same action, port and source). */
    List<EvidenceLine> ufwRows(@Nullable EvidenceLine rule) {
        List<EvidenceLine> out = new ArrayList<>();
        Ufw.Status st = view.ufwNumbered != null ? view.ufwNumbered : view.ufw;
        if (rule == null || st == null || !rule.source().startsWith("iptables")) {
            return out;
        }
        Iptables.Rule r = iptablesRule(rule);
        Integer fam = family(rule.source());
        // ufw's user chains, by the rule's chain (an iptables -L listing prints no "-A CHAIN")
        if (r == null || fam == null || !r.chain().matches("ufw6?-user-(input|forward)")) {
            return out;
        }
        String action = switch (String.valueOf(r.target())) {
            case "ACCEPT" -> "ALLOW";
            case "DROP" -> "DENY";
            case "REJECT" -> "REJECT";
            case "ufw-user-limit", "ufw6-user-limit" -> "LIMIT";
            default -> null;
        };
        if (action == null) {
            return out;
        }
        int port = -1;
        Iptables.Option dp = r.match("--dport") != null ? r.match("--dport") : r.match("--dports");
        if (dp != null) {
            String v = dp.value().split(",")[0];
            try {
                port = Integer.parseInt(v.contains(":") ? v.substring(0, v.indexOf(':')) : v);
            } catch (NumberFormatException e) {
                return out;
            }
        }
        String src = r.match("-s") == null ? null : r.match("-s").value();
        boolean v6 = fam == 6;
        boolean forward = r.chain().endsWith("-user-forward");
        String file = st == view.ufwNumbered ? "ufw-numbered" : "ufw-verbose";
        for (Ufw.Rule u : st.rules()) {
            if (!u.action().equals(action) || u.v6() != v6 || forward != "FWD".equals(u.direction())) {
                continue;
            }
            if (port >= 0 && !UfwCompiler.hasPort(u.to(), port) || port < 0 && u.to().ports() != null) {
                continue;
            }
            String from = u.from().address();
            if (src == null ? from != null : from == null || !sameNet(from, src)) {
                continue;
            }
            out.add(new EvidenceLine(file, u.line(), u.text().trim()));
        }
        return out;
    }

    private static boolean sameNet(String a, String b) {
        try {
            return Cidr.parse(a).equals(Cidr.parse(b));
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }

    /** Rate-limit rules anywhere in the snapshot that name this port (iptables, nft, ufw LIMIT rows). */
    List<EvidenceLine> rateLimits(int port, String proto) {
        List<EvidenceLine> out = new ArrayList<>();
        for (HostView.NamedDump nd : view.iptables) {
            for (Iptables.Table t : nd.dump().tables()) {
                for (Iptables.Chain c : t.chains().values()) {
                    for (Iptables.Rule r : c.rules()) {
                        if (!limits(r)) {
                            continue;
                        }
                        Iptables.Option dp = r.match("--dport") != null ? r.match("--dport")
                                : r.match("--dports") != null ? r.match("--dports") : r.match("--ctorigdstport");
                        if (dp != null && !dp.negated() && Match.ports(dp.value(), port) == Tri.TRUE) {
                            out.add(IptablesWalk.cite(nd.source(), r));
                        }
                    }
                }
            }
        }
        if (view.nft != null) {
            for (Nft.Table t : view.nft.tables()) {
                if (t.managedByIptables()) {
                    continue;
                }
                for (Nft.Chain c : t.chains()) {
                    for (Nft.Rule r : c.rules()) {
                        List<String> tk = r.tokens();
                        boolean limit = tk.contains("limit") || tk.contains("meter") || tk.contains("count") && tk.contains("ct");
                        int dp = tk.indexOf("dport");
                        if (limit && dp > 0 && dp + 1 < tk.size() && (tk.get(dp + 1).equals(String.valueOf(port))
                                || tk.subList(dp + 1, Math.min(tk.size(), dp + 40)).contains(String.valueOf(port)))) {
                            out.add(NftWalk.cite(r));
                        }
                    }
                }
            }
        }
        Ufw.Status st = view.ufwNumbered != null ? view.ufwNumbered : view.ufw;
        if (st != null) {
            for (Ufw.Rule u : st.rules()) {
                if (u.action().equals("LIMIT") && UfwCompiler.hasPort(u.to(), port) && (u.to().proto() == null || u.to().proto().equals(proto))) {
                    out.add(new EvidenceLine(st == view.ufwNumbered ? "ufw-numbered" : "ufw-verbose", u.line(), u.text().trim()));
                }
            }
        }
        return out;
    }

    /** A rule that limits new connections (not a logging limit). */
    private static boolean limits(Iptables.Rule r) {
        String t = r.target();
        if (t == null || IptablesCompiler.NON_TERMINAL.contains(t)) {
            return false;
        }
        return r.match("--hitcount") != null || r.match("--connlimit-above") != null || r.match("--connlimit-upto") != null
                || r.match("--hashlimit-above") != null || r.match("--hashlimit-upto") != null || r.match("--limit") != null;
    }

    /** The lines in order, each once, nulls dropped. */
    static List<EvidenceLine> distinct(List<EvidenceLine> in) {
        List<EvidenceLine> out = new ArrayList<>();
        for (EvidenceLine e : in) {
            if (e != null && !out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }
}
