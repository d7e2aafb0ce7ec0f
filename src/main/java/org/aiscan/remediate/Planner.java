package org.aiscan.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.EndpointCheck;
import org.aiscan.audit.HostAudit;
import org.aiscan.audit.ListenerCheck;
import org.aiscan.audit.Prediction;
import org.aiscan.home.AiscanHome;
import org.aiscan.host.HostFacts;
import org.aiscan.host.HostView;
import org.aiscan.host.Iptables;
import org.aiscan.host.Listener;
import org.aiscan.host.Nft;
import org.aiscan.host.Ufw;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Fix;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.Service;

/**
 * Plans the remediation of one host from its audit: every port a diagnosis names is closed to
 * everyone but the {@code --trusted} networks (default: nobody), on the path the evaluator found
 * (input rules for local sockets, DOCKER-USER or a pre-DNAT filter for published ports), with the
 * host's own front-end (ufw when it is in use or nothing else is, iptables when rules live there,
 * nftables on nftables-only hosts). SSH stays reachable before any default deny. Services that
 * must stay reachable get an nginx proxy with TLS, authentication and a rate limit; SSH and
 * authenticating proxies get fail2ban jails; AI units without a memory limit a drop-in.
 */
public final class Planner {
    /** Codes whose port is closed to the public by the firewall part of the bundle. */
    private static final Set<String> RESTRICT = Set.of("FIREWALL_INACTIVE", "ALLOW_FROM_ANYWHERE", "DOCKER_BYPASSES_FIREWALL",
            "DOCKER_USER_TRUSTS_PRIVATE", "IPV6_UNFILTERED", "RULE_SHADOWED", "UNAUTHENTICATED_AI_API", "SETUP_TAKEOVER",
            "PLAINTEXT_BASIC_AUTH", "ADMIN_ENDPOINT_EXPOSED", "NO_RATE_LIMIT", "RATE_LIMIT_INEFFECTIVE", "KNOWN_CVE");
    /** Codes whose service is worth an authenticating proxy when it must stay reachable. */
    private static final Set<String> PROXY = Set.of("UNAUTHENTICATED_AI_API", "SETUP_TAKEOVER", "PLAINTEXT_BASIC_AUTH",
            "ADMIN_ENDPOINT_EXPOSED", "NO_RATE_LIMIT");
    /** Interface names as the kernel allows them: nothing a shell or a rule parser would read twice. */
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

    /**
     * @param trusted networks that keep access to the closed ports (each family separately)
     * @param nginxDir where the proxy's certificate, key and password file live on the host
     */
    public record Options(List<Cidr> trusted, String nginxDir) {
        public Options {
            trusted = List.copyOf(trusted);
            if (!nginxDir.matches("/[A-Za-z0-9_./-]+")) {
                throw new InvalidInputException("--nginx-dir " + nginxDir + ": an absolute path of letters, digits, '_', '.', '/' and '-'");
            }
        }
    }

    /** One port to close, and how the connection reaches it. */
    private static final class Exposure {
        final int port;
        final Set<Integer> inputFamilies = new LinkedHashSet<>();
        final Set<Integer> forwardFamilies = new LinkedHashSet<>();
        String container;
        Service service;
        final List<Diagnosis> because = new ArrayList<>();

        Exposure(int port) {
            this.port = port;
        }
    }

    private final Options opt;
    private final AuditPolicy policy;
    private final Map<String, String> bindHints;
    private final Map<String, String> systemdEnv;
    private final String version;

    public Planner(Options opt, AuditPolicy policy, String version) throws IOException {
        this.opt = opt;
        this.policy = policy;
        this.version = version;
        this.bindHints = load("bind-loopback");
        this.systemdEnv = load("systemd-env");
    }

    private static Map<String, String> load(String section) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (InputStream in = AiscanHome.open("rulesets/policy/remediation.yaml")) {
            JsonNode n = new YAMLMapper().readTree(in);
            n.path(section).fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        }
        return m;
    }

    public Bundle plan(HostAudit h, List<Diagnosis> all) {
        List<Diagnosis> ds = all.stream().filter(d -> d.host().equals(h.hostname())).toList();
        HostView v = h.view();
        Facts f = facts(h);
        Map<Integer, Exposure> exposures = exposures(h, ds, f);
        Files out = new Files();
        String header = "aiscan remediation for " + safe(h.hostname()) + " (generated " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + " by aiscan " + safe(version) + ")";
        List<Diagnosis> sshLimit = ds.stream().filter(d -> d.code().equals("SSH_NOT_RATE_LIMITED")).toList();
        boolean inactive4 = ds.stream().anyMatch(d -> d.code().equals("FIREWALL_INACTIVE") && d.ip() != null && !d.ip().isV6());
        boolean inactive6 = ds.stream().anyMatch(d -> d.code().equals("FIREWALL_INACTIVE") && d.ip() != null && d.ip().isV6())
                || ds.stream().anyMatch(d -> d.code().equals("IPV6_UNFILTERED"));
        switch (f.mechanism) {
            case "ufw" -> ufw(out, header, f, exposures, sshLimit, v, ds);
            case "nftables" -> nft(out, header, f, exposures, sshLimit, inactive4 || inactive6);
            default -> iptables(out, header, f, exposures, sshLimit, inactive4, inactive6);
        }
        if (!f.mechanism.equals("iptables") && !f.mechanism.equals("nftables")) {
            dockerUser(out, header, f, exposures, ds);
        }
        compose(out, header, exposures);
        nginx(out, h, f, exposures);
        fail2ban(out, header, h, f, ds, exposures);
        systemd(out, v, ds, exposures);
        egress(out, header, f, ds);
        readme(out, h, f, exposures, ds);
        return new Bundle(h.hostname(), f.mechanism, out.files, out.fixes(), out.checks);
    }

    // ------------------------------------------------------------------------------------------
    // what the host has

    private static final class Facts {
        String mechanism;
        String iface;
        int sshPort = 22;
        boolean dockerUser4;
        boolean dockerUser6;
        boolean ufwIpv6Off;
        Address public4;
        Address public6;
        HostView view;
    }

    private Facts facts(HostAudit h) {
        HostView v = h.view();
        Facts f = new Facts();
        f.view = v;
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
                    if (t.name().equals("filter") && c.name().equals("DOCKER-USER")) {
                        if (d.dump().family() == 4) {
                            f.dockerUser4 = true;
                        } else {
                            f.dockerUser6 = true;
                        }
                    }
                }
            }
        }
        boolean nativeNft = v.nft != null && v.nft.tables().stream().anyMatch(t -> !t.managedByIptables()
                && t.chains().stream().anyMatch(Nft.Chain::isBase));
        if (ufwActive || ufwInstalled && !ownIptables && !nativeNft) {
            f.mechanism = "ufw";
        } else if (nativeNft && !ownIptables) {
            f.mechanism = "nftables";
        } else {
            f.mechanism = "iptables";
        }
        String defaults = v.snapshot.text("ufw-defaults");
        f.ufwIpv6Off = defaults != null && defaults.lines().anyMatch(l -> l.trim().matches("IPV6\\s*=\\s*\"?no\"?"));
        String up = null;
        for (HostFacts.InterfaceAddress ia : v.addresses) {
            if (!ia.iface().equals("lo") && "global".equals(ia.scope()) && !HostFacts.containerBridge(ia.iface())) {
                up = up == null ? ia.iface() : up;
                if (!ia.address().isV6() && f.public4 == null) {
                    f.public4 = ia.address();
                }
                if (ia.address().isV6() && f.public6 == null) {
                    f.public6 = ia.address();
                }
            }
        }
        f.iface = up != null && IFACE.matcher(up).matches() ? up : null;
        AuditPolicy.ServiceClass login = policy.serviceClass("remote-login");
        f.sshPort = login.ports().isEmpty() ? 22 : login.ports().get(0);
        for (Listener l : v.listeners) {
            if (l.proto().equals("tcp") && l.wide() && l.processes().stream().anyMatch(o -> login.processes().contains(o.name()))) {
                f.sshPort = l.port();
                break;
            }
        }
        for (EndpointCheck e : h.endpoints()) {
            if (e.service() != null && e.service().id() != null && login.ids().contains(e.service().id())) {
                f.sshPort = e.port();
                break;
            }
        }
        return f;
    }


    private Map<Integer, Exposure> exposures(HostAudit h, List<Diagnosis> ds, Facts f) {
        Map<Integer, Exposure> m = new TreeMap<>();
        for (Diagnosis d : ds) {
            if (!RESTRICT.contains(d.code())) {
                continue;
            }
            List<Integer> ports = new ArrayList<>();
            if (d.code().equals("FIREWALL_INACTIVE")) {
                for (var r : d.remediation()) {
                    String p = r.params().get("ports");
                    if (p != null) {
                        for (String x : p.split(",\\s*")) {
                            ports.add(Integer.parseInt(x.trim()));
                        }
                    }
                    break;
                }
            } else if (d.port() > 0 && "tcp".equals(d.proto())) {
                ports.add(d.port());
            }
            for (int port : ports) {
                if (port == f.sshPort) {
                    continue;
                }
                Exposure e = m.computeIfAbsent(port, Exposure::new);
                e.because.add(d);
                for (EndpointCheck c : h.endpoints()) {
                    if (c.port() == port) {
                        path(e, c.ip(), c.prediction());
                        if (c.service() != null) {
                            e.service = c.service();
                        }
                    }
                }
                for (ListenerCheck c : h.listeners()) {
                    if (c.listener().port() == port && c.listener().proto().equals("tcp")) {
                        path(e, c.ip(), c.prediction());
                    }
                }
                if (e.inputFamilies.isEmpty() && e.forwardFamilies.isEmpty() && d.ip() != null) {
                    e.inputFamilies.add(d.ip().isV6() ? 6 : 4);
                }
            }
        }
        return m;
    }

    private static void path(Exposure e, Address ip, Prediction p) {
        if (!p.state().equals("open")) {
            return;
        }
        int fam = ip.isV6() ? 6 : 4;
        if (p.path().equals("FORWARD")) {
            e.forwardFamilies.add(fam);
            e.container = p.forwardedTo();
        } else {
            e.inputFamilies.add(fam);
        }
    }

    /** Source networks that INPUT rules of this family already accept for the port. */
    private static List<Cidr> existingAllows(HostView v, int family, int port) {
        List<Cidr> out = new ArrayList<>();
        for (HostView.NamedDump d : v.iptables(family)) {
            Iptables.Table t = d.dump().table("filter");
            Iptables.Chain c = t == null ? null : t.chain("INPUT");
            if (c == null) {
                continue;
            }
            for (Iptables.Rule r : c.rules()) {
                Iptables.Option src = r.match("-s");
                Iptables.Option dp = r.match("--dport");
                if ("ACCEPT".equals(r.target()) && src != null && !src.negated() && dp != null && !dp.negated()
                        && dp.value().equals(String.valueOf(port))) {
                    try {
                        out.add(Cidr.parse(src.value()));
                    } catch (IllegalArgumentException e) {
                        // a host name: not carried over
                    }
                }
            }
        }
        return out;
    }

    private List<Cidr> trusted(int family) {
        return opt.trusted.stream().filter(c -> c.isV6() == (family == 6)).toList();
    }

    // ------------------------------------------------------------------------------------------
    // the bundle's files, with the diagnoses each line answers

    /** Files being written, and which lines of which file address which diagnosis. */
    private static final class Files {
        final Map<String, String> files = new LinkedHashMap<>();
        final Map<String, String> checks = new LinkedHashMap<>();
        final Map<Diagnosis, Map<String, List<String>>> lines = new LinkedHashMap<>();
        final Map<Diagnosis, Map<String, String>> titles = new LinkedHashMap<>();

        void tag(List<Diagnosis> ds, String file, String title, String line) {
            for (Diagnosis d : ds) {
                lines.computeIfAbsent(d, k -> new LinkedHashMap<>()).computeIfAbsent(file, k -> new ArrayList<>()).add(line);
                titles.computeIfAbsent(d, k -> new LinkedHashMap<>()).putIfAbsent(file, title);
            }
        }

        Map<Diagnosis, List<Fix>> fixes() {
            Map<Diagnosis, List<Fix>> out = new LinkedHashMap<>();
            for (Map.Entry<Diagnosis, Map<String, List<String>>> e : lines.entrySet()) {
                List<Fix> fx = new ArrayList<>();
                for (Map.Entry<String, List<String>> f : e.getValue().entrySet()) {
                    fx.add(new Fix(titles.get(e.getKey()).get(f.getKey()), f.getKey(), String.join("\n", new LinkedHashSet<>(f.getValue()))));
                }
                out.put(e.getKey(), fx);
            }
            return out;
        }
    }

    private static List<Diagnosis> of(List<Diagnosis> ds, String... codes) {
        Set<String> c = Set.of(codes);
        return ds.stream().filter(d -> c.contains(d.code())).toList();
    }

    // ---- ufw

    private void ufw(Files out, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> sshLimit, HostView v,
                     List<Diagnosis> ds) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n# ").append(header).append(" — ufw.\n")
                .append("# Review, then run as root on the host:   sh ufw.sh\n")
                .append("# Check first, changing nothing:          UFW=\"ufw --dry-run\" sh ufw.sh\n")
                .append("set -eu\nUFW=\"${UFW:-ufw}\"\n\n");
        s.append("# 1. SSH stays reachable before anything else changes").append(sshLimit.isEmpty() ? "" : " (rate limited: ufw allows 6 new "
                + "connections per 30 s and source)").append('\n');
        String ssh = "$UFW " + (sshLimit.isEmpty() ? "allow " : "limit ") + f.sshPort + "/tcp comment 'aiscan ssh'";
        s.append(ssh).append('\n');
        out.tag(sshLimit, "ufw.sh", "Rate-limit SSH with ufw", ssh);
        if (f.ufwIpv6Off && exposures.values().stream().anyMatch(e -> e.inputFamilies.contains(6))) {
            s.append("\n# ufw manages IPv6 only with IPV6=yes\n")
                    .append("if [ \"$UFW\" = ufw ]; then sed -i 's/^IPV6=.*/IPV6=yes/' /etc/default/ufw; fi\n");
        }
        s.append("\n# 2. the exposed ports: a deny at the top of the rules, the trusted networks above it\n");
        for (Exposure e : exposures.values()) {
            if (e.inputFamilies.isEmpty()) {
                continue;
            }
            List<String> block = new ArrayList<>();
            List<String> keep = new ArrayList<>();
            for (Ufw.Rule r : v.ufw == null ? List.<Ufw.Rule>of() : v.ufw.rules()) {
                String to = r.to().raw().replace(" (v6)", "").trim();
                boolean in = r.direction() == null || r.direction().equals("IN");
                if (!in || r.to().address() != null || r.to().iface() != null || !to.equals(e.port + "/tcp")) {
                    continue;
                }
                if (r.from().address() == null) {
                    if (!r.v6() && (r.action().equals("DENY") || r.action().equals("ALLOW") || r.action().equals("REJECT"))) {
                        block.add("$UFW delete " + r.action().toLowerCase(java.util.Locale.ROOT) + " " + e.port + "/tcp");
                    }
                } else if (r.action().equals("ALLOW")) {
                    // a network the operator already allows keeps its access: moved above the new deny
                    try {
                        Cidr from = Cidr.parse(r.from().address());
                        block.add("$UFW delete allow from " + from + " to any port " + e.port + " proto tcp");
                        keep.add("$UFW prepend allow from " + from + " to any port " + e.port + " proto tcp comment 'aiscan kept " + e.port + "'");
                    } catch (IllegalArgumentException ex) {
                        // not an address (an application profile): left where it is
                    }
                }
            }
            block.add("$UFW prepend deny " + e.port + "/tcp comment 'aiscan deny " + e.port + "'");
            block.addAll(keep);
            for (int fam : new int[] {6, 4}) {
                if (!e.inputFamilies.contains(fam)) {
                    continue;
                }
                for (Cidr t : trusted(fam)) {
                    block.add("$UFW prepend allow from " + t + " to any port " + e.port + " proto tcp comment 'aiscan trusted " + e.port + "'");
                }
            }
            for (String l : block) {
                s.append(l).append('\n');
                out.tag(e.because, "ufw.sh", "Close port " + e.port + " to everyone but the trusted networks (ufw)", l);
            }
        }
        s.append("\n# 3. default deny for everything not allowed above; enable (SSH is allowed above)\n");
        s.append("$UFW default deny incoming\n")
                .append("# ufw 0.36's dry run of 'enable' still writes ENABLED=yes to /etc/ufw/ufw.conf, which breaks the next real\n")
                .append("# command on an inactive ufw, so a dry run stops before it\n")
                .append("if [ \"$UFW\" = ufw ]; then $UFW --force enable; else echo \"(dry run: not enabling)\"; fi\n");
        out.tag(of(ds, "FIREWALL_INACTIVE"), "ufw.sh", "Default deny with ufw", "$UFW default deny incoming\n$UFW --force enable");
        if (exposures.values().stream().anyMatch(e -> !e.forwardFamilies.isEmpty())) {
            s.append("\n# Ports Docker publishes bypass these rules: apply iptables.rules (DOCKER-USER) too; see README.md.\n");
        }
        out.files.put("ufw.sh", s.toString());
        out.checks.put("ufw.sh", "UFW=\"ufw --dry-run\" sh ufw.sh");
    }

    // ---- iptables and ip6tables

    private void iptables(Files out, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> sshLimit,
                          boolean inactive4, boolean inactive6) {
        for (int fam : new int[] {4, 6}) {
            boolean anyInput = exposures.values().stream().anyMatch(e -> e.inputFamilies.contains(fam));
            boolean anyForward = exposures.values().stream().anyMatch(e -> e.forwardFamilies.contains(fam));
            boolean inactive = fam == 4 ? inactive4 : inactive6;
            boolean dockerUser = fam == 4 ? f.dockerUser4 : f.dockerUser6;
            if (!anyInput && !inactive && !(anyForward && dockerUser) && sshLimit.isEmpty()) {
                continue;
            }
            String file = fam == 4 ? "iptables.rules" : "ip6tables.rules";
            String tool = fam == 4 ? "iptables" : "ip6tables";
            StringBuilder s = new StringBuilder();
            s.append("# ").append(header).append(" — ").append(tool).append(" (IPv").append(fam).append(").\n")
                    .append("# Check:  ").append(tool).append("-restore --test --noflush < ").append(file).append('\n')
                    .append("# Apply:  ").append(tool).append("-restore --noflush < ").append(file)
                    .append("   (then persist it: netfilter-persistent save, or your own boot script)\n")
                    .append("# Rules are inserted at the top (-I n) so that they come before what is there already.\n*filter\n");
            int n = 1;
            List<String> input = new ArrayList<>();
            if (inactive) {
                s.append(":INPUT DROP [0:0]\n");
            }
            if (inactive || anyInput) {
                input.add("-I INPUT %d -i lo -j ACCEPT");
                input.add("-I INPUT %d -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
                input.add(fam == 4 ? "-I INPUT %d -p icmp -j ACCEPT" : "-I INPUT %d -p ipv6-icmp -j ACCEPT");
            }
            List<String> ssh = new ArrayList<>();
            if (!sshLimit.isEmpty()) {
                ssh.add("-I INPUT %d -p tcp -m tcp --dport " + f.sshPort + " -m conntrack --ctstate NEW -m recent --set --name aiscan-ssh --rsource");
                ssh.add("-I INPUT %d -p tcp -m tcp --dport " + f.sshPort + " -m conntrack --ctstate NEW -m recent --update --seconds 30 "
                        + "--hitcount 6 --name aiscan-ssh --rsource -j DROP");
            }
            if (inactive || anyInput || !sshLimit.isEmpty()) {
                ssh.add("-I INPUT %d -p tcp -m tcp --dport " + f.sshPort + " -j ACCEPT");
            }
            for (String l : input) {
                s.append(String.format(l, n++)).append('\n');
            }
            for (String l : ssh) {
                String line = String.format(l, n++);
                s.append(line).append('\n');
                out.tag(sshLimit, file, "Rate-limit SSH (" + tool + ")", line);
            }
            for (Exposure e : exposures.values()) {
                if (!e.inputFamilies.contains(fam)) {
                    continue;
                }
                List<String> block = new ArrayList<>();
                Set<Cidr> allowed = new LinkedHashSet<>(trusted(fam));
                allowed.addAll(existingAllows(f.view, fam, e.port)); // networks the rules already allow keep their access
                for (Cidr t : allowed) {
                    block.add(String.format("-I INPUT %d -s %s -p tcp -m tcp --dport %d -j ACCEPT", n++, t, e.port));
                }
                block.add(String.format("-I INPUT %d -p tcp -m tcp --dport %d -j DROP", n++, e.port));
                for (String l : block) {
                    s.append(l).append('\n');
                    out.tag(e.because, file, "Close port " + e.port + " to everyone but the trusted networks (" + tool + ")", l);
                }
            }
            if (dockerUser) {
                dockerUserLines(s, out, f, exposures, fam, file, tool);
            }
            s.append("COMMIT\n");
            out.files.put(file, s.toString());
            out.checks.put(file, tool + "-restore --test --noflush < " + file);
        }
    }

    /** DOCKER-USER rules for published ports: conntrack's original port, since DNAT has already rewritten the packet. */
    private void dockerUserLines(StringBuilder s, Files out, Facts f, Map<Integer, Exposure> exposures, int fam, String file, String tool) {
        List<Exposure> fwd = exposures.values().stream().filter(e -> e.forwardFamilies.contains(fam)).toList();
        if (fwd.isEmpty()) {
            return;
        }
        String in = f.iface == null ? "" : "-i " + f.iface + " ";
        int n = 1;
        String est = String.format("-I DOCKER-USER %d -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN", n++);
        s.append(est).append('\n');
        for (Exposure e : fwd) {
            List<String> block = new ArrayList<>();
            block.add(est);
            for (Diagnosis d : e.because) {
                if (d.code().equals("RATE_LIMIT_INEFFECTIVE")) {
                    block.add(String.format("-I DOCKER-USER %d %s-p tcp -m conntrack --ctorigdstport %d --ctstate NEW -m connlimit "
                            + "--connlimit-above 8 --connlimit-mask %d -j DROP", n++, in, e.port, fam == 4 ? 32 : 128));
                    break;
                }
            }
            for (Cidr t : trusted(fam)) {
                block.add(String.format("-I DOCKER-USER %d %s-s %s -p tcp -m conntrack --ctorigdstport %d --ctdir ORIGINAL -j RETURN", n++, in,
                        t, e.port));
            }
            block.add(String.format("-I DOCKER-USER %d %s-p tcp -m conntrack --ctorigdstport %d --ctdir ORIGINAL -j DROP", n++, in, e.port));
            for (String l : block.subList(1, block.size())) {
                s.append(l).append('\n');
            }
            for (String l : block) {
                out.tag(e.because, file, "Drop new connections to the published port " + e.port + " in DOCKER-USER (" + tool + ")", l);
            }
        }
    }

    /** On a ufw host, the DOCKER-USER part goes to iptables.rules on its own (ufw does not manage FORWARD for Docker). */
    private void dockerUser(Files out, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> ds) {
        for (int fam : new int[] {4, 6}) {
            boolean dockerUser = fam == 4 ? f.dockerUser4 : f.dockerUser6;
            int family = fam;
            if (!dockerUser || exposures.values().stream().noneMatch(e -> e.forwardFamilies.contains(family))) {
                continue;
            }
            String file = fam == 4 ? "iptables.rules" : "ip6tables.rules";
            String tool = fam == 4 ? "iptables" : "ip6tables";
            StringBuilder s = new StringBuilder();
            s.append("# ").append(header).append(" — ").append(tool).append(", DOCKER-USER (ports Docker publishes).\n")
                    .append("# Check:  ").append(tool).append("-restore --test --noflush < ").append(file).append('\n')
                    .append("# Apply:  ").append(tool).append("-restore --noflush < ").append(file).append('\n')
                    .append("# Persist on a ufw host: put the -I lines (as -A, same order) in a *filter block of /etc/ufw/after")
                    .append(fam == 6 ? "6" : "").append(".rules.\n*filter\n");
            dockerUserLines(s, out, f, exposures, fam, file, tool);
            s.append("COMMIT\n");
            out.files.put(file, s.toString());
            out.checks.put(file, tool + "-restore --test --noflush < " + file);
        }
    }

    // ---- nftables

    private void nft(Files out, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> sshLimit, boolean inactive) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(header).append(" — nftables.\n# Check:  nft -c -f nftables.nft\n# Apply:  nft -f nftables.nft   ")
                .append("(persist: include it from /etc/nftables.conf)\n")
                .append("# Its input chain runs before the host's own (priority filter - 10): its drops are final, its accepts are not.\n");
        s.append("table inet aiscan {\n");
        if (!sshLimit.isEmpty()) {
            s.append("\tset ssh4 {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 1m\n\t\tsize 65536\n\t}\n");
            s.append("\tset ssh6 {\n\t\ttype ipv6_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 1m\n\t\tsize 65536\n\t}\n");
        }
        s.append("\tchain input {\n\t\ttype filter hook input priority filter - 10; policy ").append(inactive ? "drop" : "accept").append(";\n");
        s.append("\t\tct state established,related accept\n\t\tiifname \"lo\" accept\n");
        if (inactive) {
            s.append("\t\tmeta l4proto { icmp, ipv6-icmp } accept\n");
        }
        if (!sshLimit.isEmpty()) {
            String a = "\t\tmeta nfproto ipv4 tcp dport " + f.sshPort + " ct state new update @ssh4 { ip saddr limit rate over 6/minute burst 6 packets } drop";
            String b = "\t\tmeta nfproto ipv6 tcp dport " + f.sshPort + " ct state new update @ssh6 { ip6 saddr limit rate over 6/minute burst 6 packets } drop";
            s.append(a).append('\n').append(b).append('\n');
            out.tag(sshLimit, "nftables.nft", "Rate-limit SSH (nftables)", a.trim() + "\n" + b.trim());
        }
        if (inactive) {
            s.append("\t\ttcp dport ").append(f.sshPort).append(" accept\n");
        }
        for (Exposure e : exposures.values()) {
            if (e.inputFamilies.isEmpty()) {
                continue;
            }
            List<String> block = new ArrayList<>();
            for (Cidr t : trusted(4)) {
                block.add("ip saddr " + t + " tcp dport " + e.port + " accept");
            }
            for (Cidr t : trusted(6)) {
                block.add("ip6 saddr " + t + " tcp dport " + e.port + " accept");
            }
            block.add("tcp dport " + e.port + " drop");
            for (String l : block) {
                s.append("\t\t").append(l).append('\n');
                out.tag(e.because, "nftables.nft", "Close port " + e.port + " to everyone but the trusted networks (nftables)", l);
            }
        }
        s.append("\t}\n");
        List<Exposure> fwd = exposures.values().stream().filter(e -> !e.forwardFamilies.isEmpty()).toList();
        if (!fwd.isEmpty()) {
            s.append("\tchain prerouting {\n\t\ttype filter hook prerouting priority dstnat - 10; policy accept;\n");
            String in = f.iface == null ? "" : "iifname \"" + f.iface + "\" ";
            for (Exposure e : fwd) {
                List<String> block = new ArrayList<>();
                for (Cidr t : trusted(4)) {
                    block.add(in + "ip saddr " + t + " tcp dport " + e.port + " accept");
                }
                for (Cidr t : trusted(6)) {
                    block.add(in + "ip6 saddr " + t + " tcp dport " + e.port + " accept");
                }
                block.add(in + "fib daddr type local tcp dport " + e.port + " drop");
                for (String l : block) {
                    s.append("\t\t").append(l).append('\n');
                    out.tag(e.because, "nftables.nft", "Drop the published port " + e.port + " before Docker's DNAT (nftables)", l);
                }
            }
            s.append("\t}\n");
        }
        s.append("}\n");
        out.files.put("nftables.nft", s.toString());
        out.checks.put("nftables.nft", "nft -c -f nftables.nft");
    }

    // ---- Docker, nginx, fail2ban, systemd, egress

    private void compose(Files out, String header, Map<Integer, Exposure> exposures) {
        List<Exposure> fwd = exposures.values().stream().filter(e -> !e.forwardFamilies.isEmpty()).toList();
        if (fwd.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder("# " + header + " — Docker port bindings.\n"
                + "# Publish on loopback only; put the nginx proxy in front if the service must stay reachable.\n"
                + "# In docker-compose.yml (or docker run -p 127.0.0.1:HOST:CONTAINER):\nservices:\n");
        for (Exposure e : fwd) {
            int cport = e.port;
            if (e.container != null && e.container.lastIndexOf(':') > 0) {
                cport = Integer.parseInt(e.container.substring(e.container.lastIndexOf(':') + 1));
            }
            String svc = e.service == null ? "service-on-" + e.port : e.service.id();
            String line = "  " + svc + ":\n    ports:\n      - \"127.0.0.1:" + e.port + ":" + cport + "\"   # was \"" + e.port + ":" + cport
                    + "\" (container " + e.container + ")";
            s.append(line).append('\n');
            out.tag(of(e.because, "DOCKER_BYPASSES_FIREWALL", "DOCKER_USER_TRUSTS_PRIVATE", "RATE_LIMIT_INEFFECTIVE"), "compose-ports.yml",
                    "Publish port " + e.port + " on loopback only", line);
        }
        out.files.put("compose-ports.yml", s.toString());
    }

    private void nginx(Files out, HostAudit h, Facts f, Map<Integer, Exposure> exposures) {
        for (Exposure e : exposures.values()) {
            List<Diagnosis> why = of(e.because, PROXY.toArray(String[]::new));
            if (why.isEmpty()) {
                continue;
            }
            String name = e.service == null ? "port " + e.port : e.service.name() == null ? e.service.id() : e.service.name();
            String zone = "aiscan_" + e.port;
            StringBuilder s = new StringBuilder();
            s.append("# Put ").append(safe(name)).append(" (port ").append(e.port).append(") behind TLS, a password and a rate limit.\n")
                    .append("# 1. bind the service to 127.0.0.1:").append(e.port).append(" (see README.md); 2. create ")
                    .append(opt.nginxDir).append("/tls.crt, tls.key and htpasswd (htpasswd -c ").append(opt.nginxDir)
                    .append("/htpasswd USER);\n# 3. copy this file to /etc/nginx/conf.d/; nginx -t && systemctl reload nginx.\n")
                    .append("limit_req_zone $binary_remote_addr zone=").append(zone).append(":10m rate=5r/s;\n")
                    .append("server {\n");
            if (f.public4 != null) {
                s.append("    listen ").append(f.public4).append(':').append(e.port).append(" ssl;\n");
            }
            if (f.public6 != null) {
                s.append("    listen [").append(f.public6).append("]:").append(e.port).append(" ssl;\n");
            }
            if (f.public4 == null && f.public6 == null) {
                s.append("    listen ").append(e.port).append(" ssl;\n");
            }
            s.append("    ssl_certificate     ").append(opt.nginxDir).append("/tls.crt;\n")
                    .append("    ssl_certificate_key ").append(opt.nginxDir).append("/tls.key;\n")
                    .append("    ssl_protocols       TLSv1.2 TLSv1.3;\n")
                    .append("    auth_basic           \"restricted\";\n")
                    .append("    auth_basic_user_file ").append(opt.nginxDir).append("/htpasswd;\n")
                    .append("    client_max_body_size 64m;\n")
                    .append("    location / {\n")
                    .append("        limit_req zone=").append(zone).append(" burst=20 nodelay;\n")
                    .append("        limit_req_status 429;\n")
                    .append("        proxy_pass http://127.0.0.1:").append(e.port).append(";\n")
                    .append("        proxy_http_version 1.1;\n")
                    .append("        proxy_set_header Host $host;\n")
                    .append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n")
                    .append("        proxy_set_header X-Forwarded-Proto https;\n")
                    .append("        proxy_set_header Upgrade $http_upgrade;\n")
                    .append("        proxy_set_header Connection \"upgrade\";\n")
                    .append("        proxy_read_timeout 600s;\n")
                    .append("        proxy_buffering off;\n")
                    .append("    }\n}\n");
            String file = "nginx/aiscan-" + e.port + ".conf";
            out.files.put(file, s.toString());
            out.checks.put(file, "nginx -t (with the file included in the http block)");
            out.tag(why, file, "Serve " + safe(name) + " through nginx with TLS, a password and a rate limit", s.toString().trim());
        }
    }

    private void fail2ban(Files out, String header, HostAudit h, Facts f, List<Diagnosis> ds, Map<Integer, Exposure> exposures) {
        List<Diagnosis> why = of(ds, "NO_BRUTEFORCE_PROTECTION");
        if (why.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder("# " + header + " — fail2ban.\n# Copy to /etc/fail2ban/jail.d/aiscan.local; check: fail2ban-client -t; "
                + "then systemctl restart fail2ban.\n");
        s.append("\n[sshd]\nenabled  = true\nbackend  = systemd\nport     = ").append(f.sshPort)
                .append("\nmaxretry = 5\nfindtime = 10m\nbantime  = 1h\n");
        for (EndpointCheck e : h.endpoints()) {
            Service svc = e.service();
            if (svc != null && Service.AUTH_REQUIRED.equals(svc.auth()) && "proxy".equals(svc.authDetail()) && e.open()) {
                boolean published = e.prediction().path().equals("FORWARD");
                s.append("\n[nginx-http-auth]\nenabled  = true\nport     = ").append(e.port()).append('\n');
                if (published) {
                    s.append("# the port is published by Docker: bans must go where its traffic passes\nchain    = DOCKER-USER\n");
                }
                break;
            }
        }
        out.files.put("fail2ban/aiscan.local", s.toString());
        out.checks.put("fail2ban/aiscan.local", "fail2ban-client -t (with the file in /etc/fail2ban/jail.d/)");
        out.tag(why, "fail2ban/aiscan.local", "Ban sources that keep failing to log in (fail2ban)", s.toString().trim());
    }

    /**
     * Drop-ins for AI units: the memory cap NO_RESOURCE_LIMIT asks for, and the loopback bind for
     * services that take it from one environment variable (the unit must be in the snapshot).
     */
    private void systemd(Files out, HostView v, List<Diagnosis> ds, Map<Integer, Exposure> exposures) {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, List<Diagnosis>> why = new LinkedHashMap<>();
        for (Diagnosis d : of(ds, "NO_RESOURCE_LIMIT")) {
            String unit = d.remediation().isEmpty() ? null : d.remediation().get(0).params().get("unit");
            if (unit != null && unit.matches("[A-Za-z0-9@_.-]+\\.service")) {
                lines.computeIfAbsent(unit, k -> new ArrayList<>()).add("MemoryMax=90%");
                lines.get(unit).add("MemorySwapMax=0");
                why.computeIfAbsent(unit, k -> new ArrayList<>()).add(d);
            }
        }
        for (Exposure e : exposures.values()) {
            if (e.service == null || e.service.id() == null || !systemdEnv.containsKey(e.service.id())) {
                continue;
            }
            for (HostFacts.Unit u : v.units) {
                if (u.name().equals(e.service.id() + ".service")) {
                    String env = systemdEnv.get(e.service.id()).replace("{port}", String.valueOf(e.port));
                    lines.computeIfAbsent(u.name(), k -> new ArrayList<>()).add("Environment=" + env);
                    why.computeIfAbsent(u.name(), k -> new ArrayList<>()).addAll(e.because);
                }
            }
        }
        for (Map.Entry<String, List<String>> e : lines.entrySet()) {
            String unit = e.getKey();
            String file = "systemd/" + unit + ".d/aiscan.conf";
            String text = "# systemctl edit " + unit + " (or copy to /etc/systemd/system/" + unit + ".d/), then systemctl daemon-reload"
                    + " and restart it\n[Service]\n" + String.join("\n", e.getValue()) + "\n";
            out.files.put(file, text);
            out.checks.put(file, "systemd-analyze verify " + unit);
            out.tag(why.get(unit), file, "Drop-in for " + unit, text.trim());
        }
    }

    private void egress(Files out, String header, Facts f, List<Diagnosis> ds) {
        List<Diagnosis> why = of(ds, "OUTBOUND_UNRESTRICTED");
        if (why.isEmpty() || !f.mechanism.equals("ufw")) {
            return;
        }
        String text = "#!/bin/sh\n# " + header + " — optional: outbound default deny (ufw).\n"
                + "# Not part of the main steps: it breaks anything that needs other outbound ports (model downloads, pip, ...).\n"
                + "# Check: UFW=\"ufw --dry-run\" sh ufw-egress.sh\nset -eu\nUFW=\"${UFW:-ufw}\"\n"
                + "$UFW allow out 53 comment 'aiscan dns'\n$UFW allow out 123/udp comment 'aiscan ntp'\n"
                + "$UFW allow out 80/tcp comment 'aiscan http'\n$UFW allow out 443/tcp comment 'aiscan https'\n"
                + "$UFW default deny outgoing\n";
        out.files.put("ufw-egress.sh", text);
        out.checks.put("ufw-egress.sh", "UFW=\"ufw --dry-run\" sh ufw-egress.sh");
        out.tag(why, "ufw-egress.sh", "Outbound default deny (optional)", text.lines().filter(l -> l.startsWith("$UFW")).reduce((a, b) -> a + "\n" + b)
                .orElse(""));
    }

    private void readme(Files out, HostAudit h, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> ds) {
        StringBuilder s = new StringBuilder();
        s.append("# aiscan remediation for ").append(md(h.hostname()).isBlank() ? "(no host name)" : md(h.hostname()))
                .append("\n\n");
        s.append("Generated by aiscan ").append(md(version)).append(" from the audit of ")
                .append(h.snapshotFile() == null ? "the snapshot" : md(String.valueOf(h.snapshotFile().getFileName()))).append(". ")
                .append("Firewall front-end used: **").append(f.mechanism).append("**. Trusted networks (keep access to the closed ports): ")
                .append(opt.trusted.isEmpty() ? "none (pass --trusted CIDR)" : String.join(", ", opt.trusted.stream().map(Object::toString)
                        .toList())).append(". SSH (port ").append(f.sshPort).append(") stays reachable.\n\n");
        s.append("Apply the steps in order, each after its check. Then scan again from outside and run `aiscan audit` on a new snapshot.\n\n");
        int step = 1;
        for (Map.Entry<String, String> c : out.checks.entrySet()) {
            String file = c.getKey();
            if (file.equals("ufw-egress.sh")) {
                continue;
            }
            s.append(step++).append(". `").append(file).append("` — check with `").append(c.getValue()).append("`.");
            List<String> closes = new ArrayList<>();
            for (Map.Entry<Diagnosis, Map<String, List<String>>> e : out.lines.entrySet()) {
                if (e.getValue().containsKey(file)) {
                    closes.add(e.getKey().code() + " " + md(e.getKey().where()));
                }
            }
            if (!closes.isEmpty()) {
                s.append(" Addresses: ").append(String.join("; ", new LinkedHashSet<>(closes))).append('.');
            }
            s.append('\n');
        }
        List<String> binds = new ArrayList<>();
        for (Exposure e : exposures.values()) {
            if (e.service != null && e.service.id() != null && bindHints.containsKey(e.service.id())) {
                binds.add("- " + md(e.service.name() == null ? e.service.id() : e.service.name()) + " on " + e.port + ": "
                        + bindHints.get(e.service.id()).replace("{port}", String.valueOf(e.port)));
            }
        }
        if (!binds.isEmpty()) {
            s.append("\nBind each service to loopback (the lasting fix; the firewall rules above are the safety net):\n\n");
            binds.forEach(b -> s.append(b).append('\n'));
        }
        List<String> advice = new ArrayList<>();
        for (Diagnosis d : ds) {
            switch (d.code()) {
                case "KNOWN_CVE" -> advice.add("- Upgrade " + md(d.where()) + ": " + md(d.why()));
                case "SETUP_TAKEOVER" -> advice.add("- " + md(d.where()) + ": create the administrator account now, from a trusted "
                        + "network, and turn off open sign-up.");
                case "FIREWALL_STACK_SPLIT" -> advice.add("- Keep the firewall in one front-end (" + md(d.why()) + ")");
                case "WIDE_BIND_LATENT" -> advice.add("- " + md(d.where()) + ": " + md(d.why()) + " Bind it to loopback or one address.");
                default -> {
                }
            }
        }
        if (out.files.containsKey("ufw-egress.sh")) {
            advice.add("- Optional: `ufw-egress.sh` limits outbound connections (check with `" + out.checks.get("ufw-egress.sh") + "`).");
        }
        if (!advice.isEmpty()) {
            s.append("\nAlso:\n\n");
            new LinkedHashSet<>(advice).forEach(a -> s.append(a).append('\n'));
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("README.md", s.toString());
        files.putAll(out.files);
        out.files.clear();
        out.files.putAll(files);
    }

    /** {@link #safe} for the README: brackets escaped too, so that no link or image can form from a host name or a banner. */
    static String md(String s) {
        return safe(s).replace("[", "\\[").replace("]", "\\]");
    }

    /** Text for comments and the README: one line, no control characters, no shell or Markdown surprises. */
    static String safe(String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9 _.:,/()\\[\\]=+@%-]", "?");
    }
}
