package org.aiscan.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PacketPath;
import org.aiscan.model.PortState;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.HostSummary;
import org.aiscan.model.audit.ListenerCheck;
import org.aiscan.model.audit.Prediction;
import org.jspecify.annotations.Nullable;

/**
 * Plans the remediation of one host from its audit: every port a diagnosis names is closed to
 * everyone but the {@code --trusted} networks (default: nobody), on the path the evaluator found
 * (input rules for local sockets, DOCKER-USER or a pre-DNAT filter for published ports), with the
 * host's own front-end (ufw when it is in use or nothing else is, iptables when rules live there,
 * nftables on nftables-only hosts). SSH stays reachable before any default deny. Services that
 * must stay reachable get an nginx proxy with TLS, authentication and a rate limit; SSH and
 * authenticating proxies get fail2ban jails; AI units without a memory limit a drop-in.
 *
 * <p>The planner works out the {@link Plan} (what the host has, which ports to close and how each is
 * reached); one {@link Emitter} per front-end writes its files from it, the prose from FreeMarker
 * templates. The clock is injected: the same audit and clock give the same bundle, byte for byte.
 */
public final class Planner {
    /** Codes whose port is closed to the public by the firewall part of the bundle. */
    private static final Set<DiagnosisCode> RESTRICT = Set.of(DiagnosisCode.FIREWALL_INACTIVE, DiagnosisCode.ALLOW_FROM_ANYWHERE, DiagnosisCode.DOCKER_BYPASSES_FIREWALL,
            DiagnosisCode.KUBERNETES_SERVICE_EXPOSED, DiagnosisCode.DNAT_BYPASSES_FIREWALL,
            DiagnosisCode.DOCKER_USER_TRUSTS_PRIVATE, DiagnosisCode.IPV6_UNFILTERED, DiagnosisCode.RULE_SHADOWED, DiagnosisCode.UNAUTHENTICATED_AI_API, DiagnosisCode.SETUP_TAKEOVER,
            DiagnosisCode.PLAINTEXT_BASIC_AUTH, DiagnosisCode.ADMIN_ENDPOINT_EXPOSED, DiagnosisCode.NO_RATE_LIMIT, DiagnosisCode.RATE_LIMIT_INEFFECTIVE, DiagnosisCode.KNOWN_CVE);
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

    /** The front-ends, in the order their files are written (the README, last, lists them first). */
    private static final List<Emitter> EMITTERS = List.of(new UfwEmitter(), new FirewalldEmitter(), new NftEmitter(), new IptablesEmitter(),
            new ComposeEmitter(),
            new NginxEmitter(), new Fail2banEmitter(), new SystemdEmitter(), new EgressEmitter(), new ReadmeEmitter());

    private final Options opt;
    private final Map<String, String> bindHints;
    private final Map<String, String> systemdEnv;
    private final String version;
    private final Clock clock;

    public Planner(Options opt, String version, Clock clock) throws IOException {
        this.opt = opt;
        this.version = version;
        this.clock = clock;
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
        Facts f = facts(h);
        Plan p = new Plan(h, ds, f, exposures(h, ds, f), opt, version, clock.instant().truncatedTo(ChronoUnit.SECONDS), bindHints, systemdEnv);
        BundleFiles out = new BundleFiles();
        for (Emitter e : EMITTERS) {
            e.emit(p, out);
        }
        return new Bundle(h.hostname(), f.mechanism.key(), out.files, out.fixes(), out.checks);
    }

    // ------------------------------------------------------------------------------------------
    // what the host has

    private static Facts facts(HostAudit h) {
        HostSummary v = h.summary();
        Facts f = new Facts();
        f.host = v;
        f.dockerUser4 = v.dockerUser4();
        f.dockerUser6 = v.dockerUser6();
        f.mechanism = v.mechanism(); // firewalld and ufw own the host's rules and rewrite them at every reload
        f.ufwIpv6Off = v.ufwIpv6Off();
        f.public4 = v.public4();
        f.public6 = v.public6();
        f.iface = v.uplink() != null && IFACE.matcher(v.uplink()).matches() ? v.uplink() : null;
        f.sshPort = v.sshPort();
        return f;
    }

    private Map<Integer, Exposure> exposures(HostAudit h, List<Diagnosis> ds, Facts f) {
        Map<Integer, Exposure> m = new TreeMap<>();
        for (Diagnosis d : ds) {
            if (!RESTRICT.contains(d.code())) {
                continue;
            }
            List<Integer> ports = new ArrayList<>();
            if (d.code() == DiagnosisCode.FIREWALL_INACTIVE) {
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
        if (p.state() != PortState.OPEN) {
            return;
        }
        int fam = ip.isV6() ? 6 : 4;
        if (p.path() == PacketPath.FORWARD) {
            e.forwardFamilies.add(fam);
            e.container = p.forwardedTo();
            e.via = p.via();
        } else {
            e.inputFamilies.add(fam);
        }
    }

    /** {@link #safe} for the README: brackets escaped too, so that no link or image can form from a host name or a banner. */
    static String md(String s) {
        return safe(s).replace("[", "\\[").replace("]", "\\]");
    }

    /** Text for comments and the README: one line, no control characters, no shell or Markdown surprises. */
    static String safe(@Nullable String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9 _.:,/()\\[\\]=+@%-]", "?");
    }
}
