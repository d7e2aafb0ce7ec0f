package org.aiscan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.aiscan.model.Address;
import org.junit.jupiter.api.Test;

/** The matchers both evaluators share: a port, an interface or an address means the same in iptables and nftables. */
class MatchTest {
    @Test
    void portsAsEitherToolPrintsThem() {
        assertEquals(Tri.TRUE, Match.port("ssh", 22), "a service name, as nft and iptables -L print it");
        assertEquals(Tri.TRUE, Match.port("22", 22));
        assertEquals(Tri.FALSE, Match.port("https", 22));
        assertEquals(Tri.UNKNOWN, Match.port("no-such-service", 22), "a name the table does not hold is unknown, never false");
        assertEquals(Tri.TRUE, Match.port("8000:8100", 8050), "iptables range");
        assertEquals(Tri.TRUE, Match.port("8000-8100", 8100), "nft range");
        assertEquals(Tri.FALSE, Match.port("8000-8100", 8101));
        assertEquals(Tri.TRUE, Match.port(":1023", 22));
        assertEquals(Tri.TRUE, Match.port("1024:", 65535));
        assertEquals(Tri.TRUE, Match.ports("80,443,8000:8010", 8005));
        assertEquals(Tri.UNKNOWN, Match.ports("80,bogus", 22), "one unreadable item leaves the list unknown when the rest fail");
    }

    @Test
    void interfacesWithEitherWildcard() {
        assertEquals(Tri.TRUE, Match.iface("eth+", "eth0"), "iptables");
        assertEquals(Tri.TRUE, Match.iface("\"eth*\"", "eth0"), "nft, quoted");
        assertEquals(Tri.FALSE, Match.iface("docker0", "eth0"));
        assertEquals(Tri.UNKNOWN, Match.iface("eth0", null), "an interface the evaluation does not know");
    }

    @Test
    void addressesHostsNetworksAndRanges() {
        Address a = Address.parse("10.0.0.7");
        assertEquals(Tri.TRUE, Match.address("10.0.0.0/8", a));
        assertEquals(Tri.TRUE, Match.address("10.0.0.5-10.0.0.9", a));
        assertEquals(Tri.FALSE, Match.address("10.0.0.8-10.0.0.9", a));
        assertEquals(Tri.FALSE, Match.address("fd00::/8", a), "another family never matches");
        assertEquals(Tri.UNKNOWN, Match.address("gateway.example", a), "a host name is unknown");
    }
}
