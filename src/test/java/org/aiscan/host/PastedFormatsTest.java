package org.aiscan.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The formats people paste, read from the real pastes of test-fixtures/host-corpus (each verbatim, with
 * its source): what each file is recognised as from its content alone, iptables -S listings, netstat
 * in its layouts, ip addr and ip route.
 */
class PastedFormatsTest {
    static final Path CORPUS = Path.of("test-fixtures/host-corpus");

    static List<Path> files(String glob) throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(CORPUS)) {
            java.nio.file.PathMatcher m = CORPUS.getFileSystem().getPathMatcher("glob:" + glob);
            s.filter(p -> m.matches(p.getFileName())).sorted().forEach(out::add);
        }
        return out;
    }

    /** What a file's name says it is, in the source names the sniffer gives (null: recognised, not evaluated). */
    static String byName(String name) {
        if (name.matches("iptables-mangle-L.*")) {
            return "?"; // a PREROUTING listing alone does not say whether it is raw's or mangle's
        }
        if (name.matches("iptables-(nat|raw)-L.*")) {
            return "iptables-l-" + name.split("-")[1] + "-v4";
        }
        if (name.matches("iptables-(nft|legacy)-L.*|iptables-L.*")) {
            return "iptables-l-v4";
        }
        if (name.matches("ip6tables-save\\.txt")) {
            return "iptables-v6";
        }
        if (name.matches("iptables-save\\.txt")) {
            return "iptables-v4";
        }
        if (name.matches("iptables(-legacy)?-S\\.txt")) { // the sniffer cannot tell legacy from nft in a -S listing
            return "iptables-s-v4";
        }
        if (name.equals("iptables-raw-S.txt")) {
            return "iptables-s-raw-v4";
        }
        if (name.equals("iptables-nat-S.txt")) {
            return "iptables-s-nat-v4";
        }
        if (name.startsWith("netstat")) {
            return "netstat";
        }
        if (name.equals("ss.txt")) {
            return "ss-tcp";
        }
        if (name.equals("nft-ruleset.txt")) {
            return "nft";
        }
        if (name.equals("ufw-status-verbose.txt")) {
            return "ufw-verbose";
        }
        if (name.equals("ufw-status-numbered.txt")) {
            return "ufw-numbered";
        }
        if (name.equals("ufw-status.txt")) {
            return "ufw-plain";
        }
        if (name.startsWith("firewall-cmd-list-all")) {
            return "firewalld";
        }
        return switch (name) {
            case "ip-addr.txt" -> "ip-addr";
            case "ip-route.txt" -> "ip-route-v4";
            case "docker-ps.txt" -> "docker-ps";
            default -> "?";
        };
    }

    @Test
    void everyRealPasteIsRecognisedFromItsContentAsWhatItsNameSays() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path p : files("*.txt")) {
            String want = byName(p.getFileName().toString());
            if ("?".equals(want)) {
                continue; // ufw-docker check, firewall-cmd --get-active-zones, --info-policy: not snapshot sources
            }
            Formats.Guess g = Formats.guess(Files.readString(p));
            String got = g == null ? "not recognised" : String.valueOf(g.source());
            checked++;
            if (!got.equals(String.valueOf(want))) {
                wrong.add(CORPUS.relativize(p) + ": recognised as " + got + ", its name says " + want);
            }
        }
        assertTrue(checked >= 50, "real pastes checked: " + checked);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void iptablesListingsBecomeTablesWithTheirPoliciesAndRules() throws Exception {
        for (Path p : files("iptables-S.txt")) {
            Iptables.Dump d = IptablesSaveParser.parse("iptables-s-v4", Files.readString(p), 4);
            assertTrue(d.problems().isEmpty(), p + ": " + d.problems());
            long rules = Files.readAllLines(p).stream().filter(l -> l.startsWith("-A ")).count();
            Iptables.Table filter = d.table("filter");
            if (rules == 0) {
                continue; // a listing filtered down to nothing ("iptables -S | grep f2b" that matched no line)
            }
            assertNotNull(filter, p + ": " + d.tables());
            assertEquals(rules, d.ruleCount(), p + ": every -A line is a rule");
            long policies = Files.readAllLines(p).stream().filter(l -> l.startsWith("-P ")).count();
            assertEquals(policies, filter.chains().values().stream().filter(c -> c.policy() != null).count() + d.tables().stream()
                    .filter(t -> t != filter).mapToLong(t -> t.chains().values().stream().filter(c -> c.policy() != null).count()).sum(), p.toString());
        }
        Path nat = files("iptables-nat-S.txt").get(0);
        Iptables.Dump d = IptablesSaveParser.parse("iptables-s-nat-v4", Files.readString(nat), 4, "nat");
        assertNotNull(d.table("nat"), nat + ": " + d.tables());
    }

    @Test
    void netstatInEveryLayoutPeoplePasted() throws Exception {
        for (Path p : files("netstat*.txt")) {
            String text = Files.readString(p);
            SsParser.Result r = NetstatParser.parse("netstat", text);
            long tcpListen = text.lines().filter(l -> l.matches("^\\s*tcp6?\\s.*\\sLISTEN\\b.*")).count();
            long tcp = r.listeners().stream().filter(l -> l.proto().equals("tcp")).count();
            assertEquals(tcpListen, tcp + r.problems().stream().filter(x -> x.text().contains("LISTEN")).count(),
                    p + ": every TCP LISTEN line is a listener or a problem that says why: " + r.problems());
            assertTrue(r.listeners().stream().anyMatch(l -> l.port() > 0), p.toString());
        }
    }

    @Test
    void plainIpAddrAndIpRoute() throws Exception {
        String addr = """
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
                    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
                    inet 127.0.0.1/8 scope host lo
                       valid_lft forever preferred_lft forever
                2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default
                    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0
                    inet 198.18.9.10/24 brd 198.18.9.255 scope global eth0
                       valid_lft forever preferred_lft forever
                    inet6 2001:2:0:9::10/64 scope global
                       valid_lft forever preferred_lft forever
                3: tailscale0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1280 qdisc fq_codel state UNKNOWN group default qlen 500
                    link/none
                    inet 100.101.102.103/32 scope global tailscale0
                """;
        List<ParseProblem> problems = new ArrayList<>();
        List<HostFacts.InterfaceAddress> a = HostFacts.addresses("ip-addr", addr, problems);
        assertEquals(List.of(), problems);
        assertEquals(List.of("lo", "eth0", "eth0", "tailscale0"), a.stream().map(HostFacts.InterfaceAddress::iface).toList());
        assertEquals("2001:2:0:9::10", a.get(2).address().toString());
        org.aiscan.audit.AuditPolicy.Names names = org.aiscan.audit.AuditPolicy.load(java.nio.file.Path.of(org.aiscan.audit.AuditPolicy.FILE)).names();
        assertTrue(names.vpn("tailscale0") && names.vpn("wg0") && !names.vpn("eth0") && names.containerBridge("cni0") && !names.containerBridge("eth0"));
        List<HostFacts.Route> r = HostFacts.routes("ip-route-v4", """
                default via 198.18.9.1 dev eth0 proto dhcp src 198.18.9.10 metric 100
                100.64.0.0/10 dev tailscale0 scope link
                198.18.9.0/24 dev eth0 proto kernel scope link src 198.18.9.10
                """, problems);
        assertEquals(List.of(), problems);
        assertEquals("eth0", r.stream().filter(HostFacts.Route::isDefault).findFirst().orElseThrow().dev());
    }
}
