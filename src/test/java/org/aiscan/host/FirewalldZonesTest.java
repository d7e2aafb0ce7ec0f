package org.aiscan.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** firewall-cmd --list-all(-zones) as people pasted it (test-fixtures/host-corpus/), read by hand. */
class FirewalldZonesTest {
    static final Path CORPUS = Path.of("test-fixtures/host-corpus");

    /** One or more files of a folder, read as one paste. */
    static Firewalld.Zones read(String folder, String... files) throws Exception {
        try (var s = Files.list(CORPUS)) {
            Path dir = s.filter(d -> d.getFileName().toString().startsWith(folder)).findFirst().orElseThrow();
            StringBuilder text = new StringBuilder();
            for (String f : files) {
                text.append(Files.readString(dir.resolve(f))).append('\n');
            }
            return Firewalld.parse("firewalld", text.toString());
        }
    }

    @Test
    void publicAndTrustedWithDocker0() throws Exception {
        Firewalld.Zones z = read("07-", "firewall-cmd-list-all-zone-public.txt", "firewall-cmd-list-all-zone-trusted.txt");
        assertEquals(List.of(), z.problems(), "a whole paste, prompt line included");
        assertEquals(List.of("public", "trusted"), z.zones().stream().map(Firewalld.Zone::name).toList());
        Firewalld.Zone pub = z.zones().get(0);
        assertTrue(pub.active());
        assertEquals(List.of("dhcpv6-client", "https"), pub.services());
        assertEquals(List.of("8080/tcp"), pub.ports());
        assertEquals("ACCEPT", z.zones().get(1).target());
        assertEquals("trusted", z.zoneOf("docker0").name());
    }

    @Test
    void anIndentedListingWithAPortRange() throws Exception {
        Firewalld.Zones z = read("37-", "firewall-cmd-list-all.txt");
        assertEquals(List.of(), z.problems());
        Firewalld.Zone home = z.zoneOf("br0");
        assertEquals("home", home.name());
        assertEquals(List.of("32000/tcp", "7504/tcp", "2001-2003/tcp", "74/tcp"), home.ports());
    }

    @Test
    void allZonesOfFirewalld1AndACutPaste() throws Exception {
        Firewalld.Zones z = read("08-", "firewall-cmd-list-all-zones.txt");
        assertTrue(z.zones().size() >= 4, z.zones().toString());
        Firewalld.Zone docker = z.zoneOf("docker0");
        assertEquals("docker", docker.name());
        assertTrue(docker.active());
        assertEquals(List.of("br-07d0391e2b4b", "docker0"), docker.interfaces());
        Firewalld.Zones rich = read("38-", "firewall-cmd-list-all.txt");
        assertTrue(rich.zones().get(0).richRules().contains("rule source ipset=\"sshguard4\" drop"), rich.zones().get(0).richRules().toString());
    }
}
