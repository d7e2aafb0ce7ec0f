package org.aiscan.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aiscan.model.audit.Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Garbage, empty, truncated and oversized inputs end with a clear message, never an exception. */
class ParserRobustnessTest {
    static String garbage(long seed, int bytes) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            int c = r.nextInt(100);
            sb.append(c < 10 ? '\n' : c < 15 ? ' ' : c < 20 ? '"' : (char) (32 + r.nextInt(95)));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void garbageIsReportedLineByLine(long seed) {
        String g = garbage(seed, 20_000);
        assertFalse(IptablesSaveParser.parse("x", g, 4).problems().isEmpty());
        assertFalse(UfwStatusParser.parse("x", g).problems().isEmpty());
        assertFalse(NftParser.parse("x", g).problems().isEmpty());
        SsParser.parse("x", g, "tcp"); // garbage without LISTEN/UNCONN rows has nothing to report as a listener
        for (ParseProblem p : IptablesSaveParser.parse("x", g, 4).problems()) {
            assertTrue(p.line() >= 1, p.toString());
        }
    }

    @Test
    void emptyInputsAreEmptyNotErrors() {
        assertTrue(IptablesSaveParser.parse("x", "", 4).isEmpty());
        assertTrue(IptablesSaveParser.parse("x", "", 4).problems().isEmpty());
        assertTrue(NftParser.parse("x", "").isEmpty());
        assertTrue(SsParser.parse("x", "", "tcp").listeners().isEmpty());
        assertFalse(UfwStatusParser.parse("x", "").active());
        assertTrue(UfwStatusParser.parse("x", "").problems().isEmpty());
    }

    @Test
    void truncatedInputsSaySo() throws Exception {
        String full = Files.readString(Path.of("test-fixtures/host-samples/02-ufw-docker-bypass/iptables-save.txt"));
        String cut = full.substring(0, full.indexOf("COMMIT") - 20);
        Iptables.Dump d = IptablesSaveParser.parse("cut", cut, 4);
        assertTrue(d.problems().stream().anyMatch(p -> p.message().contains("no COMMIT")), d.problems().toString());
        String nft = Files.readString(Path.of("test-fixtures/host-samples/04-nftables-only/nft-ruleset.txt"));
        Nft.Ruleset n = NftParser.parse("cut", nft.substring(0, nft.length() / 2));
        assertTrue(n.problems().stream().anyMatch(p -> p.message().contains("not closed")), n.problems().toString());
    }

    @Test
    void aHugeInputIsCutWithAMessage() {
        StringBuilder sb = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n");
        String rule = "-A INPUT -s 198.18.0.0/24 -p tcp -m tcp --dport 8000 -m comment --comment \"padding padding\" -j ACCEPT\n";
        while (sb.length() < 50 << 20) {
            sb.append(rule);
        }
        sb.append("COMMIT\n");
        long before = usedMemory();
        Iptables.Dump d = IptablesSaveParser.parse("huge", sb.toString(), 4);
        assertEquals(Lines.MAX_LINES - 2, d.ruleCount());
        assertTrue(d.problems().stream().anyMatch(p -> p.message().contains("input too large")), d.problems().toString());
        List<Object> keep = new ArrayList<>(List.of(d));
        long grew = usedMemory() - before;
        assertTrue(keep.size() == 1 && grew < 1_500L << 20, "parsed 50 MB in " + (grew >> 20) + " MB");
    }

    static long usedMemory() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void ssForms() {
        String text = """
                LISTEN 0      4096   127.0.0.53%lo:53        0.0.0.0:*    users:(("systemd-resolve",pid=512,fd=14))
                LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    users:(("nginx",pid=901,fd=6),("nginx",pid=900,fd=6))
                LISTEN 0      5                  *:9090            *:*    users:(("python3",pid=10782,fd=3))
                LISTEN 0      5               [::]:8188          [::]:*
                LISTEN 0      5      [fe80::1]%eth0:7000         [::]:*    users:(("my \\"odd\\" name",pid=7,fd=3))
                LISTEN 0      5   [::ffff:198.18.0.9]:7001       [::]:*
                """;
        SsParser.Result r = SsParser.parse("ss", text, "tcp");
        assertEquals(List.of(), r.problems());
        List<Listener> l = r.listeners();
        assertEquals(6, l.size());
        assertEquals("lo", l.get(0).iface());
        assertEquals("nginx", l.get(1).processNames());
        assertEquals(2, l.get(1).processes().size());
        assertEquals(Listener.Bind.ANY_DUAL, l.get(2).bind());
        assertEquals(Listener.Bind.ANY_V6, l.get(3).bind());
        assertEquals("eth0", l.get(4).iface());
        assertEquals("my \"odd\" name", l.get(4).processes().get(0).name());
        assertEquals("198.18.0.9", l.get(5).address().toString());
    }
}
