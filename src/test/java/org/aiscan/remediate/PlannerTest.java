package org.aiscan.remediate;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Evidence;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.Risk;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.model.Service;
import org.aiscan.model.audit.AuditResult;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner on a host without any firewall that runs Ollama as a systemd unit without a memory
 * limit, with a hostile version string: what the bundle holds, in what order, and what it never holds.
 */
class PlannerTest {
    static final String HOSTILE = "0.5.7\"; rm -rf / #$(reboot)'`";

    static AuditResult audit() throws Exception {
        List<Snapshot.Source> src = new ArrayList<>();
        src.add(source("ip-addr", "1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet 203.0.113.5/24 scope global eth0\n"));
        src.add(source("ss-tcp", "tcp LISTEN 0 4096 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=1,fd=3))\n"
                + "tcp LISTEN 0 4096 0.0.0.0:11434 0.0.0.0:* users:((\"ollama\",pid=2,fd=3))\n"));
        src.add(source("sysctl", "net.ipv4.ip_forward = 0\n"));
        for (String fw : List.of("iptables-v4", "iptables-v6", "nft")) { // the tools ran and printed no rule: nothing filters
            src.add(new Snapshot.Source(fw, List.of(fw.startsWith("nft") ? "nft" : "iptables-save"), "empty", 0, 0, "", "", null));
        }
        src.add(source("systemd-units", "Id=ollama.service\nMemoryMax=infinity\nEnvironment=OLLAMA_MODELS=/srv/models\n\n"));
        Snapshot snap = new Snapshot(Snapshot.SCHEMA, "gpu-box; echo pwned", Instant.EPOCH, "t", true, src);
        Service ollama = new Service("ollama", "Ollama", HOSTILE, Service.AUTH_NONE, "open", "high",
                List.of(new Evidence("GET /api/version", 200, HOSTILE, "version")), new Risk("high", List.of("free-inference"), "x"),
                List.of(), false, List.of());
        Service ssh = new Service("ssh", "SSH", "OpenSSH_9.2p1", Service.AUTH_REQUIRED, "product", "high", List.of(),
                new Risk("info", List.of(), "y"), List.of(), false, List.of());
        Address host = Address.parse("203.0.113.5");
        List<Endpoint> eps = List.of(new Endpoint(new PortResult(host, 22, PortState.OPEN, "syn-ack", 1, Instant.EPOCH), ssh),
                new Endpoint(new PortResult(host, 11434, PortState.OPEN, "syn-ack", 1, Instant.EPOCH), ollama));
        ScanRun run = new ScanRun("t", Instant.EPOCH, "connect", List.of("203.0.113.5"), "22,11434", 1, 2, 1, "0/1", 0,
                List.of("198.51.100.7"), false);
        ScanResult scan = new ScanResult(Path.of("s.jsonl"), run, eps, new ScanSummary(Instant.EPOCH, 1, 2, 2, 2, 2, 0, 0, true, null,
                List.of(), List.of()), false);
        return new Correlator(AuditPolicy.load(Path.of("rulesets/policy/audit.yaml")), RuleLoader.load(Path.of("rulesets")).ruleset())
                .run(scan, List.of(new Correlator.SnapshotInput(Path.of("snap.json"), snap)), List.of());
    }

    static Snapshot.Source source(String name, String text) {
        return new Snapshot.Source(name, List.of("t"), "ok", 0, 0, text, "", null);
    }

    @Test
    void anUnfilteredHostGetsADefaultDenyWithSshFirstAndTheUnitDropIn() throws Exception {
        AuditResult a = audit();
        Bundle b = new Planner(new Planner.Options(List.of(Cidr.parse("10.20.0.0/16")), "/etc/nginx/aiscan"), "test",
                java.time.Clock.systemUTC())
                .plan(a.hosts().get(0), a.diagnoses());
        assertEquals("iptables", b.mechanism(), "no ufw, no nft, no rules: plain iptables");
        String rules = b.files().get("iptables.rules");
        List<String> lines = rules.lines().filter(l -> l.startsWith("-I INPUT") || l.startsWith(":INPUT")).toList();
        assertEquals(":INPUT DROP [0:0]", lines.get(0));
        int ssh = indexOf(lines, "--dport 22 -j ACCEPT");
        int trusted = indexOf(lines, "-s 10.20.0.0/16 -p tcp -m tcp --dport 11434 -j ACCEPT");
        int drop = indexOf(lines, "--dport 11434 -j DROP");
        assertTrue(ssh > 0 && ssh < trusted && trusted < drop, "SSH, then the trusted network, then the drop: " + lines);
        assertTrue(rules.endsWith("COMMIT\n"));
        String dropIn = b.files().get("systemd/ollama.service.d/aiscan.conf");
        assertTrue(dropIn.contains("[Service]\nMemoryMax=90%") && dropIn.contains("Environment=OLLAMA_HOST=127.0.0.1:11434"), dropIn);
        assertTrue(b.files().containsKey("nginx/aiscan-11434.conf"), b.files().keySet().toString());
        assertTrue(b.files().get("README.md").startsWith("# aiscan remediation for gpu-box? echo pwned"), b.files().get("README.md"));
        for (Map.Entry<String, String> f : b.files().entrySet()) {
            assertFalse(f.getValue().contains("rm -rf") || f.getValue().contains("$(reboot)") || f.getValue().contains("; echo pwned"),
                    "banner or host-name text in " + f.getKey());
        }
        assertEquals(Path.of("out/gpu-box__echo_pwned"), BundleWriter.folder(Path.of("out"), a.hosts().get(0).hostname()));
        assertTrue(b.fixes().keySet().stream().anyMatch(d -> d.code() == DiagnosisCode.NO_RESOURCE_LIMIT), "the report gets the snippet too");
    }

    @Test
    void optionsRefuseWhatCouldBreakOutOfAPath() {
        assertThrows(InvalidInputException.class, () -> new Planner.Options(List.of(), "/etc/nginx/x; rm -rf /"));
        assertThrows(InvalidInputException.class, () -> new Planner.Options(List.of(), "relative/dir"));
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
