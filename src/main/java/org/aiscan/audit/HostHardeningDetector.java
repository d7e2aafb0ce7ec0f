package org.aiscan.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.aiscan.host.Collector;
import org.aiscan.host.HostFacts;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.Auth;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.PortState;
import org.aiscan.model.Service;
import org.aiscan.model.TextLines;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.Listener;
import org.aiscan.model.audit.ListenerCheck;
import org.aiscan.model.audit.Prediction;

/**
 * What the host as a whole lacks, beyond any one port: a firewall at all (FIREWALL_INACTIVE), one
 * firewall front-end instead of two (FIREWALL_STACK_SPLIT), binds that only the firewall keeps
 * private (WIDE_BIND_LATENT), an egress policy, brute-force protection for SSH and authenticating
 * proxies, memory limits on AI service units.
 */
final class HostHardeningDetector implements Detector {
    @Override
    public void detect(HostContext c, Findings out) {
        firewallInactive(c, out);
        stackSplit(c, out);
        wideBindLatent(c, out);
        outbound(c, out);
        bruteforce(c, out);
        resources(c, out);
    }

    private static void firewallInactive(HostContext c, Findings out) {
        for (int family : new int[] {4, 6}) {
            Address dst = c.publicAddress(family);
            if (dst == null || c.defaultDeny(family) || !c.nf.host().unseen(family).isEmpty()) { // absence is not inactivity
                continue;
            }
            if (family == 6 && c.publicAddress(4) != null && c.defaultDeny(4)) {
                continue; // IPv4 is filtered: that is IPV6_UNFILTERED, reported per port
            }
            TreeSet<Integer> reachable = new TreeSet<>();
            List<EvidenceLine> ev = new ArrayList<>();
            Prediction probe = c.nf.evaluate(c.source(family), dst, "tcp", 1);
            ev.add(probe.decidedBy());
            if (c.view.ufw != null && !c.view.ufw.active()) {
                ev.add(new EvidenceLine("ufw-verbose", 1, "Status: inactive"));
            }
            for (EndpointCheck e : c.host.endpoints()) {
                if (e.ip().isV6() == (family == 6) && (e.open() || e.prediction().state() == PortState.OPEN) && !e.prediction().isUncertain()) {
                    reachable.add(e.port());
                    ev.addAll(c.evidence.listeners(e.ip(), e.port(), "tcp"));
                }
            }
            for (ListenerCheck l : c.host.listeners()) {
                if (l.ip().isV6() == (family == 6) && l.prediction().state() == PortState.OPEN && l.listener().proto().equals("tcp")
                        && !l.prediction().isUncertain()) {
                    reachable.add(l.listener().port());
                    ev.add(EvidenceIndex.ss(l.listener()));
                }
            }
            if (reachable.isEmpty()) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            params.put("family", String.valueOf(family));
            params.put("ports", join(reachable));
            out.add(DiagnosisCode.FIREWALL_INACTIVE, dst, 0, null, null, ev, params, Map.of("family", String.valueOf(family),
                    "count", String.valueOf(reachable.size()), "ports", join(reachable)));
        }
    }

    private static void stackSplit(HostContext c, Findings out) {
        HostView v = c.view;
        for (int family : new int[] {4, 6}) {
            List<HostView.NamedDump> withRules = v.iptables(family).stream().filter(d -> d.dump().ruleCount() > 0).toList();
            boolean legacy = withRules.stream().anyMatch(d -> d.dump().flavour().equals("legacy"));
            boolean nft = withRules.stream().anyMatch(d -> d.dump().flavour().equals("nft"));
            List<EvidenceLine> ev = new ArrayList<>();
            boolean legacyHidden = legacy && nft;
            boolean nativeHidden = false;
            if (legacy && nft) {
                for (HostView.NamedDump d : withRules) {
                    ev.add(new EvidenceLine(d.source(), 0, d.dump().ruleCount() + " rules"));
                }
            }
            for (HostView.NamedDump d : v.iptables) {
                if (d.dump().family() != family) {
                    continue;
                }
                for (String w : d.dump().warnings()) {
                    if (w.contains("legacy tables present") || w.contains("incompatible")) {
                        ev.add(new EvidenceLine(d.source(), lineOf(v.snapshot.text(d.source()), w), w));
                        legacyHidden |= w.contains("legacy tables present");
                        nativeHidden |= w.contains("incompatible");
                    }
                }
                // iptables-nft-save prints these warnings on stderr (stdout empty when it holds no rule of its own)
                Snapshot.Source src = v.snapshot.source(d.source());
                String[] err = src == null || src.stderr() == null ? new String[0] : src.stderr().split("\n", -1);
                for (int i = 0; i < err.length; i++) {
                    String w = err[i].replaceFirst("^#\\s*", "").strip();
                    if ((w.contains("legacy tables present") || w.contains("incompatible")) && !d.dump().warnings().contains(w)) {
                        ev.add(new EvidenceLine(d.source() + " (stderr)", i + 1, err[i].strip()));
                        legacyHidden |= w.contains("legacy tables present");
                        nativeHidden |= w.contains("incompatible");
                    }
                }
            }
            if (!ev.isEmpty() && !(legacy && nft)) {
                for (HostView.NamedDump d : withRules) { // where the rules the warning points at are
                    ev.add(new EvidenceLine(d.source(), 0, d.dump().ruleCount() + " rules"));
                }
            }
            if (!ev.isEmpty()) {
                String stacks = legacyHidden && nativeHidden ? "iptables-legacy, iptables-nft and native nftables"
                        : legacyHidden ? "iptables-legacy and iptables-nft" : "iptables-nft and native nftables";
                out.add(DiagnosisCode.FIREWALL_STACK_SPLIT, null, 0, null, null, ev, Map.of("family", String.valueOf(family)), Map.of("stacks", stacks));
            }
        }
    }

    /** AI listeners on a wide bind that the firewall alone keeps private. */
    private static void wideBindLatent(HostContext c, Findings out) {
        Map<Integer, Listener> byPort = new LinkedHashMap<>();
        for (Listener l : c.view.listeners) {
            if (l.proto().equals("tcp") && l.wide() && c.latentPorts.get(l.port()) && l.bind() != Listener.Bind.ADDRESS) {
                byPort.putIfAbsent(l.port(), l);
            }
        }
        for (Listener l : byPort.values()) {
            boolean anyReachable = false;
            boolean anyUncertain = false;
            List<EvidenceLine> ev = new ArrayList<>();
            for (Listener x : c.view.listeners) {
                if (x.proto().equals("tcp") && x.port() == l.port() && x.wide()) {
                    ev.add(EvidenceIndex.ss(x));
                }
            }
            for (EndpointCheck e : c.host.endpoints()) {
                if (e.port() == l.port()) {
                    anyReachable |= e.open() || e.prediction().state() == PortState.OPEN;
                    anyUncertain |= e.prediction().isUncertain();
                    if (e.prediction().blocked()) {
                        ev.add(e.prediction().decidedBy());
                    }
                }
            }
            for (ListenerCheck k : c.host.listeners()) {
                if (k.listener().port() == l.port() && k.listener().proto().equals("tcp")) {
                    anyReachable |= k.prediction().state() == PortState.OPEN;
                    anyUncertain |= k.prediction().isUncertain();
                    if (k.prediction().blocked()) {
                        ev.add(k.prediction().decidedBy());
                    }
                }
            }
            if (anyReachable || anyUncertain) {
                continue;
            }
            String bind = switch (l.bind()) {
                case ANY_V4 -> "0.0.0.0";
                case ANY_V6 -> "[::]";
                case ANY_DUAL -> "*";
                case ADDRESS -> String.valueOf(l.address());
            };
            Map<String, String> params = new LinkedHashMap<>();
            params.put("port", String.valueOf(l.port()));
            params.put("proto", "tcp");
            params.put("bind", bind);
            String process = l.processNames().isEmpty() ? "a process" : l.processNames();
            params.put("process", process);
            out.add(DiagnosisCode.WIDE_BIND_LATENT, null, l.port(), "tcp", null, EvidenceIndex.distinct(ev), params,
                    Map.of("process", process, "bind", bind));
        }
    }

    private static void outbound(HostContext c, Findings out) {
        for (int family : new int[] {4, 6}) {
            if (c.publicAddress(family) == null) {
                continue;
            }
            Prediction p = c.nf.evaluateOutbound(family == 6 ? Address.parse("2001:db8::10") : Address.parse("203.0.113.10"), 4444);
            if (!p.accepted() || p.isUncertain()) {
                continue;
            }
            List<EvidenceLine> ev = new ArrayList<>();
            ev.add(p.decidedBy());
            if (c.view.ufw != null && c.view.ufw.active()) {
                String outgoing = c.view.ufw.defaults().get("outgoing");
                if (outgoing != null) {
                    ev.add(new EvidenceLine("ufw-verbose", lineOf(c.view.snapshot.text("ufw-verbose"), "(outgoing)"),
                            "Default: " + outgoing + " (outgoing)"));
                }
            }
            out.add(DiagnosisCode.OUTBOUND_UNRESTRICTED, null, 0, null, null, ev, Map.of("family", String.valueOf(family)),
                    Map.of("family", String.valueOf(family)));
        }
    }

    /** fail2ban for SSH and for authenticating proxies that are reachable. */
    private static void bruteforce(HostContext c, Findings out) {
        List<String> what = new ArrayList<>();
        List<EvidenceLine> ev = new ArrayList<>();
        for (EndpointCheck e : c.host.endpoints()) {
            boolean reachable = e.open() || e.prediction().state() == PortState.OPEN && !e.prediction().isUncertain();
            if (!reachable) {
                continue;
            }
            Service s = e.service();
            boolean ssh = c.policy.remoteLogin(s == null ? null : s.id(), e.port());
            boolean proxy = s != null && s.access() == Auth.REQUIRED && "proxy".equals(s.authDetail());
            if (ssh && !what.contains("SSH")) {
                what.add("SSH");
                if (e.open()) {
                    ev.add(new EvidenceLine("scan", 0, e.endpoint() + " reachable (" + (s == null ? "port " + e.port() : s.name()) + ")"));
                } else if (e.prediction().decidedBy() != null) {
                    ev.add(e.prediction().decidedBy()); // reachable by the rules (no scan saw it)
                }
            }
            if (proxy && !what.contains("the authenticating proxy on port " + e.port())) {
                what.add("the authenticating proxy on port " + e.port());
                ev.add(new EvidenceLine("scan", 0, e.endpoint() + " asks for credentials"));
            }
        }
        if (what.isEmpty()) {
            return;
        }
        Snapshot.Source f2b = c.view.snapshot.source("fail2ban");
        boolean stopped = f2b != null && Collector.NOT_RUNNING.equals(f2b.note());
        if (f2b != null && !stopped && (f2b.status().equals("denied") || f2b.status().equals("timeout") || f2b.status().equals("error"))) {
            return; // unknown: the host notes say why
        }
        boolean sshJail = c.view.jails.stream().anyMatch(j -> c.policy.serviceClass("remote-login").jail(j.name()));
        boolean proxyJail = c.view.jails.stream().anyMatch(j -> c.policy.serviceClass("proxy-auth").jail(j.name()));
        List<String> missing = new ArrayList<>();
        for (String w : what) {
            if (w.equals("SSH") ? !sshJail : !proxyJail) {
                missing.add(w);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        ev.add(f2b == null || f2b.status().equals("missing") ? new EvidenceLine("fail2ban", 0, "fail2ban-client is not installed")
                : stopped ? new EvidenceLine("fail2ban", 0, Collector.NOT_RUNNING)
                : new EvidenceLine("fail2ban", 0, "jails: " + c.view.jails.stream().map(HostFacts.Jail::name).toList()));
        out.add(DiagnosisCode.NO_BRUTEFORCE_PROTECTION, null, 0, null, null, ev, Map.of("what", String.join(", ", missing)),
                Map.of("what", String.join(" or ", missing)));
    }

    private static void resources(HostContext c, Findings out) {
        for (HostFacts.Unit u : c.view.units) {
            String max = u.get("MemoryMax");
            if (max == null || max.equals("infinity")) {
                out.add(DiagnosisCode.NO_RESOURCE_LIMIT, null, 0, null, null,
                        List.of(new EvidenceLine("systemd-units", u.line(), u.name() + ": MemoryMax=" + (max == null ? "(unset)" : max))),
                        Map.of("unit", u.name()), Map.of("unit", u.name(), "value", max == null ? "unset" : max));
            }
        }
    }

    private static int lineOf(String text, String needle) {
        return TextLines.lineOf(text, needle, 0);
    }

    private static String join(TreeSet<Integer> ports) {
        return String.join(", ", ports.stream().map(String::valueOf).toList());
    }
}
