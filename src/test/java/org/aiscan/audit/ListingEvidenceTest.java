package org.aiscan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.target.PortList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ufw host (test-fixtures/host-samples/01-ufw-basic) given as people paste it: iptables -L -n
 * -v --line-numbers instead of iptables-save, with ufw's status. The verdicts are those of the
 * iptables-save of the same host, and the evidence still links ufw's rows to the rules.
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
        Snapshot save = Collector.fromFiles(SAMPLE, "01");
        HostView lv = HostView.of(listing);
        assertTrue(lv.iptables.stream().anyMatch(d -> d.source().startsWith("iptables-l-")), "read as a listing: " + lv.iptables);
        Netfilter fromListing = new Netfilter(lv);
        Netfilter fromSave = new Netfilter(HostView.of(save));
        Address host = fromSave.host().publicAddresses().stream().filter(a -> !a.isV6()).findFirst().orElseThrow();
        for (int port : new int[] {22, 8000, 9090, 11434}) {
            Prediction a = fromListing.evaluate(Vantage.INTERNET_V4, host, "tcp", port);
            Prediction b = fromSave.evaluate(Vantage.INTERNET_V4, host, "tcp", port);
            assertEquals(b.outcome(), a.outcome(), "port " + port + ": " + a.decidedBy() + " vs " + b.decidedBy());
            assertFalse(a.isUncertain(), "a whole -n -v listing is certain: " + a.uncertain());
        }
        AuditResult r = new Correlator(AuditPolicy.load(Path.of(AuditPolicy.FILE)), RuleLoader.load(Path.of("rulesets")).ruleset())
                .predict(List.of(new Correlator.SnapshotInput(dir, listing)), List.of(Vantage.internet()), PortList.of());
        Diagnosis ssh = r.diagnoses().stream().filter(d -> d.code().equals("SSH_NOT_RATE_LIMITED") && !d.ip().isV6()).findFirst().orElseThrow();
        assertTrue(ssh.evidence().stream().anyMatch(e -> e.source().startsWith("ufw") && e.text().startsWith("22/tcp")),
                "ufw's row behind the listing's rule: " + ssh.evidence());
    }
}
