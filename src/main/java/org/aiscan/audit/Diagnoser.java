package org.aiscan.audit;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.aiscan.fingerprint.Rule;
import org.aiscan.fingerprint.Ruleset;
import org.aiscan.host.HostFacts;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.host.Iptables;
import org.aiscan.host.Listener;
import org.aiscan.host.Nft;
import org.aiscan.host.Ufw;
import org.aiscan.model.Address;
import org.aiscan.model.CveMatch;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Evidence;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Remedy;
import org.aiscan.model.Risk;
import org.aiscan.model.Service;

/**
 * Turns one host's audit into diagnoses. Each detector reads the evaluator's predictions, the scan's
 * observations and the snapshot; severities, sentences and remediation kinds come from the
 * {@link AuditPolicy}. A prediction the evaluator flagged uncertain never produces a firewall
 * diagnosis on its own (it is reported as uncertain instead).
 */
final class Diagnoser {
    private final AuditPolicy policy;
    private final Ruleset rules;
    private final BitSet latentPorts;
    private final List<Diagnosis> out = new ArrayList<>();
    private HostAudit h;
    private Netfilter nf;
    private final Map<Integer, Boolean> defaultDeny = new java.util.HashMap<>();

    Diagnoser(AuditPolicy policy, Ruleset rules) {
        this.policy = policy;
        this.rules = rules;
        this.latentPorts = policy.latentPortSet();
    }

    List<Diagnosis> diagnose(HostAudit host) {
        this.h = host;
        this.nf = new Netfilter(host.view());
        this.defaultDeny.clear();
        for (EndpointCheck e : host.endpoints()) {
            endpoint(e);
        }
        for (ListenerCheck l : host.listeners()) {
            listener(l);
        }
        firewallInactive();
        stackSplit();
        wideBindLatent();
        outbound();
        bruteforce();
        resources();
        return dedupe(out);
    }

    /**
     * The service-level diagnoses of open endpoints no snapshot explains (a scan without snapshots,
     * or addresses of hosts not collected): what the fingerprints alone say.
     */
    List<Diagnosis> serviceOnly(Address ip, List<Endpoint> endpoints) {
        org.aiscan.host.Snapshot none = new org.aiscan.host.Snapshot(org.aiscan.host.Snapshot.SCHEMA, ip.toString(),
                java.time.Instant.EPOCH, "", false, List.of());
        HostView view = HostView.of(none);
        this.h = new HostAudit(ip.toString(), null, view, List.of(ip), List.of(ip), List.of(), List.of(), List.of(), 0, 0, List.of());
        this.nf = new Netfilter(view);
        for (Endpoint e : endpoints) {
            if (e.service() != null && e.port().state() == org.aiscan.model.PortState.OPEN) {
                service(new EndpointCheck(e.port().address(), e.port().port(), "tcp", "open", null, true, null, e.service()), e.service());
            }
        }
        return dedupe(out);
    }

    // ------------------------------------------------------------------------------------------
    // per endpoint

    private void endpoint(EndpointCheck e) {
        Prediction p = e.prediction();
        boolean reachable = e.open() || e.observed().equals("unknown") && p.state().equals("open");
        Service s = e.service();
        if (reachable && s != null) {
            service(e, s);
        }
        if (!reachable || p.isUncertain()) {
            return;
        }
        firewallPath(e.ip(), e.port(), "tcp", p, s);
    }

    private void listener(ListenerCheck l) {
        Prediction p = l.prediction();
        if (!p.state().equals("open") || p.isUncertain()) {
            return;
        }
        firewallPath(l.ip(), l.listener().port(), l.listener().proto(), p, null);
    }

    /** The firewall diagnoses of a reachable endpoint. */
    private void firewallPath(Address ip, int port, String proto, Prediction p, Service s) {
        Map<String, String> params = params(ip, port, proto);
        String serviceName = serviceName(s, port);
        boolean ai = isAi(s, port);
        // DOCKER_BYPASSES_FIREWALL: forwarded by a DNAT where the input rules would have blocked it
        if (p.path().equals("FORWARD") && p.dnat() != null) {
            Prediction input = nf.evaluateInputOnly(p.packet());
            if (input.blocked() && !input.isUncertain()) {
                List<EvidenceLine> ev = new ArrayList<>();
                ev.add(p.dnat());
                ev.add(p.decidedBy());
                ev.add(input.decidedBy());
                ev.addAll(ufwRows(input.decidedBy()));
                ev.addAll(listenerLines(ip, port, proto));
                ev.addAll(dockerLines(port));
                Map<String, String> ps = new LinkedHashMap<>(params);
                ps.put("container", p.forwardedTo());
                add("DOCKER_BYPASSES_FIREWALL", ip, port, proto, null, ev, ps, Map.of("container", p.forwardedTo()));
            }
            if (!p.privateTrust().isEmpty() && policy.isPrivate(p.packet().src())) {
                List<EvidenceLine> ev = new ArrayList<>(p.privateTrust());
                ev.add(p.dnat());
                add("DOCKER_USER_TRUSTS_PRIVATE", ip, port, proto, null, ev, params,
                        Map.of("source", p.packet().src().toString()));
            }
        }
        // IPV6_UNFILTERED: open over IPv6 while the same port is blocked over IPv4
        if (ip.isV6()) {
            for (Address v4 : nf.host().publicAddresses()) {
                if (v4.isV6()) {
                    continue;
                }
                Address src4 = h.sources().stream().filter(a -> !a.isV6()).findFirst().orElse(Correlator.OUTSIDE_V4);
                Prediction q = nf.evaluate(src4, v4, proto, port);
                if (q.blocked() && !q.isUncertain()) {
                    List<EvidenceLine> ev = new ArrayList<>();
                    ev.add(p.decidedBy());
                    ev.add(q.decidedBy());
                    ev.addAll(listenerLines(ip, port, proto));
                    ev.addAll(globalV6());
                    add("IPV6_UNFILTERED", ip, port, proto, null, ev, params, Map.of());
                    break;
                }
            }
        }
        boolean defaultDeny = defaultDeny(ip.isV6() ? 6 : 4);
        // ALLOW_FROM_ANYWHERE: an explicit accept for this port with no source restriction (on the input
        // path: a forwarded port's accept is Docker's own, reported as a bypass above)
        if (ai && defaultDeny && p.path().equals("INPUT")) {
            for (Trace.Accept a : p.accepts()) {
                if (a.explicitPort() && !a.sourceRestricted()) {
                    List<EvidenceLine> ev = new ArrayList<>();
                    ev.add(a.rule());
                    ev.addAll(ufwRows(a.rule()));
                    add("ALLOW_FROM_ANYWHERE", ip, port, proto, null, ev, params, Map.of("service", serviceName));
                    break;
                }
            }
        }
        // RULE_SHADOWED
        for (Trace.Shadow sh : p.shadowed()) {
            List<EvidenceLine> ev = new ArrayList<>();
            ev.add(sh.accept());
            ev.addAll(ufwRows(sh.accept()));
            ev.add(sh.deny());
            ev.addAll(ufwRows(sh.deny()));
            add("RULE_SHADOWED", ip, port, proto, null, ev, params, Map.of());
        }
        // rate limits
        boolean costly = s != null && policy.inClass("costly", category(s), s.risk().reasons());
        boolean ssh = proto.equals("tcp") && policy.remoteLogin(s == null ? null : s.id(), port);
        if (p.rateLimits().isEmpty() && (ai || costly || ssh)) {
            List<EvidenceLine> elsewhere = rateLimitsFor(port, proto);
            if (!elsewhere.isEmpty()) {
                List<EvidenceLine> ev = new ArrayList<>(elsewhere);
                ev.add(p.decidedBy());
                if (p.dnat() != null) {
                    ev.add(0, p.dnat());
                }
                add("RATE_LIMIT_INEFFECTIVE", ip, port, proto, null, ev, params, Map.of("path", p.path()));
            } else if (costly) {
                List<EvidenceLine> ev = new ArrayList<>();
                ev.add(p.decidedBy());
                ev.addAll(listenerLines(ip, port, proto));
                add("NO_RATE_LIMIT", ip, port, proto, null, ev, params, Map.of("service", serviceName));
            } else if (ssh) {
                List<EvidenceLine> ev = new ArrayList<>();
                ev.add(p.decidedBy());
                ev.addAll(ufwRows(p.decidedBy()));
                add("SSH_NOT_RATE_LIMITED", ip, port, proto, null, ev, params, Map.of());
            }
        }
    }

    /** The service-level diagnoses of an open, fingerprinted endpoint. */
    private void service(EndpointCheck e, Service s) {
        if (s.id() == null) {
            return; // unidentified: no rule says what it is, so nothing service-specific can be said
        }
        Map<String, String> params = params(e.ip(), e.port(), "tcp");
        params.put("service", s.id());
        String category = category(s);
        List<EvidenceLine> ev = serviceEvidence(e, s);
        String name = s.name() == null ? s.id() : s.name();
        String detail = s.authDetail() == null ? "" : s.authDetail();
        if (detail.equals("setup-takeover") || detail.equals("registration-open")) {
            add("SETUP_TAKEOVER", e.ip(), e.port(), "tcp", null, ev, params, Map.of("service", name, "risk", s.risk().summary()));
        } else if (Service.AUTH_NONE.equals(s.auth())) {
            String sev = specSeverity(s);
            if (policy.inClass("admin", category, List.of())) {
                add("ADMIN_ENDPOINT_EXPOSED", e.ip(), e.port(), "tcp", sev, ev, params, Map.of("service", name, "risk",
                        s.risk().summary()));
            } else if (policy.inClass("ai-api", category, s.risk().reasons())) {
                add("UNAUTHENTICATED_AI_API", e.ip(), e.port(), "tcp", sev, ev, params, Map.of("service", name, "risk",
                        s.risk().summary()));
            }
        }
        if (Service.AUTH_REQUIRED.equals(s.auth()) && !s.tls() && s.evidence().stream().anyMatch(x -> "auth".equals(x.what())
                && x.snippet() != null && x.snippet().toLowerCase(Locale.ROOT).matches("(?s).*\\bbasic\\b.*"))) {
            List<EvidenceLine> aev = new ArrayList<>(ev.subList(0, 1));
            for (Evidence x : s.evidence()) {
                if ("auth".equals(x.what())) {
                    aev.add(new EvidenceLine("scan", 0, x.request() + " -> " + x.status() + ": " + x.snippet()));
                }
            }
            add("PLAINTEXT_BASIC_AUTH", e.ip(), e.port(), "tcp", null, aev, params, Map.of());
        }
        if (!s.cves().isEmpty()) {
            String worst = "info";
            List<String> ids = new ArrayList<>();
            for (CveMatch c : s.cves()) {
                ids.add(Objects.toString(c.id(), "?"));
                if (c.severity() != null && Risk.SEVERITIES.contains(c.severity()) && Risk.rank(c.severity()) < Risk.rank(worst)) {
                    worst = c.severity();
                }
            }
            List<EvidenceLine> cev = new ArrayList<>(ev);
            for (CveMatch c : s.cves()) {
                cev.add(new EvidenceLine("rules", 0, c.id() + " (" + Objects.toString(c.severity(), "severity unknown") + ", affects "
                        + Objects.toString(c.affected(), "?") + "): " + Objects.toString(c.title(), "")));
            }
            add("KNOWN_CVE", e.ip(), e.port(), "tcp", worst, cev, params, Map.of("service", name, "version", versionText(s.version()),
                    "cves", String.join(", ", ids)));
        }
    }

    /** A version goes into a sentence only when it looks like one: it was read from a banner. */
    static String versionText(String v) {
        return v != null && v.matches("[0-9A-Za-z][0-9A-Za-z.+_~-]{0,39}") ? v : "(version not shown)";
    }

    private List<EvidenceLine> serviceEvidence(EndpointCheck e, Service s) {
        List<EvidenceLine> ev = new ArrayList<>();
        ev.add(new EvidenceLine("scan", 0, e.endpoint() + " open: " + (s.name() == null ? s.id() : s.name())
                + (s.version() == null ? "" : " " + s.version()) + ", auth " + s.auth() + (s.authDetail() == null ? "" : " (" + s.authDetail()
                + ")")));
        for (Evidence x : s.evidence()) {
            ev.add(new EvidenceLine("scan", 0, x.request() + " -> " + x.status() + ": " + x.snippet()));
            if (ev.size() >= 4) {
                break;
            }
        }
        return ev;
    }

    // ------------------------------------------------------------------------------------------
    // host-wide

    /** Whether new inbound connections to an arbitrary port are blocked for this family (asked once per endpoint: kept). */
    private boolean defaultDeny(int family) {
        return defaultDeny.computeIfAbsent(family, this::probeDefaultDeny);
    }

    private boolean probeDefaultDeny(int family) {
        Address dst = publicAddress(family);
        if (dst == null) {
            return true;
        }
        Address src = h.sources().stream().filter(a -> a.isV6() == (family == 6)).findFirst()
                .orElse(family == 6 ? Correlator.OUTSIDE_V6 : Correlator.OUTSIDE_V4);
        for (int port : new int[] {1, 47_123}) {
            Prediction p = nf.evaluate(src, dst, "tcp", port);
            if (p.blocked() || p.isUncertain()) {
                return true;
            }
        }
        return false;
    }

    /** The host's first address of this family that others reach (not loopback, not a container bridge), or null. */
    private Address publicAddress(int family) {
        return nf.host().publicAddresses().stream().filter(a -> a.isV6() == (family == 6)).findFirst().orElse(null);
    }

    private void firewallInactive() {
        for (int family : new int[] {4, 6}) {
            Address dst = publicAddress(family);
            if (dst == null || defaultDeny(family)) {
                continue;
            }
            if (family == 6 && publicAddress(4) != null && defaultDeny(4)) {
                continue; // IPv4 is filtered: that is IPV6_UNFILTERED, reported per port
            }
            TreeSet<Integer> reachable = new TreeSet<>();
            List<EvidenceLine> ev = new ArrayList<>();
            Address src = h.sources().stream().filter(a -> a.isV6() == (family == 6)).findFirst()
                    .orElse(family == 6 ? Correlator.OUTSIDE_V6 : Correlator.OUTSIDE_V4);
            Prediction probe = nf.evaluate(src, dst, "tcp", 1);
            ev.add(probe.decidedBy());
            if (h.view().ufw != null && !h.view().ufw.active()) {
                ev.add(new EvidenceLine("ufw-verbose", 1, "Status: inactive"));
            }
            for (EndpointCheck e : h.endpoints()) {
                if (e.ip().isV6() == (family == 6) && (e.open() || e.prediction().state().equals("open")) && !e.prediction().isUncertain()) {
                    reachable.add(e.port());
                    ev.addAll(listenerLines(e.ip(), e.port(), "tcp"));
                }
            }
            for (ListenerCheck l : h.listeners()) {
                if (l.ip().isV6() == (family == 6) && l.prediction().state().equals("open") && l.listener().proto().equals("tcp")) {
                    reachable.add(l.listener().port());
                    ev.add(ssLine(l.listener()));
                }
            }
            if (reachable.isEmpty()) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            params.put("family", String.valueOf(family));
            params.put("ports", join(reachable));
            add("FIREWALL_INACTIVE", dst, 0, null, null, ev, params, Map.of("family", String.valueOf(family),
                    "count", String.valueOf(reachable.size()), "ports", join(reachable)));
        }
    }

    private void stackSplit() {
        HostView v = h.view();
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
                        ev.add(new EvidenceLine(d.source(), lineOrZero(v.snapshot.text(d.source()), w), w));
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
                add("FIREWALL_STACK_SPLIT", null, 0, null, null, ev, Map.of("family", String.valueOf(family)), Map.of("stacks", stacks));
            }
        }
    }

    /** AI listeners on a wide bind that the firewall alone keeps private. */
    private void wideBindLatent() {
        Map<Integer, Listener> byPort = new LinkedHashMap<>();
        for (Listener l : h.view().listeners) {
            if (l.proto().equals("tcp") && l.wide() && latentPorts.get(l.port()) && l.bind() != Listener.Bind.ADDRESS) {
                byPort.putIfAbsent(l.port(), l);
            }
        }
        for (Listener l : byPort.values()) {
            boolean anyReachable = false;
            boolean anyUncertain = false;
            List<EvidenceLine> ev = new ArrayList<>();
            for (Listener x : h.view().listeners) {
                if (x.proto().equals("tcp") && x.port() == l.port() && x.wide()) {
                    ev.add(ssLine(x));
                }
            }
            for (EndpointCheck e : h.endpoints()) {
                if (e.port() == l.port()) {
                    anyReachable |= e.open() || e.prediction().state().equals("open");
                    anyUncertain |= e.prediction().isUncertain();
                    if (e.prediction().blocked()) {
                        ev.add(e.prediction().decidedBy());
                    }
                }
            }
            for (ListenerCheck c : h.listeners()) {
                if (c.listener().port() == l.port() && c.listener().proto().equals("tcp")) {
                    anyReachable |= c.prediction().state().equals("open");
                    anyUncertain |= c.prediction().isUncertain();
                    if (c.prediction().blocked()) {
                        ev.add(c.prediction().decidedBy());
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
            add("WIDE_BIND_LATENT", null, l.port(), "tcp", null, dedupeLines(ev), params,
                    Map.of("process", process, "bind", bind));
        }
    }

    private void outbound() {
        for (int family : new int[] {4, 6}) {
            if (publicAddress(family) == null) {
                continue;
            }
            Prediction p = nf.evaluateOutbound(family == 6 ? Address.parse("2001:db8::10") : Address.parse("203.0.113.10"), 4444);
            if (!p.accepted() || p.isUncertain()) {
                continue;
            }
            List<EvidenceLine> ev = new ArrayList<>();
            ev.add(p.decidedBy());
            if (h.view().ufw != null && h.view().ufw.active()) {
                String out = h.view().ufw.defaults().get("outgoing");
                if (out != null) {
                    ev.add(new EvidenceLine("ufw-verbose", lineOrZero(h.view().snapshot.text("ufw-verbose"), "(outgoing)"),
                            "Default: " + out + " (outgoing)"));
                }
            }
            add("OUTBOUND_UNRESTRICTED", null, 0, null, null, ev, Map.of("family", String.valueOf(family)),
                    Map.of("family", String.valueOf(family)));
        }
    }

    /** fail2ban for SSH and for authenticating proxies that are reachable. */
    private void bruteforce() {
        List<String> what = new ArrayList<>();
        List<EvidenceLine> ev = new ArrayList<>();
        for (EndpointCheck e : h.endpoints()) {
            boolean reachable = e.open() || e.prediction().state().equals("open") && !e.prediction().isUncertain();
            if (!reachable) {
                continue;
            }
            Service s = e.service();
            boolean ssh = policy.remoteLogin(s == null ? null : s.id(), e.port());
            boolean proxy = s != null && Service.AUTH_REQUIRED.equals(s.auth()) && "proxy".equals(s.authDetail());
            if (ssh && !what.contains("SSH")) {
                what.add("SSH");
                ev.add(new EvidenceLine("scan", 0, e.endpoint() + " reachable (" + (s == null ? "port " + e.port() : s.name()) + ")"));
            }
            if (proxy && !what.contains("the authenticating proxy on port " + e.port())) {
                what.add("the authenticating proxy on port " + e.port());
                ev.add(new EvidenceLine("scan", 0, e.endpoint() + " asks for credentials"));
            }
        }
        if (what.isEmpty()) {
            return;
        }
        org.aiscan.host.Snapshot.Source f2b = h.view().snapshot.source("fail2ban");
        boolean stopped = f2b != null && org.aiscan.host.Collector.NOT_RUNNING.equals(f2b.note());
        if (f2b != null && !stopped && (f2b.status().equals("denied") || f2b.status().equals("timeout") || f2b.status().equals("error"))) {
            return; // unknown: the host notes say why
        }
        boolean sshJail = h.view().jails.stream().anyMatch(j -> policy.serviceClass("remote-login").jail(j.name()));
        boolean proxyJail = h.view().jails.stream().anyMatch(j -> policy.serviceClass("proxy-auth").jail(j.name()));
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
                : stopped ? new EvidenceLine("fail2ban", 0, org.aiscan.host.Collector.NOT_RUNNING)
                : new EvidenceLine("fail2ban", 0, "jails: " + h.view().jails.stream().map(HostFacts.Jail::name).toList()));
        add("NO_BRUTEFORCE_PROTECTION", null, 0, null, null, ev, Map.of("what", String.join(", ", missing)),
                Map.of("what", String.join(" or ", missing)));
    }

    private void resources() {
        for (HostFacts.Unit u : h.view().units) {
            String max = u.get("MemoryMax");
            if (max == null || max.equals("infinity")) {
                add("NO_RESOURCE_LIMIT", null, 0, null, null,
                        List.of(new EvidenceLine("systemd-units", u.line(), u.name() + ": MemoryMax=" + (max == null ? "(unset)" : max))),
                        Map.of("unit", u.name()), Map.of("unit", u.name(), "value", max == null ? "unset" : max));
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // helpers

    private void add(String code, Address ip, int port, String proto, String severity, List<EvidenceLine> evidence,
                     Map<String, String> params, Map<String, String> fill) {
        AuditPolicy.Code c = policy.code(code);
        String sev = severity;
        if (sev == null) {
            sev = c.severity().startsWith("from-") ? "medium" : c.severity();
        }
        Map<String, String> values = new LinkedHashMap<>(fill);
        values.putIfAbsent("port", String.valueOf(port));
        values.putIfAbsent("family", ip == null ? "" : ip.isV6() ? "6" : "4");
        String why = c.why();
        for (Map.Entry<String, String> e : values.entrySet()) {
            why = why.replace("{" + e.getKey() + "}", e.getValue());
        }
        List<Remedy> remedies = new ArrayList<>();
        for (String kind : c.remediation()) {
            remedies.add(new Remedy(kind, params));
        }
        List<EvidenceLine> ev = dedupeLines(evidence.stream().filter(java.util.Objects::nonNull).toList());
        out.add(new Diagnosis(code, h.hostname(), ip, port, port > 0 ? (proto == null ? "tcp" : proto) : null, sev, why, ev, remedies));
    }

    private static List<EvidenceLine> dedupeLines(List<EvidenceLine> in) {
        List<EvidenceLine> out = new ArrayList<>();
        for (EvidenceLine e : in) {
            if (e != null && !out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** One diagnosis per (code, address, port); host-wide codes once per family at most. */
    private static List<Diagnosis> dedupe(List<Diagnosis> in) {
        Map<String, Diagnosis> m = new LinkedHashMap<>();
        for (Diagnosis d : in) {
            m.putIfAbsent(d.code() + "|" + d.ip() + "|" + d.port() + "|" + d.proto() + "|" + d.why(), d);
        }
        return new ArrayList<>(m.values());
    }

    private static Map<String, String> params(Address ip, int port, String proto) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ip", ip.toString());
        m.put("family", ip.isV6() ? "6" : "4");
        m.put("port", String.valueOf(port));
        m.put("proto", proto);
        return m;
    }

    private String category(Service s) {
        if (s == null) {
            return null;
        }
        Rule r = rules.get(s.id());
        return r == null ? null : r.category();
    }

    private String specSeverity(Service s) {
        Rule r = rules.get(s.id());
        return r == null || r.risk() == null ? s.risk().severity() : r.risk().severity();
    }

    private boolean isAi(Service s, int port) {
        if (s != null) {
            String cat = category(s);
            return policy.inClass("ai-api", cat, s.risk().reasons()) || policy.inClass("admin", cat, List.of())
                    || policy.inClass("costly", cat, s.risk().reasons());
        }
        return latentPorts.get(port);
    }

    private static String serviceName(Service s, int port) {
        return s == null ? "the service" : s.name() == null ? s.id() : s.name();
    }

    private List<EvidenceLine> listenerLines(Address ip, int port, String proto) {
        List<EvidenceLine> out = new ArrayList<>();
        for (Listener l : h.view().listeners) {
            if (l.proto().equals(proto) && l.port() == port && l.covers(ip, null)) {
                out.add(ssLine(l));
            }
        }
        return out;
    }

    private static EvidenceLine ssLine(Listener l) {
        return new EvidenceLine(l.proto().equals("udp") ? "ss-udp" : "ss-tcp", l.line(), l.text().trim());
    }

    private List<EvidenceLine> dockerLines(int port) {
        List<EvidenceLine> out = new ArrayList<>();
        for (HostFacts.DockerPort d : h.view().docker) {
            if (d.hostPort() == port) {
                out.add(new EvidenceLine("docker-ps", d.line(), d.text().trim()));
            }
        }
        return out;
    }

    private List<EvidenceLine> globalV6() {
        List<EvidenceLine> out = new ArrayList<>();
        for (HostFacts.InterfaceAddress a : h.view().addresses) {
            if (a.address().isV6() && "global".equals(a.scope())) {
                out.add(new EvidenceLine("ip-addr", a.line(), a.iface() + " " + a.address() + "/" + a.prefix() + " scope global"));
                break;
            }
        }
        return out;
    }

    /** The ufw rows behind an iptables rule of ufw's user chains (same action, port and source). */
    private List<EvidenceLine> ufwRows(EvidenceLine rule) {
        List<EvidenceLine> out = new ArrayList<>();
        Ufw.Status st = h.view().ufwNumbered != null ? h.view().ufwNumbered : h.view().ufw;
        if (rule == null || st == null || !rule.source().startsWith("iptables") || !rule.text().contains("ufw")
                || !rule.text().matches(".*-A ufw6?-user-(input|forward) .*")) {
            return out;
        }
        Iptables.Dump d = null;
        for (HostView.NamedDump nd : h.view().iptables) {
            if (nd.source().equals(rule.source())) {
                d = nd.dump();
            }
        }
        if (d == null) {
            return out;
        }
        Iptables.Rule r = null;
        for (Iptables.Table t : d.tables()) {
            for (Iptables.Chain c : t.chains().values()) {
                for (Iptables.Rule x : c.rules()) {
                    if (x.line() == rule.line()) {
                        r = x;
                    }
                }
            }
        }
        if (r == null) {
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
            port = Integer.parseInt(v.contains(":") ? v.substring(0, v.indexOf(':')) : v);
        }
        String src = r.match("-s") == null ? null : r.match("-s").value();
        boolean v6 = d.family() == 6;
        boolean forward = rule.text().contains("-user-forward");
        String file = st == h.view().ufwNumbered ? "ufw-numbered" : "ufw-verbose";
        for (Ufw.Rule u : st.rules()) {
            if (!u.action().equals(action) || u.v6() != v6 || forward != "FWD".equals(u.direction())) {
                continue;
            }
            if (port >= 0 && !u.to().hasPort(port) || port < 0 && u.to().ports() != null) {
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
            return org.aiscan.model.Cidr.parse(a).equals(org.aiscan.model.Cidr.parse(b));
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }

    /** Rate-limit rules anywhere in the snapshot that name this port (iptables, nft, ufw LIMIT rows). */
    private List<EvidenceLine> rateLimitsFor(int port, String proto) {
        List<EvidenceLine> out = new ArrayList<>();
        for (HostView.NamedDump nd : h.view().iptables) {
            for (Iptables.Table t : nd.dump().tables()) {
                for (Iptables.Chain c : t.chains().values()) {
                    for (Iptables.Rule r : c.rules()) {
                        if (!limits(r)) {
                            continue;
                        }
                        Iptables.Option dp = r.match("--dport") != null ? r.match("--dport")
                                : r.match("--dports") != null ? r.match("--dports") : r.match("--ctorigdstport");
                        if (dp != null && !dp.negated() && IptablesMatch.inList(dp.value(), port)) {
                            out.add(IptablesWalk.cite(nd.source(), r));
                        }
                    }
                }
            }
        }
        if (h.view().nft != null) {
            for (Nft.Table t : h.view().nft.tables()) {
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
        Ufw.Status st = h.view().ufwNumbered != null ? h.view().ufwNumbered : h.view().ufw;
        if (st != null) {
            for (Ufw.Rule u : st.rules()) {
                if (u.action().equals("LIMIT") && u.to().hasPort(port) && (u.to().proto() == null || u.to().proto().equals(proto))) {
                    out.add(new EvidenceLine(st == h.view().ufwNumbered ? "ufw-numbered" : "ufw-verbose", u.line(), u.text().trim()));
                }
            }
        }
        return out;
    }

    /** A rule that limits new connections (not a logging limit). */
    private static boolean limits(Iptables.Rule r) {
        String t = r.target();
        if (t == null || IptablesMatch.NON_TERMINAL.contains(t)) {
            return false;
        }
        return r.match("--hitcount") != null || r.match("--connlimit-above") != null || r.match("--connlimit-upto") != null
                || r.match("--hashlimit-above") != null || r.match("--hashlimit-upto") != null || r.match("--limit") != null;
    }

    /** The line of {@code text} holding {@code needle}, or 0 (no text, or not found). */
    private static int lineOrZero(String text, String needle) {
        return org.aiscan.model.TextLines.lineOf(text, needle, 0);
    }

    private static String join(TreeSet<Integer> ports) {
        return String.join(", ", ports.stream().map(String::valueOf).toList());
    }
}
