package org.aiscan.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.host.Snapshots;
import org.aiscan.model.Address;
import org.aiscan.model.Outcome;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.Vantage;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pasted ufw status, or firewalld's zones, is all some people have: its rows are walked in order
 * and the prediction names the row (or the default) that would decide — never with certainty, since
 * what else the kernel does is not in a listing. Read by hand from the real pastes of the corpus.
 */
class ListingAloneTest {
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
        assertEquals(Outcome.ACCEPT, ssh.outcome());
        assertEquals("22                         ALLOW IN    Anywhere", ssh.decidedBy().text());
        assertTrue(ssh.isUncertain(), "a status alone is never the whole firewall");
        Prediction nrpe = v4(nf, 5666);
        assertEquals(Outcome.DROP, nrpe.outcome(), "allowed only from 95.xx.xx.xx: " + nrpe.decidedBy());
        assertEquals("Default: deny (incoming)", nrpe.decidedBy().text());
        Prediction v6 = nf.evaluate(Vantage.INTERNET_V6, Address.parse("2001:db8::10"), "tcp", 443);
        assertEquals("443/tcp ALLOW IN Anywhere (v6)", v6.decidedBy().text().replaceAll("\\s+", " "), "the (v6) row, line 15");
        assertEquals(15, v6.decidedBy().line());
    }

    @Test
    void aBareRuleTableSaysItsDefaultIsNotKnown() throws Exception {
        Netfilter nf = host("17-");
        Prediction p = v4(nf, 8081);
        assertEquals(Outcome.ACCEPT, p.outcome(), p.decidedBy().toString());
        assertTrue(p.decidedBy().text().startsWith("8081"), p.decidedBy().text());
        Prediction other = v4(nf, 11434);
        assertTrue(other.uncertain().stream().anyMatch(e -> e.text().contains("default incoming policy is not in what was given")),
                other.uncertain().toString());
    }

    @Test
    void firewalldsZonesDecideByServicePortAndTarget() throws Exception {
        Netfilter nf = host("14-"); // public (eth0): services dhcpv6-client ssh, ports 22222/tcp 10051/tcp; one zone per file
        Prediction ssh = v4(nf, 22);
        assertEquals(Outcome.ACCEPT, ssh.outcome(), ssh.decidedBy().toString());
        assertTrue(ssh.decidedBy().text().contains("— ssh (zone public)"), ssh.decidedBy().text());
        assertTrue(ssh.isUncertain(), "zones alone are never the whole firewall");
        assertEquals(Outcome.ACCEPT, v4(nf, 10051).outcome());
        Prediction other = v4(nf, 8000);
        assertEquals(Outcome.REJECT, other.outcome(), other.decidedBy().toString());
        assertEquals("target: default (zone public)", other.decidedBy().text(), "the zone's target rejects what it does not allow");
        assertEquals(16, other.decidedBy().line(), "the second file's target line, counted after the first file");
    }

    @Test
    void aPortRangeAndAServiceOfFirewalldsOwnDefinitions() throws Exception {
        Netfilter nf = host("37-"); // home (br0): cockpit dhcpv6-client mdns nfs ssh; 2001-2003/tcp
        assertTrue(v4(nf, 9090).decidedBy().text().endsWith("— cockpit (zone home)"), "cockpit is 9090/tcp in firewalld's definition");
        assertEquals(Outcome.ACCEPT, v4(nf, 2002).outcome(), "inside 2001-2003/tcp");
        assertEquals(Outcome.REJECT, v4(nf, 5353).outcome(), "mdns is 5353/udp, not tcp");
        Prediction any = v4(nf, 22);
        assertTrue(any.uncertain().stream().anyMatch(e -> e.text().startsWith("interfaces: br0")),
                "whether the given address is on br0 is not known: " + any.uncertain());
    }

    @Test
    void aRichRuleCutShortIsUnknownNeverAVerdict() throws Exception {
        Netfilter nf = host("38-"); // rich rules: an ipset drop, then one cut inside its quotes
        Prediction p = v4(nf, 8000);
        assertTrue(p.uncertain().stream().anyMatch(e -> e.text().contains("ipset")), p.uncertain().toString());
        assertTrue(p.uncertain().stream().anyMatch(e -> e.line() == 15), "the cut rule, line 15: " + p.uncertain());
    }
}
