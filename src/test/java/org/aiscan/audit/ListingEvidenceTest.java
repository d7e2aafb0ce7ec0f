package org.aiscan.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.Vantage;
import org.aiscan.target.PortList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real ufw host (test-fixtures/host-samples/01-ufw-basic) given as people paste it: iptables -L -n
 * -v --line-numbers instead of iptables-save, with ufw's status. Every verdict is what probes from
 * outside measured on that host (its reachability.txt), and the evidence still links ufw's rows to
 * the rules.
 */
class ListingEvidenceTest {
    static final Path SAMPLE = Path.of("test-fixtures/host-samples/01-ufw-basic");

    @TempDir
    Path dir;

    @Test
    void aListingDecidesAsTheSaveOfTheSameHostAndCitesUfwsRows() throws Exception {
        for (String f : List.of("iptables-L-n-v.txt", "ufw-status-verbose.txt", "ss-tulnpH.txt", "ip-addr.txt", "sysctl-forwarding.txt")) {
            Files.copy(SAMPLE.resolve(f), dir.resolve(f));
        }
        Snapshot listing = Collector.fromFiles(dir, "01");
        HostView lv = HostView.of(listing);
        assertTrue(lv.iptables.stream().anyMatch(d -> d.source().startsWith("iptables-l-")), "read as a listing: " + lv.iptables);
        Netfilter fromListing = new Netfilter(lv);
        // the ground truth: what probes from outside measured on that host (reachability.txt)
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("^(REACHABLE|UNREACHABLE)\\s+tcp/(\\d+) v4 .*?-> (.*)$");
        Address src = Address.parse("198.18.11.1");
        Address host = Address.parse("198.18.11.2");
        int compared = 0;
        for (String line : Files.readAllLines(SAMPLE.resolve("reachability.txt"))) {
            java.util.regex.Matcher m = row.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int port = Integer.parseInt(m.group(2));
            String measured = m.group(1).equals("REACHABLE") ? "open" : m.group(3).contains("timeout") ? "filtered" : "closed";
            Prediction p = fromListing.evaluate(src, host, "tcp", port);
            assertEquals(measured, p.state().label(), "port " + port + " measured " + measured + ": " + p.decidedBy());
            assertFalse(p.isUncertain(), "a whole -n -v listing is certain: " + p.uncertain());
            compared++;
        }
        assertEquals(4, compared, "every IPv4 probe of the sample");
        AuditResult r = new Correlator(AuditPolicy.load(Path.of(AuditPolicy.FILE)), RuleLoader.load(Path.of("rulesets")).ruleset())
                .predict(List.of(new Correlator.SnapshotInput(dir, listing)), List.of(Vantage.internet()), PortList.of());
        Diagnosis ssh = r.diagnoses().stream().filter(d -> d.code() == DiagnosisCode.SSH_NOT_RATE_LIMITED && !d.ip().isV6()).findFirst().orElseThrow();
        assertTrue(ssh.evidence().stream().anyMatch(e -> e.source().startsWith("ufw") && e.text().startsWith("22/tcp")),
                "ufw's row behind the listing's rule: " + ssh.evidence());
    }
}
