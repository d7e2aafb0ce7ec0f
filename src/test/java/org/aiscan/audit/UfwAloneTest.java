package org.aiscan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.host.Snapshots;
import org.aiscan.model.Address;
import org.junit.jupiter.api.Test;

/**
 * A pasted ufw status is all some people have: its rows are walked in order and the prediction names
 * the row (or the default) that would decide — never with certainty, since what else the kernel does
 * is not in a status. Read by hand from the real pastes of the corpus.
 */
class UfwAloneTest {
    static Netfilter host(String folder) throws Exception {
        try (var s = Files.list(HostCorpusTest.CORPUS)) {
            Path dir = s.filter(d -> d.getFileName().toString().startsWith(folder)).findFirst().orElseThrow();
            Snapshot snap = Snapshots.withAddresses(Collector.fromFiles(dir, "test"),
                    List.of(Address.parse("203.0.113.10"), Address.parse("2001:db8::10")));
            return new Netfilter(HostView.of(snap));
        }
    }

    static Prediction v4(Netfilter nf, int port) {
        return nf.evaluate(Vantage.INTERNET_V4, Address.parse("203.0.113.10"), "tcp", port);
    }

    @Test
    void theVerboseStatusDecidesByItsRowsThenItsDefault() throws Exception {
        Netfilter nf = host("05-");
        Prediction ssh = v4(nf, 22);
        assertEquals("accept", ssh.outcome());
        assertEquals("22                         ALLOW IN    Anywhere", ssh.decidedBy().text());
        assertTrue(ssh.isUncertain(), "a status alone is never the whole firewall");
        Prediction nrpe = v4(nf, 5666);
        assertEquals("drop", nrpe.outcome(), "allowed only from 95.xx.xx.xx: " + nrpe.decidedBy());
        assertEquals("Default: deny (incoming)", nrpe.decidedBy().text());
        Prediction v6 = nf.evaluate(Vantage.INTERNET_V6, Address.parse("2001:db8::10"), "tcp", 443);
        assertEquals("443/tcp ALLOW IN Anywhere (v6)", v6.decidedBy().text().replaceAll("\\s+", " "), "the (v6) row, line 15");
        assertEquals(15, v6.decidedBy().line());
    }

    @Test
    void aBareRuleTableSaysItsDefaultIsNotKnown() throws Exception {
        Netfilter nf = host("17-");
        Prediction p = v4(nf, 8081);
        assertEquals("accept", p.outcome(), p.decidedBy().toString());
        assertTrue(p.decidedBy().text().startsWith("8081"), p.decidedBy().text());
        Prediction other = v4(nf, 11434);
        assertTrue(other.uncertain().stream().anyMatch(e -> e.text().contains("default incoming policy is not in what was given")),
                other.uncertain().toString());
    }
}
