package org.aiscan.audit;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.fingerprint.Ruleset;
import org.aiscan.host.Collector;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.ListenerCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Diagnoses on the research host samples, with scans that report what was measured there
 * (reachability.txt). Covers the codes the lab scenarios cannot produce without a private source
 * address or a legacy/nft split, and both Docker backends.
 */
class DiagnoserSamplesTest {
    static final Path SAMPLES = Path.of("test-fixtures/host-samples");
    static AuditPolicy policy;
    static Ruleset rules;

    @BeforeAll
    static void load() throws Exception {
        policy = AuditPolicy.load(Path.of("rulesets/policy/audit.yaml"));
        rules = RuleLoader.load(Path.of("rulesets")).ruleset();
    }

    /** A scan of {@code targets} on {@code ports} from {@code scanner} that found {@code open} ("ip:port") open. */
    static ScanResult scan(List<String> targets, String ports, List<String> scanners, String... open) {
        List<Endpoint> eps = new ArrayList<>();
        for (String o : open) {
            int c = o.lastIndexOf(':');
            eps.add(new Endpoint(new PortResult(Address.parse(o.substring(0, c)), Integer.parseInt(o.substring(c + 1)), PortState.OPEN,
                    "syn-ack", 100, Instant.EPOCH), null));
        }
        ScanRun run = new ScanRun("test", Instant.EPOCH, "connect", targets, ports, targets.size(), 0, 1, "0/1", 0, scanners, false);
        ScanSummary sum = new ScanSummary(Instant.EPOCH, 1, 0, 0, 0, open.length, 0, 0, true, null, List.of(), List.of());
        return new ScanResult(Path.of("test.jsonl"), run, eps, sum, false);
    }

    static AuditResult audit(String sample, ScanResult scan, String... scannerOverride) throws Exception {
        List<Address> over = new ArrayList<>();
        for (String s : scannerOverride) {
            over.add(Address.parse(s));
        }
        return new Correlator(policy, rules).run(scan, List.of(new Correlator.SnapshotInput(SAMPLES.resolve(sample),
                Collector.fromFiles(SAMPLES.resolve(sample), "test"))), over);
    }

    static Set<String> codes(AuditResult r) {
        Set<String> s = new TreeSet<>();
        r.diagnoses().forEach(d -> s.add(d.code().name()));
        return s;
    }

    static Diagnosis find(AuditResult r, String code) {
        return r.diagnoses().stream().filter(d -> d.code().name().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " in " + codes(r)));
    }

    @Test
    void ufwDockerTrustsPrivateSourcesOnlyWhenTheScannerIsPrivate() throws Exception {
        // 06 step A: the ufw-docker block is installed; from 10.250.12.1 the port is open, from 198.18.12.1 filtered
        AuditResult priv = audit("06-ufw-docker-fixed/stepA", scan(List.of("198.18.12.2"), "22,8000", List.of("10.250.12.1"),
                "198.18.12.2:22", "198.18.12.2:8000"));
        Diagnosis d = find(priv, "DOCKER_USER_TRUSTS_PRIVATE");
        assertEquals(8000, d.port());
        assertTrue(d.evidence().stream().anyMatch(e -> e.text().equals("-A DOCKER-USER -s 10.0.0.0/8 -j RETURN")), d.evidence().toString());
        assertTrue(d.why().contains("10.250.12.1"), d.why());
        assertTrue(codes(priv).contains("DOCKER_BYPASSES_FIREWALL"), "ufw's input rules would have dropped it: " + codes(priv));
        assertEquals(priv.hosts().get(0).checked(), priv.hosts().get(0).agreeing());

        AuditResult pub = audit("06-ufw-docker-fixed/stepA", scan(List.of("198.18.12.2"), "22,8000", List.of("198.18.12.1"),
                "198.18.12.2:22"));
        assertFalse(codes(pub).contains("DOCKER_USER_TRUSTS_PRIVATE"), codes(pub).toString());
        assertFalse(codes(pub).contains("DOCKER_BYPASSES_FIREWALL"), codes(pub).toString());
        assertEquals(pub.hosts().get(0).checked(), pub.hosts().get(0).agreeing(), "public source: 8000 filtered as measured");
    }

    @Test
    void dockerBypassOnTheIptablesBackend() throws Exception {
        AuditResult r = audit("02-ufw-docker-bypass", scan(List.of("198.18.12.2", "2001:2:0:12::2"), "22,8000,9090,11434",
                List.of("198.18.12.1", "2001:2:0:12::1"), "198.18.12.2:22", "198.18.12.2:8000"));
        Diagnosis d = find(r, "DOCKER_BYPASSES_FIREWALL");
        assertEquals(Address.parse("198.18.12.2"), d.ip());
        assertTrue(d.evidence().stream().anyMatch(e -> e.source().startsWith("ufw") && e.text().contains("DENY")), d.evidence().toString());
        assertEquals(1, r.diagnoses().stream().filter(x -> x.code() == DiagnosisCode.DOCKER_BYPASSES_FIREWALL).count(), "not over IPv6");
        assertEquals(r.hosts().get(0).checked(), r.hosts().get(0).agreeing());
    }

    @Test
    void dockerBypassOnTheNftablesBackendWhenRoutedTrafficIsAllowed() throws Exception {
        // 08 step B: "ufw default allow routed" re-opened the published port
        AuditResult b = audit("08-docker-nftables-backend-ufw", scan(List.of("198.18.18.2"), "22,8000", List.of("198.18.18.1"),
                "198.18.18.2:22", "198.18.18.2:8000"));
        Diagnosis d = find(b, "DOCKER_BYPASSES_FIREWALL");
        assertTrue(d.evidence().get(0).text().contains("dnat to 10.17.0.2:8000"), d.evidence().toString());
        // step A: routed policy deny: filtered, no bypass
        AuditResult a = audit("08-docker-nftables-backend-ufw/stepA", scan(List.of("198.18.18.2"), "22,8000", List.of("198.18.18.1"),
                "198.18.18.2:22"));
        assertFalse(codes(a).contains("DOCKER_BYPASSES_FIREWALL"), codes(a).toString());
        assertEquals(a.hosts().get(0).checked(), a.hosts().get(0).agreeing());
    }

    @Test
    void legacyRulesWithOpenIpv6() throws Exception {
        AuditResult r = audit("03-iptables-ratelimit-ipv6-open", scan(List.of("198.18.13.2", "2001:2:0:13::2"), "22,8000,9090,11434",
                List.of("198.18.13.1", "2001:2:0:13::1"), "198.18.13.2:22", "198.18.13.2:8000", "2001:2:0:13::2:8000", "2001:2:0:13::2:9090",
                "2001:2:0:13::2:11434"));
        assertTrue(codes(r).contains("FIREWALL_STACK_SPLIT"), codes(r).toString());
        assertTrue(find(r, "FIREWALL_STACK_SPLIT").evidence().stream().anyMatch(e -> e.text().contains("legacy tables present")));
        Set<Integer> v6 = new TreeSet<>();
        r.diagnoses().stream().filter(d -> d.code() == DiagnosisCode.IPV6_UNFILTERED).forEach(d -> v6.add(d.port()));
        assertEquals(Set.of(9090, 11434), v6, "8000 and 22 are allowed over IPv4 too");
        assertFalse(codes(r).contains("FIREWALL_INACTIVE"), "IPv4 is filtered: " + codes(r));
        assertEquals(r.hosts().get(0).checked(), r.hosts().get(0).agreeing());
    }

    @Test
    void noFirewallAtAll() throws Exception {
        AuditResult r = audit("05-no-firewall", scan(List.of("198.18.15.2"), "8000,9090,3000,7860,11434,8188,8080", List.of("198.18.15.1"),
                "198.18.15.2:8000", "198.18.15.2:9090", "198.18.15.2:3000", "198.18.15.2:7860"));
        Diagnosis d = find(r, "FIREWALL_INACTIVE");
        assertTrue(d.why().contains("8000") && d.why().contains("9090"), d.why());
        assertEquals(r.hosts().get(0).checked(), r.hosts().get(0).agreeing());
        // listeners beyond the scan are evaluated too: UDP, and IPv6 that was not scanned (measured: 5353 answers on both)
        List<ListenerCheck> udp = r.hosts().get(0).listeners().stream()
                .filter(l -> l.listener().proto().equals("udp") && l.listener().port() == 5353).toList();
        assertEquals(Set.of(false, true), Set.copyOf(udp.stream().map(l -> l.ip().isV6()).toList()), udp.toString());
        assertTrue(udp.stream().allMatch(l -> l.prediction().state() == PortState.OPEN), udp.toString());
    }

    @Test
    void theShippedPolicyNamesEveryCodeAndRejectsTypos() throws Exception {
        assertEquals(Set.copyOf(AuditPolicy.CODES), policy.codes().keySet());
        String broken = "service-classes: {ai-api: {categories: [x]}, admin: {categories: [y]}, costly: {impacts: [z]}}\n"
                + "latent-ports: {group: ai-default}\nprivate-networks: [10.0.0.0/8]\ncodes:\n"
                + "  FIREWALL_INACTIVE: {catalog: HA-01, severity: hihg, why: \"x {prot}\"}\n";
        org.aiscan.model.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(org.aiscan.model.InvalidInputException.class,
                () -> AuditPolicy.parse(broken, "p.yaml"));
        assertTrue(e.getMessage().contains("p.yaml:5: FIREWALL_INACTIVE: severity"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown placeholder {prot}"), e.getMessage());
        assertTrue(e.getMessage().contains("code DOCKER_BYPASSES_FIREWALL is missing"), e.getMessage());
        org.aiscan.model.InvalidInputException k = org.junit.jupiter.api.Assertions.assertThrows(org.aiscan.model.InvalidInputException.class,
                () -> AuditPolicy.parse("codez: {}\n", "q.yaml"));
        assertTrue(k.getMessage().startsWith("q.yaml:1: unknown key 'codez'"), k.getMessage());
        String shipped = org.aiscan.model.Utf8.read(java.nio.file.Path.of(AuditPolicy.FILE), AuditPolicy.FILE);
        String badPattern = shipped.replace("(?<port>[A-Za-z0-9-]{0,63})'", "(?<port>[A-Za-z0-9-]{0,63}'");
        org.aiscan.model.InvalidInputException r = org.junit.jupiter.api.Assertions.assertThrows(org.aiscan.model.InvalidInputException.class,
                () -> AuditPolicy.parse(badPattern, "r.yaml"));
        assertTrue(r.getMessage().matches("(?s)r\\.yaml:\\d+: names\\.kubernetes-service-names: Unclosed group.*"), r.getMessage());
    }
}
