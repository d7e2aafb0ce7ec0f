package org.aiscan.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code iptables -L} as strangers pasted it (test-fixtures/host-corpus, verbatim), read into the model
 * iptables-save gives: concrete rules read by hand from each paste, moby's generated doc where the same
 * rules are printed by both {@code -L -n -v} and {@code -S} (compared rule by rule), and what a listing
 * hides said as gaps and problems.
 */
class IptablesListParserTest {
    static final Path CORPUS = Path.of("test-fixtures/host-corpus");

    static String read(String folderPrefix, String file) throws Exception {
        try (var s = Files.list(CORPUS)) {
            Path dir = s.filter(p -> p.getFileName().toString().startsWith(folderPrefix)).findFirst().orElseThrow();
            return Files.readString(dir.resolve(file));
        }
    }

    static Iptables.Rule rule(Iptables.Dump d, String table, String chain, int index) {
        Iptables.Table t = d.table(table);
        assertNotNull(t, table + " in " + d.tables());
        Iptables.Chain c = t.chain(chain);
        assertNotNull(c, chain + " in " + t.chains().keySet());
        return c.rules().get(index);
    }

    static Iptables.Option opt(String module, String name, boolean negated, String... values) {
        return new Iptables.Option(module, name, List.of(values), negated);
    }

    @Test
    void kubeProxyFilterAndNatListingsWithCountersReadWhole() throws Exception {
        Iptables.Dump filter = IptablesListParser.parse("iptables-l-v4", read("04-", "iptables-L-n-v.txt"), 4, null);
        assertEquals(List.of(), filter.problems());
        assertEquals(List.of(), filter.gaps());
        assertEquals("unknown", filter.flavour());
        Iptables.Table f = filter.table("filter");
        assertEquals("DROP", f.chain("FORWARD").policy());
        assertEquals("ACCEPT", f.chain("INPUT").policy());
        assertNull(f.chain("DOCKER").policy());
        assertEquals(9, f.chain("FORWARD").rules().size());
        Iptables.Rule masq = rule(filter, "filter", "KUBE-FORWARD", 0);
        assertEquals("ACCEPT", masq.target());
        assertEquals(opt("mark", "--mark", false, "0x4000/0x4000"), masq.match("--mark"));
        assertEquals(opt("comment", "--comment", false, "kubernetes forwarding rules"), masq.match("--comment"));
        assertEquals(List.of("comment", "mark"), masq.modules());
        Iptables.Rule drop = rule(filter, "filter", "KUBE-FIREWALL", 0);
        assertEquals("DROP", drop.target());
        assertEquals("0x8000/0x8000", drop.match("--mark").value());
        // "ACCEPT all -- docker0 !docker0": in docker0, out anything but docker0
        Iptables.Rule out = rule(filter, "filter", "FORWARD", 5);
        assertEquals(List.of(opt(null, "-i", false, "docker0"), opt(null, "-o", true, "docker0")), out.matches());
        Iptables.Rule ct = rule(filter, "filter", "KUBE-FORWARD", 1);
        assertEquals(List.of(opt(null, "-s", false, "10.244.0.0/16"),
                opt("comment", "--comment", false, "kubernetes forwarding conntrack pod source rule"),
                opt("conntrack", "--ctstate", false, "RELATED,ESTABLISHED")), ct.matches());
        assertEquals(1, f.chain("INPUT").rules().get(0).matchesNamed("--ctstate").size());

        Iptables.Dump nat = IptablesListParser.parse("iptables-l-nat-v4", read("04-", "iptables-nat-L-n-v.txt"), 4, "nat");
        assertEquals(List.of(), nat.problems());
        assertEquals(List.of(), nat.gaps());
        Iptables.Rule np = rule(nat, "nat", "KUBE-NODEPORTS", 1);
        assertEquals("KUBE-SVC-R2VK7O5AFVLRAXSH", np.target());
        assertEquals(opt("tcp", "--dport", false, "30080"), np.match("--dport"));
        assertEquals(opt(null, "-p", false, "tcp"), np.match("-p"));
        assertEquals(38, np.line());
        assertEquals("0     0 KUBE-SVC-R2VK7O5AFVLRAXSH  tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            "
                + "/* default/nginx-svc: */ tcp dpt:30080", np.text());
        assertEquals("nat", np.table());
        Iptables.Rule dnat = rule(nat, "nat", "KUBE-SEP-WZIMOURZMGKYESDR", 1);
        assertEquals("DNAT", dnat.target());
        assertEquals("10.244.1.3:80", dnat.targetOption("--to-destination"));
        Iptables.Rule sep = rule(nat, "nat", "KUBE-SEP-WZIMOURZMGKYESDR", 0);
        assertEquals(opt(null, "-s", false, "10.244.1.3/32"), sep.match("-s"));
        assertEquals("0x4000/0x4000", rule(nat, "nat", "KUBE-MARK-MASQ", 0).targetOption("--set-xmark"));
        assertEquals(opt(null, "-d", true, "127.0.0.0/8"), rule(nat, "nat", "OUTPUT", 1).match("-d"));
        assertEquals(opt("addrtype", "--dst-type", false, "LOCAL"), rule(nat, "nat", "PREROUTING", 1).match("--dst-type"));
        Iptables.Rule stat = rule(nat, "nat", "KUBE-SVC-ERIFXISQEP7F7OF4", 0);
        assertEquals(List.of("comment", "statistic"), stat.modules());
        assertEquals("0.50000000000", stat.match("--probability").value());
        assertEquals("random", stat.match("--mode").value());
        assertEquals(9, nat.table("nat").chain("KUBE-SERVICES").rules().size());
    }

    /** moby's generated doc prints the same rules with -L -n -v --line-numbers and with -S: every rule must read the same. */
    @Test
    void sameRulesAsTheIptablesSListingOfTheSameHost() throws Exception {
        for (String[] pair : List.of(new String[] {"iptables-L-n-v.txt", "iptables-S.txt", "filter"},
                new String[] {"iptables-nat-L-n-v.txt", "iptables-nat-S.txt", "nat"},
                new String[] {"iptables-raw-L-n-v.txt", "iptables-raw-S.txt", "raw"})) {
            Iptables.Dump l = IptablesListParser.parse("l", read("02-", pair[0]), 4, null);
            Iptables.Dump s = IptablesSaveParser.parse("s", read("02-", pair[1]), 4, pair[2]);
            assertEquals(List.of(), l.problems(), pair[0]);
            assertEquals(List.of(), l.gaps(), pair[0]);
            Iptables.Table lt = l.table(pair[2]);
            Iptables.Table st = s.table(pair[2]);
            assertNotNull(lt, pair[0] + " is the " + pair[2] + " table: " + l.tables());
            assertEquals(st.chains().keySet(), lt.chains().keySet(), pair[0]);
            int compared = 0;
            for (Iptables.Chain sc : st.chains().values()) {
                Iptables.Chain lc = lt.chain(sc.name());
                assertEquals(sc.policy(), lc.policy(), pair[0] + " " + sc.name());
                assertEquals(sc.rules().size(), lc.rules().size(), pair[0] + " " + sc.name());
                for (int i = 0; i < sc.rules().size(); i++) {
                    Iptables.Rule a = sc.rules().get(i);
                    Iptables.Rule b = lc.rules().get(i);
                    String where = pair[0] + " line " + b.line() + " vs " + a.text();
                    assertEquals(a.matches(), b.matches(), where);
                    assertEquals(a.modules(), b.modules(), where);
                    assertEquals(a.target(), b.target(), where);
                    assertEquals(a.isGoto(), b.isGoto(), where);
                    assertEquals(a.targetOptions().stream().map(o -> o.name() + "=" + o.values()).toList(),
                            b.targetOptions().stream().map(o -> o.name() + "=" + o.values()).toList(), where);
                    compared++;
                }
            }
            assertTrue(compared >= 2, pair[0] + ": " + compared);
        }
    }

    @Test
    void withoutDashVEveryChainWithRulesIsAGap() throws Exception {
        Iptables.Dump d = IptablesListParser.parse("iptables-l-v4", read("21-", "iptables-L-FORWARD.txt"), 4, null);
        assertEquals(List.of(), d.problems());
        Iptables.Chain fwd = d.table("filter").chain("FORWARD");
        assertEquals("DROP", fwd.policy());
        assertEquals(8, fwd.rules().size());
        assertEquals("icmp-port-unreachable", fwd.rules().get(1).targetOption("--reject-with"));
        Iptables.Rule est = fwd.rules().get(3);
        assertEquals(List.of(opt(null, "-d", false, "192.168.101.0/24"), opt("conntrack", "--ctstate", false, "RELATED,ESTABLISHED")),
                est.matches());
        assertEquals(List.of(), fwd.rules().get(0).matches()); // what the paste shows; the interfaces it hides are the gap
        ParseProblem hidden = d.gaps().stream().filter(g -> g.text().equals("-N FORWARD") && g.message().contains("without -v"))
                .findFirst().orElseThrow(() -> new AssertionError(d.gaps().toString()));
        assertEquals(1, hidden.line());
        assertTrue(hidden.message().contains("paste iptables -S or iptables-save"), hidden.message());
        // -L FORWARD alone: INPUT and OUTPUT are not shown, so they are chains with no policy (a walk through them is uncertain)
        assertNull(d.table("filter").chain("INPUT").policy());
        assertTrue(d.table("filter").chain("INPUT").rules().isEmpty());
        assertTrue(d.gaps().stream().anyMatch(g -> g.text().equals("-N INPUT")), d.gaps().toString());

        Iptables.Dump u = IptablesListParser.parse("iptables-l-v4", read("30-", "iptables-L-n-DOCKER-USER.txt"), 4, null);
        Iptables.Chain du = u.table("filter").chain("DOCKER-USER");
        assertNull(du.policy());
        Iptables.Rule dns = du.rules().get(4);
        assertEquals("RETURN", dns.target());
        assertEquals(List.of(opt(null, "-p", false, "udp"), opt("udp", "--sport", false, "53"), opt("udp", "--dport", false, "1024:65535")),
                dns.matches());
        assertEquals(opt("tcp", "--tcp-flags", false, "FIN,SYN,RST,ACK", "SYN"), du.rules().get(5).match("--tcp-flags"));
        assertTrue(u.gaps().stream().anyMatch(g -> g.text().equals("-N DOCKER-USER") && g.message().contains("without -v")), u.gaps().toString());
        assertTrue(u.gaps().stream().anyMatch(g -> g.text().equals("-N FORWARD")), u.gaps().toString());
    }

    @Test
    void lineNumbersCountersAndACutLastRule() throws Exception {
        Iptables.Dump d = IptablesListParser.parse("iptables-l-v4", read("32-", "iptables-L-n-v.txt"), 4, null);
        Iptables.Chain in = d.table("filter").chain("INPUT");
        assertEquals("DROP", in.policy()); // the first line starts with a stray '[' as posted
        assertEquals(9, in.rules().size());
        Iptables.Rule est = in.rules().get(0);
        assertEquals(List.of(opt(null, "-i", false, "eth0"), opt(null, "-p", false, "tcp"), opt("tcp", "--sport", false, "47200"),
                opt("state", "--state", false, "ESTABLISHED")), est.matches());
        assertEquals(opt(null, "-s", false, "172.245.74.250/32"), in.rules().get(1).match("-s"));
        assertEquals(opt("multiport", "--dports", false, "22"), in.rules().get(3).match("--dports"));
        assertEquals("f2b-sshd", in.rules().get(3).target());
        assertEquals(1, d.problems().size(), d.problems().toString());
        ParseProblem cut = d.problems().get(0);
        assertEquals(12, cut.line());
        assertTrue(cut.text().startsWith("-A INPUT "), cut.text()); // attributed to its chain: INPUT is uncertain
        assertTrue(d.gaps().stream().noneMatch(g -> g.message().contains("without -v")), d.gaps().toString());
    }

    @Test
    void tailscaleListingWithAPromptLine() throws Exception {
        Iptables.Dump d = IptablesListParser.parse("iptables-l-v4", read("12-", "iptables-L-n-v.txt"), 4, null);
        assertEquals(List.of(), d.problems());
        Iptables.Rule ret = rule(d, "filter", "ts-input", 1);
        assertEquals(List.of(opt(null, "-s", false, "100.115.92.0/23"), opt(null, "-i", true, "tailscale0")), ret.matches());
        assertEquals("RETURN", ret.target());
        assertEquals("0x40000/0xffffffff", rule(d, "filter", "ts-forward", 0).targetOption("--set-xmark"));
        assertEquals(3, rule(d, "filter", "ts-input", 0).line() - 12);
    }

    @Test
    void namesInsteadOfNumbersRecentAndBlankTargets() throws Exception {
        Iptables.Dump d = IptablesListParser.parse("iptables-l-v4", read("22-", "iptables-L-v.txt"), 4, null);
        Iptables.Chain in = d.table("filter").chain("INPUT");
        assertEquals(List.of(opt(null, "-i", false, "lo")), in.rules().get(0).matches()); // out "any" is no match
        assertEquals(opt("tcp", "--dport", false, "22"), in.rules().get(1).match("--dport")); // dpt:ssh
        Iptables.Rule rec = in.rules().get(5);
        assertEquals(List.of(opt("recent", "--update", false), opt("recent", "--seconds", false, "600"),
                opt("recent", "--name", false, "fail2ban-wordpress-login"), opt("recent", "--rsource", false),
                opt("recent", "--mask", false, "255.255.255.255")), rec.matches());
        assertEquals("icmp-admin-prohibited", rec.targetOption("--reject-with"));
        assertTrue(d.problems().stream().allMatch(p -> p.text().startsWith("-A INPUT ")), d.problems().toString());

        Iptables.Dump m = IptablesListParser.parse("iptables-l-mangle-v4", read("23-", "iptables-mangle-L-v-line-numbers.txt"), 4, "mangle");
        Iptables.Chain pre = m.table("mangle").chain("PREROUTING");
        assertEquals(opt("set", "--match-set", false, "allowed-relays", "src"), pre.rules().get(0).match("--match-set"));
        assertEquals(opt("tcp", "--dport", false, "443"), pre.rules().get(0).match("--dport"));
        Iptables.Rule counting = pre.rules().get(4);
        assertNull(counting.target());
        assertEquals(opt("recent", "--set", false), counting.match("--set"));
        Iptables.Rule conn = pre.rules().get(5);
        assertEquals(opt("connlimit", "--connlimit-above", false, "2"), conn.match("--connlimit-above"));
        assertEquals(List.of("tor-193.38.255.253-9001", "src"), conn.targetOptions().get(0).values());
    }

    @Test
    void csfListingCutByThePosterAndAnEmptyLegacyListing() throws Exception {
        Iptables.Dump nft = IptablesListParser.parse("iptables-l-nft-v4", read("09-", "iptables-nft-L.txt"), 4, null);
        assertEquals(List.of("Warning: iptables-legacy tables present, use iptables-legacy to see them"), nft.warnings());
        Iptables.Chain in = nft.table("filter").chain("INPUT");
        assertEquals(11, in.rules().size());
        assertEquals(opt("tcp", "--dport", false, "25"), in.rules().get(8).match("--dport")); // dpt:smtp
        assertEquals(opt("icmp", "--icmp-type", false, "echo-request"), in.rules().get(5).match("--icmp-type"));
        assertEquals(1, nft.problems().size()); // "etc.."
        Iptables.Dump legacy = IptablesListParser.parse("iptables-l-legacy-v4", read("09-", "iptables-legacy-L.txt"), 4, null);
        assertEquals(List.of(), legacy.problems());
        assertEquals(List.of(), legacy.gaps()); // no rule at all: nothing is hidden
        assertEquals(3, legacy.table("filter").chains().size());
    }

    @Test
    void anotherCommandsOutputIsSaidAndNotRead() throws Exception {
        Iptables.Dump d = IptablesListParser.parse("iptables-l-v4", read("39-", "ufw-docker-check.txt"), 4, null);
        assertEquals(List.of(), d.problems());
        assertTrue(d.table("filter").chain("DOCKER-USER").rules().isEmpty());
        assertTrue(d.warnings().stream().anyMatch(w -> w.contains("another command's output")), d.warnings().toString());
    }

    @Test
    void concatenatedListingsPromptsTablesAndFamilies() {
        String text = """
                $ sudo iptables -L -n -v
                Chain INPUT (policy DROP 0 packets, 0 bytes)
                 pkts bytes target     prot opt in     out     source               destination
                    0     0 ACCEPT     tcp  --  eth0   *       0.0.0.0/0            0.0.0.0/0            tcp dpts:8000:8010 ctstate NEW
                    0     0 LOG        all  --  *      *       0.0.0.0/0            0.0.0.0/0            limit: avg 3/min burst 10 LOG flags 0 level 4 prefix "[UFW BLOCK] "
                    0     0 ufw-x      all  --  *      *       0.0.0.0/0            0.0.0.0/0           [goto]  mark match ! 0x8000/0x8000

                Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)
                 pkts bytes target     prot opt in     out     source               destination

                Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
                 pkts bytes target     prot opt in     out     source               destination

                Chain ufw-x (1 references)
                 pkts bytes target     prot opt in     out     source               destination
                    0     0 DROP       tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            hashlimit-ish unknown text
                Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)
                 pkts bytes target     prot opt in     out     source               destination
                    0     0 DNAT       tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:10.0.0.2:80
                    0     0 REDIRECT   tcp  --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:81 redir ports 8080
                Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)
                 pkts bytes target     prot opt in     out     source               destination
                    0     0 MASQUERADE  all  --  *      eth0    10.0.0.0/24          0.0.0.0/0
                # ip6tables -L -n -v
                Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
                 pkts bytes target     prot opt in     out     source               destination
                    0     0 ACCEPT     tcp      *      *       ::/0                 2001:db8::1          tcp dpt:22
                Chain FORWARD (policy DROP 0 packets, 0 bytes)
                 pkts bytes target     prot opt in     out     source               destination
                """;
        List<Iptables.Dump> all = IptablesListParser.parseAll("iptables-l-v4", text, 4, null);
        assertEquals(2, all.size());
        Iptables.Dump v4 = all.get(0);
        assertEquals(4, v4.family());
        assertEquals(List.of("filter", "nat"), v4.tables().stream().map(Iptables.Table::name).toList());
        Iptables.Rule acc = rule(v4, "filter", "INPUT", 0);
        assertEquals(List.of(opt(null, "-i", false, "eth0"), opt(null, "-p", false, "tcp"), opt("tcp", "--dport", false, "8000:8010"),
                opt("conntrack", "--ctstate", false, "NEW")), acc.matches());
        Iptables.Rule log = rule(v4, "filter", "INPUT", 1);
        assertEquals("[UFW BLOCK] ", log.targetOption("--log-prefix"));
        assertEquals("4", log.targetOption("--log-level"));
        assertEquals(opt("limit", "--limit", false, "3/min"), log.match("--limit"));
        Iptables.Rule go = rule(v4, "filter", "INPUT", 2);
        assertTrue(go.isGoto());
        assertEquals(opt("mark", "--mark", true, "0x8000/0x8000"), go.match("--mark"));
        assertTrue(v4.table("filter").chain("ufw-x").rules().isEmpty());
        ParseProblem p = v4.problems().get(0);
        assertEquals(16, p.line());
        assertTrue(p.text().startsWith("-A ufw-x "), p.text());
        assertTrue(p.message().contains("hashlimit-ish"), p.message());
        assertEquals("10.0.0.2:80", rule(v4, "nat", "PREROUTING", 0).targetOption("--to-destination"));
        assertEquals("8080", rule(v4, "nat", "PREROUTING", 1).targetOption("--to-ports"));
        assertEquals(opt(null, "-o", false, "eth0"), rule(v4, "nat", "POSTROUTING", 0).match("-o"));
        Iptables.Dump v6 = all.get(1);
        assertEquals(6, v6.family());
        Iptables.Rule ssh = rule(v6, "filter", "INPUT", 0);
        assertEquals(List.of(opt(null, "-d", false, "2001:db8::1/128"), opt(null, "-p", false, "tcp"), opt("tcp", "--dport", false, "22")),
                ssh.matches());
        assertEquals(v6, IptablesListParser.parse("iptables-l-v4", text, 6, null));
    }

    @Test
    void anUnknownServiceNameMakesItsRuleUnreadable() {
        Iptables.Dump d = IptablesListParser.parse("x", """
                Chain INPUT (policy DROP)
                target     prot opt source               destination
                ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:http
                ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:some-private-name
                ACCEPT     all  --  localhost            anywhere
                Chain FORWARD (policy DROP)
                target     prot opt source               destination
                """, 4, null);
        Iptables.Chain in = d.table("filter").chain("INPUT");
        assertEquals(2, in.rules().size());
        assertEquals("80", in.rules().get(0).match("--dport").value());
        assertEquals("127.0.0.1/32", in.rules().get(1).match("-s").value());
        assertEquals(1, d.problems().size());
        assertTrue(d.problems().get(0).message().contains("some-private-name"));
        // INPUT hides its interfaces (FORWARD has no rule to hide), and OUTPUT is not shown
        assertEquals(List.of("-N INPUT", "-N OUTPUT"), d.gaps().stream().map(ParseProblem::text).toList());
        assertFalse(d.gaps().get(0).message().isEmpty());
    }

    @Test
    void collectedFromFilesByNameAndPreferringSaveOrS() throws Exception {
        Path k8s;
        Path moby;
        try (var s = Files.list(CORPUS)) {
            List<Path> dirs = s.sorted().toList();
            k8s = dirs.stream().filter(p -> p.getFileName().toString().startsWith("04-")).findFirst().orElseThrow();
            moby = dirs.stream().filter(p -> p.getFileName().toString().startsWith("02-")).findFirst().orElseThrow();
        }
        HostView v = HostView.of(Collector.fromFiles(k8s, "test"));
        assertEquals(List.of("iptables-l-v4", "iptables-l-nat-v4"), v.iptables.stream().map(HostView.NamedDump::source).toList());
        assertNotNull(v.iptables.get(1).dump().table("nat"));
        assertEquals(List.of(), v.problems);
        HostView m = HostView.of(Collector.fromFiles(moby, "test"));
        assertTrue(m.iptables.stream().noneMatch(d -> d.source().startsWith("iptables-l-")), m.iptables.toString());
        assertTrue(m.notes.stream().anyMatch(n -> n.contains("iptables-L-n-v.txt") && n.contains("not read")), m.notes.toString());
        assertEquals("iptables-l-nat-v4", Formats.guess(read("18-", "iptables-nat-L-n-v.txt")).source());
        assertEquals("iptables-l-v4", Formats.guess(read("30-", "iptables-L-n-DOCKER-USER.txt")).source());
    }
}
