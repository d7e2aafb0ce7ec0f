package org.aiscan.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Iptables;
import org.aiscan.host.IptablesSaveParser;
import org.aiscan.host.Nft;
import org.aiscan.host.NftParser;
import org.aiscan.host.Ufw;
import org.aiscan.host.UfwStatusParser;
import org.aiscan.model.Address;
import org.aiscan.model.audit.Packet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed rule model, one rule at a time, against what the tools' own documentation says the rule
 * does (iptables-extensions(8), nft(8), ufw(8)): the same field means the same in every tool, a
 * construct the evaluator cannot read is unknown and never false, and the verdict is still read.
 */
class FwRuleTest {
    static final Address HOST = Address.parse("203.0.113.10");
    static final Address SCANNER = Address.parse("198.51.100.7");
    static HostModel host;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ip-addr-o.txt"), "2: eth0    inet 203.0.113.10/24 brd 203.0.113.255 scope global eth0\\ valid_lft forever\n");
        host = new HostModel(HostView.of(Collector.fromFiles(dir, "h")), AuditPolicy.defaultNames());
    }

    static Packet tcp(int port) {
        return Packet.of(SCANNER, HOST, "tcp", port, "eth0");
    }

    static FwRule ipt(String rule) {
        Iptables.Dump d = IptablesSaveParser.parse("iptables-save-v4", "*filter\n:INPUT ACCEPT [0:0]\n:DOCKER - [0:0]\n" + rule + "\nCOMMIT\n", 4);
        assertTrue(d.problems().isEmpty(), d.problems().toString());
        return IptablesCompiler.compile("iptables-save-v4", d.table("filter").chain("INPUT").rules().get(0));
    }

    static FwRule nft(String sets, String rule) {
        Nft.Ruleset r = NftParser.parse("nft", "table ip t {\n" + sets + "\n\tchain c {\n\t\t" + rule + "\n\t}\n}\n");
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        Nft.Table t = r.tables().get(0);
        return NftCompiler.compile(t.chain("c").rules().get(0), t);
    }

    @Test
    void aServiceNameIsItsPortInEveryTool() {
        assertEquals(Tri.TRUE, ipt("-A INPUT -p tcp -m tcp --dport ssh -j ACCEPT").eval(tcp(22), host, 0).tri());
        assertEquals(Tri.TRUE, nft("", "tcp dport ssh accept").eval(tcp(22), host, 0).tri());
        assertEquals(Tri.FALSE, nft("", "tcp dport ssh accept").eval(tcp(8000), host, 0).tri());
        assertEquals(Tri.UNKNOWN, nft("", "tcp dport no-such-service accept").eval(tcp(22), host, 0).tri(),
                "a name no table holds is unknown, never false");
    }

    @Test
    void aConcatenationIsLookedUpInItsVerdictMap() {
        String map = "\tmap service-ips {\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n"
                + "\t\telements = { 203.0.113.10 . tcp . 30080 : goto external-web, 10.43.0.10 . udp . 53 : goto service-dns }\n\t}";
        FwRule r = nft(map, "ip daddr . meta l4proto . th dport vmap @service-ips");
        FwRule.Result hit = r.eval(tcp(30080), host, 0);
        assertEquals(Tri.TRUE, hit.tri());
        assertEquals(new Stmt.Jump("external-web", true), hit.stmt());
        assertEquals("service-ips", hit.map());
        assertTrue(hit.element().text().contains("30080 : goto external-web"), hit.element().text());
        assertTrue(r.explicitPort(), "the key names the port");
        assertEquals(Tri.FALSE, r.eval(tcp(30081), host, 0).tri(), "no element: the map gives no verdict");
    }

    @Test
    void aMaskedMarkTestReadsTheBitsUnderTheMask() {
        // kube-proxy (nftables mode): a new connection carries no mark, so "not marked for masquerade" holds
        assertEquals(Tri.TRUE, nft("", "meta mark & 0x00004000 == 0x00000000 return").eval(tcp(22), host, 0).tri());
        FwRule marked = ipt("-A INPUT -m mark --mark 0x4000/0x4000 -j ACCEPT");
        assertEquals(Tri.FALSE, marked.eval(tcp(22), host, 0).tri());
        assertEquals(Tri.TRUE, marked.eval(tcp(22), host, 0x4000).tri(), "after -j MARK --set-xmark 0x4000/0x4000");
    }

    @Test
    void addressTypesAreExclusiveAsRoutingGivesThem() {
        // the kernel types a local address RTN_LOCAL, not RTN_UNICAST (xt_addrtype, nft fib)
        assertEquals(Tri.TRUE, ipt("-A INPUT -m addrtype --dst-type LOCAL -j DOCKER").eval(tcp(80), host, 0).tri());
        assertEquals(Tri.FALSE, ipt("-A INPUT -m addrtype --dst-type UNICAST -j DOCKER").eval(tcp(80), host, 0).tri());
        assertEquals(Tri.TRUE, nft("", "fib daddr type local accept").eval(tcp(80), host, 0).tri());
        assertEquals(Tri.UNKNOWN, ipt("-A INPUT -m addrtype --dst-type SOMETHING -j DROP").eval(tcp(80), host, 0).tri());
    }

    @Test
    void aConstructNotReadIsUnknownAndItsVerdictIsStillRead() {
        FwRule geo = ipt("-A INPUT -m geoip --src-cc CN -j DROP");
        assertEquals(Tri.UNKNOWN, geo.eval(tcp(22), host, 0).tri());
        assertInstanceOf(Stmt.Drop.class, geo.stmt());
        assertInstanceOf(Cond.Unknown.class, geo.conds().get(0));
        FwRule dscp = nft("", "ip dscp cs1 tcp dport 22 accept");
        assertEquals(Tri.UNKNOWN, dscp.eval(tcp(22), host, 0).tri());
        assertEquals(Tri.FALSE, dscp.eval(tcp(23), host, 0).tri(), "what is read still rules the packet out");
        assertInstanceOf(Stmt.Accept.class, dscp.stmt());
        assertEquals(Tri.FALSE, dscp.eval(Packet.of(Address.parse("2001:db8::7"), Address.parse("2001:db8::10"), "tcp", 22, "eth0"),
                host, 0).tri(), "an ip (IPv4) expression never holds for IPv6");
    }

    @Test
    void theFirstFailingMatchIsSaidInWords() {
        FwRule r = ipt("-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 8000 -j ACCEPT");
        assertEquals("-s 10.0.0.0/8 does not hold for the source 198.51.100.7", r.whyNot(tcp(8000), host, 0));
        assertNull(ipt("-A INPUT -p tcp -m tcp --dport 8000 -j ACCEPT").whyNot(tcp(8000), host, 0));
    }

    @Test
    void aUfwRowIsTheSameModel() {
        Ufw.Status st = UfwStatusParser.parse("ufw-verbose", """
                Status: active
                Default: deny (incoming), allow (outgoing), disabled (routed)

                To                         Action      From
                --                         ------      ----
                22/tcp                     LIMIT IN    Anywhere
                11434                      ALLOW IN    10.0.0.0/8
                Samba                      ALLOW IN    Anywhere
                """);
        FwRule limit = UfwCompiler.compile("ufw-verbose", st.rules().get(0));
        FwRule.Result m = limit.eval(tcp(22), host, 0);
        assertEquals(Tri.TRUE, m.tri());
        assertTrue(m.rateLimited(), "LIMIT: a first connection is under it, and the limit is on the path");
        assertInstanceOf(Stmt.Accept.class, m.stmt());
        assertEquals(Tri.FALSE, limit.eval(Packet.of(SCANNER, HOST, "udp", 22, "eth0"), host, 0).tri());
        FwRule lan = UfwCompiler.compile("ufw-verbose", st.rules().get(1));
        assertEquals(Tri.FALSE, lan.eval(tcp(11434), host, 0).tri());
        assertTrue(lan.sourceRestricted());
        assertEquals(Tri.UNKNOWN, UfwCompiler.compile("ufw-verbose", st.rules().get(2)).eval(tcp(445), host, 0).tri(),
                "an application profile's ports are not in a status");
    }
}
