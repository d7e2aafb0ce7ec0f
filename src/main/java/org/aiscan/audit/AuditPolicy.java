package org.aiscan.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.Risk;
import org.aiscan.model.TextLines;
import org.aiscan.model.Utf8;
import org.aiscan.model.audit.CodeDescription;
import org.aiscan.model.audit.Forwarder;
import org.aiscan.target.PortGroups;
import org.jspecify.annotations.Nullable;

/**
 * The audit's policy, read from {@code rulesets/policy/audit.yaml}: per diagnosis code its severity,
 * its sentence and its remediation kinds; which services count as AI APIs, admin endpoints or
 * GPU-costly; which ports are AI ports; which networks are private. Loading is strict: an unknown
 * key, a missing code or a placeholder the detectors do not fill fails with {@code file:line}.
 */
public record AuditPolicy(@Nullable Map<String, ServiceClass> serviceClasses, @Nullable LatentPorts latentPorts, @Nullable List<String> privateNetworks,
                          @Nullable Names names, @Nullable Map<String, Code> codes) {
    public static final String FILE = "rulesets/policy/audit.yaml";

    /** Every code of DESIGN.md §3 ({@link DiagnosisCode}), in the order reports list them: the file must hold exactly these. */
    public static final List<String> CODES = Arrays.stream(DiagnosisCode.values()).map(DiagnosisCode::name).toList();

    private static final Set<String> PLACEHOLDERS = Set.of("port", "family", "service", "container", "source", "stacks", "path",
            "risk", "process", "bind", "version", "cves", "what", "unit", "value", "count", "ports", "covered", "network", "command", "k8s_service");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /**
     * A class of services: by the fingerprint rules' category or risk impacts, by service id, by the
     * listening process's name or by port (for sockets nothing identified), and the fail2ban jails
     * (by name part) that protect them.
     */
    public record ServiceClass(@Nullable List<String> categories, @Nullable List<String> impacts, @Nullable List<String> ids, @Nullable List<String> processes,
                               @Nullable List<Integer> ports, @Nullable List<String> jails) {
        public ServiceClass {
            categories = categories == null ? List.of() : List.copyOf(categories);
            impacts = impacts == null ? List.of() : List.copyOf(impacts);
            ids = ids == null ? List.of() : List.copyOf(ids);
            processes = processes == null ? List.of() : List.copyOf(processes);
            ports = ports == null ? List.of() : List.copyOf(ports);
            jails = jails == null ? List.of() : List.copyOf(jails);
        }

        /** Whether a jail of this name protects the class. */
        public boolean jail(String name) {
            return jails.stream().anyMatch(name::contains);
        }
    }

    /**
     * Interfaces and nftables tables by name: interfaces whose addresses are the host's but through
     * which the internet does not arrive (container and VM bridges, veths), VPN interfaces (their
     * peers are a separate vantage), and the tables a container or cluster tool keeps for itself (a
     * pasted table of one tool is not the ruleset). Each entry is a name prefix.
     */
    public record Names(@Nullable List<String> containerBridges, @Nullable List<String> vpn, @Nullable List<String> toolTables, @Nullable Map<String, List<String>> forwarders,
                        @Nullable List<String> kubernetesServiceNames) {
        private static final Map<String, java.util.regex.Pattern> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

        public Names {
            kubernetesServiceNames = kubernetesServiceNames == null ? List.of() : List.copyOf(kubernetesServiceNames);
            containerBridges = containerBridges == null ? List.of() : List.copyOf(containerBridges);
            vpn = vpn == null ? List.of() : List.copyOf(vpn);
            toolTables = toolTables == null ? List.of() : List.copyOf(toolTables);
            forwarders = forwarders == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(forwarders));
        }

        /** The forwarders by their chain-name prefixes, in the policy's order; a key that names no forwarder is left out (load reports it). */
        java.util.Map<Forwarder, List<String>> forwarderPrefixes() {
            java.util.Map<Forwarder, List<String>> out = new java.util.LinkedHashMap<>();
            forwarders.forEach((k, v) -> {
                for (Forwarder f : Forwarder.values()) {
                    if (f.key().equals(k) && f != Forwarder.NONE && f != Forwarder.OTHER) {
                        out.put(f, List.copyOf(v));
                    }
                }
            });
            return out;
        }

        /**
         * The Service a rule or chain names, as kube-proxy writes it ({@code --comment "ai/vllm:http"},
         * {@code service-HASH-ai/vllm/tcp/http}): {@code ai/vllm:http}, or null.
         */
        @Nullable String kubernetesService(String text) {
            for (String re : kubernetesServiceNames) {
                java.util.regex.Matcher m = COMPILED.computeIfAbsent(re, java.util.regex.Pattern::compile).matcher(text + " ");
                if (m.find()) {
                    String port = re.contains("(?<port>") ? m.group("port") : null;
                    return m.group("service") + (port == null || port.isEmpty() ? "" : ":" + port);
                }
            }
            return null;
        }

        public boolean containerBridge(@Nullable String iface) {
            return iface != null && containerBridges.stream().anyMatch(iface::startsWith);
        }

        public boolean vpn(@Nullable String iface) {
            return iface != null && vpn.stream().anyMatch(iface::startsWith);
        }

        public boolean toolTable(String name) {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            return toolTables.stream().anyMatch(n::startsWith);
        }
    }

    /** The ports of a port group, minus some. */
    public record LatentPorts(String group, @Nullable List<Integer> except) {
        public LatentPorts {
            except = except == null ? List.of() : List.copyOf(except);
        }
    }

    /**
     * One diagnosis code.
     *
     * @param severity critical … info, or {@code from-service} (the service's risk) or {@code from-cves} (the worst CVE)
     * @param variants named alternatives a detector picks for a particular case (the same code with
     *     another sentence, severity or remediation); what a variant leaves out is the code's own
     */
    public record Code(@Nullable String catalog, @Nullable String severity, @Nullable String why, @Nullable List<String> remediation,
                       @Nullable Map<String, Code> variants) implements CodeDescription {
        public Code {
            remediation = remediation == null ? List.of() : List.copyOf(remediation);
            variants = variants == null ? Map.of() : Map.copyOf(variants);
        }

        /** This code, or its variant {@code name} merged over it; null gives the code itself. */
        public Code variant(@Nullable String name) {
            if (name == null) {
                return this;
            }
            Code v = variants.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no variant " + name);
            }
            return new Code(v.catalog() != null ? v.catalog() : catalog, v.severity() != null ? v.severity() : severity,
                    v.why() != null ? v.why() : why, v.remediation().isEmpty() ? remediation : v.remediation(), Map.of());
        }
    }

    /** The variants the detectors use: a policy must define them. */
    static final Map<String, List<String>> VARIANTS = Map.of("ADMIN_ENDPOINT_EXPOSED", List.of("behind-login"),
            "DOCKER_USER_TRUSTS_PRIVATE", List.of("coverage-gap"), "KUBERNETES_SERVICE_EXPOSED", List.of("service-ip"),
            "DNAT_BYPASSES_FIREWALL", List.of("podman", "lxd"));

    public AuditPolicy {
        serviceClasses = serviceClasses == null ? Map.of() : Map.copyOf(serviceClasses);
        privateNetworks = privateNetworks == null ? List.of() : List.copyOf(privateNetworks);
        codes = codes == null ? Map.of() : Map.copyOf(codes);
    }

    private static volatile @Nullable Names defaultNames;

    /** The interface and table names of the default policy ({@link #loadDefault}), read once. */
    static @Nullable Names defaultNames() {
        Names n = defaultNames;
        if (n == null) {
            try {
                n = loadDefault().names();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the default audit policy: " + e.getMessage(), e);
            }
            defaultNames = n;
        }
        return n;
    }

    /** The policy of the aiscan home folder, or the packaged copy. */
    public static AuditPolicy loadDefault() throws IOException {
        try (InputStream in = AiscanHome.open(FILE)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), AiscanHome.describe(FILE));
        }
    }

    public static AuditPolicy load(Path file) throws IOException {
        return parse(Utf8.read(file, file.toString()), file.toString());
    }

    /**
     * @throws InvalidInputException with {@code label:line: what} when the file is not a valid policy
     */
    public static AuditPolicy parse(String text, String label) {
        AuditPolicy p;
        try {
            p = YAML.readValue(text, AuditPolicy.class);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
                line = lineOf(text, u.getPropertyName() + ":");
            }
            String msg = e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u
                    ? "unknown key '" + u.getPropertyName() + "'; allowed here: "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()
                    : e.getOriginalMessage();
            throw new InvalidInputException(label + ":" + line + ": " + msg);
        }
        List<String> problems = new ArrayList<>();
        for (String c : CODES) {
            if (!p.codes().containsKey(c)) {
                problems.add(label + ":1: code " + c + " is missing");
            }
        }
        for (Map.Entry<String, Code> e : p.codes().entrySet()) {
            int line = lineOf(text, e.getKey() + ":");
            if (!CODES.contains(e.getKey())) {
                problems.add(label + ":" + line + ": unknown code " + e.getKey());
            }
            for (String v : VARIANTS.getOrDefault(e.getKey(), List.of())) {
                if (!e.getValue().variants().containsKey(v)) {
                    problems.add(label + ":" + line + ": " + e.getKey() + ": variant " + v + " is missing");
                }
            }
            List<Map.Entry<String, Code>> all = new ArrayList<>();
            all.add(e);
            e.getValue().variants().forEach((k, v) -> all.add(Map.entry(e.getKey() + "." + k, e.getValue().variant(k))));
            for (Map.Entry<String, Code> x : all) {
                check(x.getKey(), x.getValue(), label, text, problems);
            }
        }
        for (String n : p.privateNetworks()) {
            try {
                Cidr.parse(n);
            } catch (IllegalArgumentException e) {
                problems.add(label + ":" + lineOf(text, n) + ": private-networks: " + e.getMessage());
            }
        }
        for (String k : List.of("ai-api", "admin", "control-plane", "costly", "remote-login", "proxy-auth")) {
            if (!p.serviceClasses().containsKey(k)) {
                problems.add(label + ":1: service-classes." + k + " is missing");
            }
        }
        if (p.names() == null || p.names().containerBridges().isEmpty() || p.names().vpn().isEmpty() || p.names().toolTables().isEmpty()
                || p.names().forwarders().isEmpty() || p.names().kubernetesServiceNames().isEmpty()) {
            problems.add(label + ":" + lineOf(text, "names") + ": names needs container-bridges, vpn, tool-tables, forwarders and "
                    + "kubernetes-service-names");
        } else {
            for (String k : p.names().forwarders().keySet()) {
                if (java.util.Arrays.stream(Forwarder.values()).noneMatch(f -> f.key().equals(k) && f != Forwarder.NONE && f != Forwarder.OTHER)) {
                    problems.add(label + ":" + lineOf(text, k + ":") + ": names.forwarders: unknown forwarder " + k + "; known: "
                            + java.util.Arrays.stream(Forwarder.values()).filter(f -> f != Forwarder.NONE && f != Forwarder.OTHER)
                            .map(Forwarder::key).toList());
                }
            }
        }
        if (p.names() != null) {
            for (String re : p.names().kubernetesServiceNames()) {
                try {
                    if (!java.util.regex.Pattern.compile(re).pattern().contains("(?<service>")) {
                        problems.add(label + ":" + lineOf(text, "kubernetes-service-names") + ": names.kubernetes-service-names: "
                                + re + " has no (?<service>…) group");
                    }
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.add(label + ":" + lineOf(text, "kubernetes-service-names") + ": names.kubernetes-service-names: "
                            + e.getDescription() + " in " + re);
                }
            }
        }
        if (p.latentPorts() == null || !PortGroups.isGroupName(p.latentPorts().group())) {
            problems.add(label + ":" + lineOf(text, "latent-ports") + ": latent-ports.group must name a port group " + PortGroups.names());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(String.join("\n", problems));
        }
        return p;
    }

    /** Severity and sentence of one code (or variant, named CODE.variant). */
    private static void check(String name, Code c, String label, String text, List<String> problems) {
        int line = lineOf(text, name.substring(name.lastIndexOf('.') + 1) + ":");
        if (c.severity() == null || Risk.rank(c.severity()) >= Risk.SEVERITIES.size()
                && !c.severity().equals("from-service") && !c.severity().equals("from-cves")) {
            problems.add(label + ":" + line + ": " + name + ": severity must be one of " + Risk.SEVERITIES + ", from-service or from-cves");
        }
        if (c.why() == null || c.why().isBlank()) {
            problems.add(label + ":" + line + ": " + name + ": why is required");
        } else {
            Matcher m = Pattern.compile("\\{([a-z0-9_]+)}").matcher(c.why());
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    problems.add(label + ":" + line + ": " + name + ": unknown placeholder {" + m.group(1) + "}; known: "
                            + PLACEHOLDERS.stream().sorted().toList());
                }
            }
        }
    }

    static int lineOf(String text, String needle) {
        return Math.max(1, TextLines.lineOf(text, needle, 0));
    }

    public Code code(DiagnosisCode c) {
        Code x = codes.get(c.name());
        if (x == null) {
            throw new IllegalArgumentException("no policy for " + c);
        }
        return x;
    }

    /** Whether a service of this category and these impacts is in class {@code name}. */
    public boolean inClass(String name, @Nullable String category, List<String> impacts) {
        ServiceClass c = serviceClasses.get(name);
        if (c == null) {
            return false;
        }
        if (category != null && c.categories().contains(category)) {
            return true;
        }
        for (String i : impacts) {
            if (c.impacts().contains(i)) {
                return true;
            }
        }
        return false;
    }

    public ServiceClass serviceClass(String name) {
        ServiceClass c = serviceClasses.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no service class " + name);
        }
        return c;
    }

    /**
     * Whether an endpoint is a remote login: its fingerprint id when it has one, else its port
     * (a socket the scan did not identify).
     */
    public boolean remoteLogin(@Nullable String serviceId, int port) {
        ServiceClass c = serviceClass("remote-login");
        return serviceId != null ? c.ids().contains(serviceId) : c.ports().contains(port);
    }

    /** The AI ports (for listeners no scan could identify). */
    public BitSet latentPortSet() {
        BitSet b = new BitSet(65536);
        PortGroups.load(latentPorts.group(), b);
        for (int e : latentPorts.except()) {
            b.clear(e);
        }
        return b;
    }

    /** Whether {@code cidr} is one of the private networks itself (a rule written for "all private ranges"). */
    public boolean isPrivateNetwork(String cidr) {
        try {
            Cidr c = Cidr.parse(cidr);
            return privateNetworks.stream().anyMatch(n -> Cidr.parse(n).equals(c));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean isPrivate(Address a) {
        for (String n : privateNetworks) {
            if (Cidr.parse(n).contains(a)) {
                return true;
            }
        }
        return false;
    }
}
