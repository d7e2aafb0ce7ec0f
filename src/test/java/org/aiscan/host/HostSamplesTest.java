package org.aiscan.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.aiscan.model.Address;
import org.aiscan.model.audit.Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every captured scenario of test-fixtures/host-samples parses cleanly, and its key facts come out right. */
class HostSamplesTest {
    static final Path SAMPLES = Path.of("test-fixtures/host-samples");

    static Stream<Path> scenarios() throws Exception {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            List<Path> dirs = s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches("(0\\d|lab)-.*")).sorted().toList();
            return dirs.stream();
        }
    }

    static HostView view(String scenario) throws Exception {
        return HostView.of(Collector.fromFiles(SAMPLES.resolve(scenario), "test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void parsesWithNoUnreadableLine(Path dir) throws Exception {
        HostView v = HostView.of(Collector.fromFiles(dir, "test"));
        assertEquals(List.of(), v.problems, "unreadable lines in " + dir);
        assertFalse(v.listeners.isEmpty(), "listeners in " + dir);
        // the legacy-only dumps and the "no firewall" host are empty on purpose; everything else has rules
        assertNotNull(v.ufw, "ufw status in " + dir);
    }

    @Test
    void ufwDockerBypass02() throws Exception {
        HostView v = view("02-ufw-docker-bypass");
        Iptables.Dump d = v.iptables(4).get(0).dump();
        assertEquals("nft", d.flavour());
        assertEquals("DROP", d.table("filter").chain("INPUT").policy());
        assertEquals("DROP", d.table("filter").chain("FORWARD").policy());
        Iptables.Rule dnat = d.table("nat").chain("DOCKER").rules().stream()
                .filter(r -> "DNAT".equals(r.target()) && "8000".equals(r.match("--dport").value())).findFirst().orElseThrow();
        assertEquals("10.17.0.2:8000", dnat.targetOption("--to-destination"));
        assertEquals("docker0", dnat.match("-i").value());
        assertTrue(dnat.match("-i").negated(), "! -i docker0");
        assertEquals(144, dnat.line());
        Iptables.Rule lo = d.table("nat").chain("DOCKER").rules().stream()
                .filter(r -> "11434".equals(r.match("--dport") == null ? null : r.match("--dport").value())).findFirst().orElseThrow();
        assertEquals("127.0.0.1/32", lo.match("-d").value());
        List<Iptables.Rule> forward = d.table("filter").chain("FORWARD").rules();
        assertEquals("DOCKER-USER", forward.get(0).target(), "Docker's jumps sit at the top of FORWARD");
        assertEquals("DOCKER-FORWARD", forward.get(1).target());
        assertTrue(v.ufw.active());
        assertEquals("deny", v.ufw.defaults().get("incoming"));
        assertEquals("deny", v.ufw.defaults().get("routed"), "ip_forward=1 turns 'disabled (routed)' into 'deny (routed)'");
        Ufw.Rule deny = v.ufw.rules().stream().filter(r -> r.action().equals("DENY") && "8000".equals(r.to().ports()) && !r.v6()).findFirst().orElseThrow();
        assertEquals("vLLM must not be public", deny.comment());
        assertEquals(3, v.docker.size());
        HostFacts.DockerPort loopback = v.docker.stream().filter(p -> p.hostPort() == 11434).findFirst().orElseThrow();
        assertEquals(Address.parse("127.0.0.1"), loopback.hostAddress());
        assertTrue(v.docker.stream().anyMatch(p -> p.hostPort() == 8000 && p.v6() && p.hostAddress() == null));
        assertTrue(v.listeners.stream().anyMatch(l -> l.port() == 8000 && l.processNames().equals("docker-proxy")
                && l.bind() == Listener.Bind.ANY_V4));
        assertTrue(v.ipForwarding());
    }

    @Test
    void legacyRateLimitAndOpenIpv6_03() throws Exception {
        HostView v = view("03-iptables-ratelimit-ipv6-open");
        HostView.NamedDump legacy = v.iptables(4).stream().filter(x -> x.source().equals("iptables-legacy-v4")).findFirst().orElseThrow();
        assertEquals("legacy", legacy.dump().flavour());
        Iptables.Chain input = legacy.dump().table("filter").chain("INPUT");
        assertEquals("DROP", input.policy());
        Iptables.Rule update = input.rules().stream().filter(r -> r.match("--update") != null).findFirst().orElseThrow();
        assertEquals("60", update.match("--seconds").value());
        assertEquals("30", update.match("--hitcount").value());
        assertEquals("vllm", update.match("--name").value());
        assertEquals("DROP", update.target());
        assertTrue(update.modules().containsAll(List.of("tcp", "conntrack", "recent")));
        Iptables.Rule connlimit = input.rules().stream().filter(r -> r.modules().contains("connlimit")).findFirst().orElseThrow();
        assertNotNull(connlimit.match("--connlimit-above"));
        // the nft-flavour dump of the same host only says that legacy tables exist
        HostView.NamedDump nftFlavour = v.iptables.stream().filter(x -> x.source().equals("iptables-v4")).findFirst().orElseThrow();
        assertTrue(nftFlavour.dump().warnings().stream().anyMatch(w -> w.contains("iptables-legacy tables present"))
                || !nftFlavour.dump().isEmpty());
        HostView.NamedDump v6 = v.iptables(6).stream().filter(x -> x.source().equals("iptables-legacy-v6")).findFirst().orElseThrow();
        assertEquals("ACCEPT", v6.dump().table("filter").chain("INPUT").policy(), "ip6tables wide open");
        assertTrue(v.listeners.stream().anyMatch(l -> l.port() == 9090 && l.bind() == Listener.Bind.ANY_DUAL));
    }

    @Test
    void nftablesOnly04() throws Exception {
        HostView v = view("04-nftables-only");
        assertTrue(v.iptables.stream().allMatch(d -> d.dump().ruleCount() == 0), "iptables-save is empty on an nft-only host");
        Nft.Table t = v.nft.tables().get(0);
        assertEquals("inet", t.family());
        Nft.Chain input = t.chains().stream().filter(c -> "input".equals(c.hook())).findFirst().orElseThrow();
        assertEquals("drop", input.policy());
        assertEquals(0, input.priority());
        assertTrue(input.rules().stream().anyMatch(r -> r.text().contains("tcp dport 22") && r.text().contains("accept")));
        assertTrue(input.rules().stream().anyMatch(r -> r.text().contains("443")));
    }

    @Test
    void noFirewallBindForms05() throws Exception {
        HostView v = view("05-no-firewall");
        assertFalse(v.ufw.active());
        List<Listener> l = v.listeners;
        assertTrue(l.stream().anyMatch(x -> x.bind() == Listener.Bind.ANY_V4));
        assertTrue(l.stream().anyMatch(x -> x.bind() == Listener.Bind.ANY_V6), "[::]:P is IPv6 only");
        assertTrue(l.stream().anyMatch(x -> x.bind() == Listener.Bind.ANY_DUAL), "*:P is dual-stack");
        assertTrue(l.stream().anyMatch(x -> x.iface() != null), "ADDR%IFACE:P");
        assertTrue(l.stream().anyMatch(x -> x.bind() == Listener.Bind.ADDRESS && !x.wide()), "loopback only");
        assertTrue(l.stream().anyMatch(x -> x.proto().equals("udp")));
    }

    @Test
    void ufwDockerFixedTrustsRfc1918_06() throws Exception {
        HostView v = view("06-ufw-docker-fixed");
        Iptables.Chain user = v.iptables(4).get(0).dump().table("filter").chain("DOCKER-USER");
        assertEquals("ufw-user-forward", user.rules().get(0).target());
        assertTrue(user.rules().stream().anyMatch(r -> "RETURN".equals(r.target()) && r.match("-s") != null
                && r.match("-s").value().equals("10.0.0.0/8")));
        assertNotNull(v.iptables(4).get(0).dump().table("filter").chain("ufw-docker-logging-deny"));
        assertTrue(v.ufw.rules().stream().anyMatch(r -> r.direction().equals("FWD")));
    }

    @Test
    void ufwEdgeCases07() throws Exception {
        HostView v = view("07-ufw-edge-cases");
        List<Ufw.Rule> r = v.ufw.rules();
        Ufw.Rule limit = r.get(1);
        assertEquals("LIMIT", limit.action());
        assertEquals("22", limit.to().ports());
        assertEquals("tcp", limit.to().proto());
        assertEquals("ssh brute-force limit", limit.comment());
        Ufw.Rule lan = r.stream().filter(x -> "11434".equals(x.to().ports())).findFirst().orElseThrow();
        assertEquals("198.18.17.0/24", lan.from().address());
        assertEquals("60000:61000", r.get(2).to().ports());
        Ufw.Rule eth0 = r.stream().filter(x -> "9090".equals(x.to().ports()) && !x.v6()).findFirst().orElseThrow();
        assertEquals("eth0", eth0.to().iface());
        Ufw.Rule jupyter = r.stream().filter(x -> "Jupyter".equals(x.to().app()) && !x.v6()).findFirst().orElseThrow();
        assertEquals("8888", jupyter.to().ports());
        assertTrue(r.stream().anyMatch(x -> "Jupyter".equals(x.to().app()) && x.v6()), "8888/tcp (Jupyter (v6))");
        Ufw.Rule logged = r.stream().filter(x -> x.attributes().contains("log")).findFirst().orElseThrow();
        assertEquals("logged https", logged.comment());
        Ufw.Rule dst = r.stream().filter(x -> "198.18.17.2".equals(x.to().address())).findFirst().orElseThrow();
        assertEquals("8443", dst.to().ports());
        assertEquals("dst-specific, comma test", dst.comment());
        Ufw.Rule v6lan = r.stream().filter(x -> "8188".equals(x.to().ports())).findFirst().orElseThrow();
        assertTrue(v6lan.v6(), "explicit IPv6 addresses carry no (v6) marker");
        assertEquals("2001:2:0:17::/64", v6lan.from().address());
        Ufw.Rule out = r.stream().filter(x -> x.direction().equals("OUT")).findFirst().orElseThrow();
        assertEquals("DENY", out.action());
        Ufw.Rule route = r.stream().filter(x -> x.direction().equals("FWD")).findFirst().orElseThrow();
        assertEquals("10.17.0.0/16", route.to().address());
        assertEquals("docker0", route.to().iface());
        assertEquals("eth0", route.from().iface());
        assertEquals("route to containers", route.comment());
        // numbered output carries the numbers
        assertEquals(1, v.ufwNumbered.rules().get(0).number());
        assertEquals(v.ufw.rules().size(), v.ufwNumbered.rules().size());
        // the app rule's comment in iptables-save keeps its escaped quotes
        Iptables.Rule app = v.iptables(4).get(0).dump().table("filter").chain("ufw-user-input").rules().stream()
                .filter(x -> x.match("--comment") != null).findFirst().orElseThrow();
        assertTrue(app.match("--comment").value().contains("dapp_Jupyter"), app.match("--comment").value());
    }

    @Test
    void dockerNftablesBackend08() throws Exception {
        HostView v = view("08-docker-nftables-backend-ufw");
        Nft.Table docker = v.nft.tables().stream().filter(t -> t.name().equals("docker-bridges") && t.family().equals("ip")).findFirst().orElseThrow();
        Nft.Chain pre = docker.chain("nat-PREROUTING");
        assertEquals("prerouting", pre.hook());
        assertEquals(-100, pre.priority(), "dstnat");
        Nft.Chain dnat = docker.chain("nat-prerouting-and-output");
        assertTrue(dnat.rules().stream().anyMatch(r -> r.text().contains("dnat to 10.") && r.text().contains("8000")), dnat.rules().toString());
        Nft.Chain out = docker.chain("nat-OUTPUT");
        assertEquals(-100, out.priority(), "nft 1.0.6 prints -100 on the output hook");
        assertTrue(docker.sets().stream().anyMatch(s -> s.kind().equals("map") && !s.elements().isEmpty()), "vmaps with elements");
        assertTrue(v.nft.tables().stream().anyMatch(Nft.Table::managedByIptables), "iptables-nft's own tables are marked");
    }

    @Test
    void labShadowedRangeComesBeforeTheDeny() throws Exception {
        HostView v = view("lab-shadowed");
        List<Ufw.Rule> r = v.ufwNumbered.rules();
        assertEquals("8000:9000", r.get(1).to().ports());
        assertEquals("ALLOW", r.get(1).action());
        assertEquals("DENY", r.get(2).action());
        assertEquals("ComfyUI must stay private", r.get(2).comment());
        assertEquals(Integer.valueOf(3), r.get(2).number());
    }

    @Test
    void labDockerCapture() throws Exception {
        HostView v = view("lab-ufw-docker");
        assertTrue(v.iptables(4).get(0).dump().table("nat").chain("DOCKER").rules().stream()
                .anyMatch(x -> "10.17.0.2:8000".equals(x.targetOption("--to-destination"))));
        assertTrue(v.listeners.stream().anyMatch(l -> l.port() == 8000 && l.processNames().equals("docker-proxy")));
        assertEquals("1", v.sysctl.get("net.ipv4.ip_forward"));
    }
}
