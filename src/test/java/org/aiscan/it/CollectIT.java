package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.aiscan.host.HostView;
import org.aiscan.host.Iptables;
import org.aiscan.host.Nft;
import org.aiscan.host.Snapshot;
import org.aiscan.host.SnapshotFile;
import org.aiscan.host.Ufw;
import org.aiscan.lab.Lab;
import org.aiscan.lab.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aiscan collect} run inside host scenarios whose firewalls the scenario script configured with
 * the real tools (ufw, iptables with Docker's chains, ip6tables, nft): the snapshot must hold what was
 * configured, parsed, with no unreadable line.
 */
class CollectIT {
    @TempDir
    Path tmp;

    private HostView collect(Scenario s) throws Exception {
        Path out = tmp.resolve(s.name() + ".json");
        Lab.Run r = s.exec(90, Lab.ROOT.resolve("scanner/aiscan").toString(), "collect", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("0 unreadable lines"), r.err());
        Snapshot snap = SnapshotFile.read(out);
        assertTrue(snap.root());
        HostView v = HostView.of(snap);
        assertEquals(List.of(), v.problems, "every line parsed");
        return v;
    }

    private static Set<String> listening(HostView v) {
        return v.listeners.stream().filter(l -> l.proto().equals("tcp"))
                .map(l -> (l.address() == null ? l.bind().name() : l.address().toString()) + ":" + l.port() + "/" + l.processNames())
                .collect(Collectors.toSet());
    }

    private static Iptables.Chain chain(HostView v, int family, String table, String chain) {
        List<HostView.NamedDump> dumps = v.iptables(family);
        assertEquals(1, dumps.size(), "one iptables flavour holds the rules: " + dumps);
        Iptables.Table t = dumps.get(0).dump().table(table);
        assertNotNull(t, table + " table");
        Iptables.Chain c = t.chain(chain);
        assertNotNull(c, table + " " + chain);
        return c;
    }

    @Test
    void ufwWithASubnetRule() throws Exception {
        try (Scenario s = Scenario.up("ufw-subnet")) {
            HostView v = collect(s);
            assertTrue(v.ufw.active());
            assertEquals("deny", v.ufw.defaults().get("incoming"));
            assertEquals(5, v.ufw.rules().size(), v.ufw.rules().toString());
            Ufw.Rule lan = v.ufw.rules().get(1);
            assertEquals("ALLOW", lan.action());
            assertEquals("11434", lan.to().ports());
            assertEquals("tcp", lan.to().proto());
            assertEquals("198.18.32.200/29", lan.from().address());
            assertEquals("Ollama LAN only", lan.comment());
            Ufw.Rule ssh6 = v.ufw.rules().get(3);
            assertTrue(ssh6.v6() && "22".equals(ssh6.to().ports()) && ssh6.from().address() == null, ssh6.text());
            assertEquals(List.of(1, 2, 3, 4, 5), v.ufwNumbered.rules().stream().map(Ufw.Rule::number).toList());
            assertEquals("Prometheus for the dashboard", v.ufw.rules().get(2).comment());
            // ufw's own chains, as the kernel holds them
            assertEquals("DROP", chain(v, 4, "filter", "INPUT").policy());
            Iptables.Rule user = chain(v, 4, "filter", "ufw-user-input").rules().stream()
                    .filter(r -> r.match("-s") != null).findFirst().orElseThrow();
            assertEquals("198.18.32.200/29", user.match("-s").value());
            assertEquals("11434", user.match("--dport").value());
            assertEquals("ACCEPT", user.target());
            assertEquals(Set.of("ANY_V4:22/python3", "ANY_V4:11434/python3", "ANY_V4:9090/python3"), listening(v));
            assertTrue(v.addresses.stream().anyMatch(a -> a.iface().equals("eth0") && a.address().toString().equals("198.18.32.2")),
                    v.addresses.toString());
        }
    }

    @Test
    void dockerPublishedPortBehindUfw() throws Exception {
        try (Scenario s = Scenario.up("ufw-docker")) {
            HostView v = collect(s);
            Iptables.Rule dnat = chain(v, 4, "nat", "DOCKER").rules().stream()
                    .filter(r -> "8000".equals(r.match("--dport") == null ? null : r.match("--dport").value())).findFirst().orElseThrow();
            assertEquals("DNAT", dnat.target());
            assertEquals("10.17.0.2:8000", dnat.targetOption("--to-destination"));
            Iptables.Option in = dnat.match("-i");
            assertTrue(in.negated() && in.value().equals("docker0"), dnat.text());
            assertNull(dnat.match("-d"), "published on every address");
            Iptables.Rule local = chain(v, 4, "nat", "DOCKER").rules().stream()
                    .filter(r -> r.match("-d") != null).findFirst().orElseThrow();
            assertEquals("127.0.0.1/32", local.match("-d").value());
            assertEquals("10.17.0.3:11434", local.targetOption("--to-destination"));
            assertEquals("DOCKER-USER", chain(v, 4, "filter", "FORWARD").rules().get(0).target());
            assertTrue(chain(v, 4, "raw", "PREROUTING").rules().stream()
                    .anyMatch(r -> r.target().equals("DROP") && "10.17.0.2/32".equals(r.match("-d").value())));
            assertTrue(v.ufw.rules().stream().anyMatch(r -> r.action().equals("DENY") && "8000".equals(r.to().ports()) && !r.v6()));
            assertTrue(v.ufw.rules().stream().anyMatch(r -> r.action().equals("DENY") && "8000".equals(r.to().ports()) && r.v6()));
            assertTrue(listening(v).containsAll(Set.of("ANY_V4:8000/docker-proxy", "ANY_V6:8000/docker-proxy",
                    "127.0.0.1:11434/docker-proxy")), listening(v).toString());
            assertTrue(v.ipForwarding());
        }
    }

    @Test
    void ip6tablesRateLimit() throws Exception {
        try (Scenario s = Scenario.up("ratelimit")) {
            HostView v = collect(s);
            for (int family : new int[] {4, 6}) {
                List<Iptables.Rule> input = chain(v, family, "filter", "INPUT").rules();
                assertEquals(2, input.size(), input.toString());
                Iptables.Rule drop = input.get(1);
                assertEquals("DROP", drop.target());
                assertEquals("8000", drop.match("--dport").value());
                assertEquals("NEW", drop.match("--ctstate").value());
                assertEquals("30", drop.match("--hitcount").value());
                assertEquals("60", drop.match("--seconds").value());
                assertEquals("vllm", drop.match("--name").value());
                assertTrue(drop.modules().contains("recent"), drop.modules().toString());
                assertEquals("ACCEPT", chain(v, family, "filter", "INPUT").policy());
            }
            assertTrue(listening(v).containsAll(Set.of("ANY_V4:8000/python3", "ANY_V6:8000/python3")), listening(v).toString());
        }
    }

    @Test
    void nativeNftables() throws Exception {
        try (Scenario s = Scenario.up("nft-only")) {
            HostView v = collect(s);
            Nft.Table t = v.nft.tables().stream().filter(x -> x.family().equals("inet") && x.name().equals("filter"))
                    .findFirst().orElseThrow();
            assertFalse(t.managedByIptables());
            Nft.Chain input = t.chain("input");
            assertEquals("input", input.hook());
            assertEquals(0, input.priority());
            assertEquals("drop", input.policy());
            List<String> rules = input.rules().stream().map(r -> r.text().trim()).toList();
            assertTrue(rules.contains("tcp dport 22 accept") && rules.contains("tcp dport 443 accept"), rules.toString());
            assertEquals(0, v.iptables.stream().mapToInt(d -> d.dump().ruleCount()).sum(), "no iptables rules");
            assertTrue(listening(v).containsAll(Set.of("ANY_V4:8188/python3", "ANY_V6:8188/python3", "ANY_V4:443/python3")));
        }
    }

    @Test
    void withoutRootCollectsWhatItCanAndSaysWhatNeedsRoot() throws Exception {
        try (Scenario s = Scenario.up("nft-only")) {
            Path out = tmp.resolve("unpriv.json");
            Lab.Run r = s.exec(90, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "env", "HOME=/tmp",
                    Lab.launcherForNobody().toString(), "collect", "-o", "-");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("not root"), r.err());
            assertTrue(r.err().contains("nft: nft needs root"), r.err());
            assertTrue(r.err().contains("nft unread (denied)"), r.err());
            Files.writeString(out, r.out());
            Snapshot snap = SnapshotFile.read(out);
            assertFalse(snap.root());
            assertEquals("denied", snap.source("nft").status());
            assertEquals("ok", snap.source("ss-tcp").status());
            assertFalse(HostView.of(snap).listeners.isEmpty(), "ss works without root");
        }
    }

    @Test
    void aFiftyMegabyteDumpIsCutWithAMessageInBoundedMemory() throws Exception {
        Path dir = tmp.resolve("big");
        Files.createDirectories(dir);
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("iptables-save.txt"), StandardCharsets.US_ASCII)) {
            w.write("*filter\n:INPUT ACCEPT [0:0]\n");
            long written = 0;
            for (int i = 0; written < 50L << 20; i++) {
                String line = "-A INPUT -s 10." + (i >> 8 & 255) + "." + (i & 255) + ".0/24 -p tcp -m tcp --dport 8000 -j DROP\n";
                w.write(line);
                written += line.length();
            }
            w.write("COMMIT\n");
        }
        Path out = tmp.resolve("big.json");
        Lab.Run r = Lab.run(List.of("env", "AISCAN_JAVA_OPTS=-Xmx256m", Lab.ROOT.resolve("scanner/aiscan").toString(), "collect",
                "--from", dir.toString(), "-o", out.toString()), 120);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("cut at 32 MiB"), r.err());
        assertTrue(r.err().contains("input too large; read the first 400000 lines"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(Files.size(out) > 0);
    }
}
