package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.aiscan.lab.GroundTruthCheck;
import org.aiscan.lab.L2Lab;
import org.aiscan.lab.Lab;
import org.aiscan.lab.ScanOutput;
import org.aiscan.lab.Truth;
import org.aiscan.model.Address;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SYN scans of the scanner's own LAN (l2lab.sh): twenty hosts on one bridge, no router, the scanner's
 * own address inside the range. Judged against the ground truth read with ss and iptables in each
 * namespace, and against what tcpdump (not aiscan) saw leave the scanner.
 */
class OnLinkScanIT {
    static final List<String> LAN = List.of("198.18.2.0/24", "2001:2:0:2::/120");
    static final String AI = "ai-default";
    static L2Lab lab;
    static Truth truth;

    @BeforeAll
    static void up() throws Exception {
        lab = L2Lab.up();
        truth = lab.truth();
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void freshNeighbourTable() throws Exception {
        // every test starts as a scanner new to the LAN: the kernel knows no neighbour yet
        L2Lab.inScanner(30, "ip", "neigh", "flush", "all");
        L2Lab.inScanner(30, "ip", "-6", "neigh", "flush", "all");
    }

    @Test
    void autoUsesSynForTheLanAndConnectForItsOwnAddressAndFindsExactlyTheTruth(@TempDir Path dir) throws Exception {
        GroundTruthCheck.Checked c = GroundTruthCheck.scanAndCompare(L2Lab.IN_SCANNER, truth, LAN, AI, dir, "--mode", "auto");
        assertEquals("syn+connect", c.scan().run().get("engine").asText(), c.run().err());
        assertTrue(c.run().err().contains("aiscan: connect for this host's own addresses 198.18.2.1, 2001:2:0:2::1"), c.run().err());
        assertTrue(c.open().contains(ep("198.18.2.1", 8000)) && c.open().contains(ep("2001:2:0:2::1", 8188)),
                "the scanner's own open ports are in the same output: " + c.open());
        assertTrue(c.open().stream().anyMatch(e -> e.address().isV6()) && c.open().size() > 40, "both families: " + c.open());
        String notes = c.scan().summary().get("notes").toString();
        assertTrue(notes.contains("neighbour lookup on eth0"), notes);
    }

    @Test
    void aHostThatNeverAnswersTheNeighbourLookupGetsNoSynAndOneThatDropsSynsIsFiltered(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("scanner.pcap");
        try (Capture cap = Capture.start(pcap)) {
            GroundTruthCheck.Checked c = GroundTruthCheck.scanAndCompare(L2Lab.IN_SCANNER, truth,
                    List.of("198.18.2.40-198.18.2.80", "2001:2:0:2::40-2001:2:0:2::80"), "8000,11434,6006", dir, "--mode", "syn");
            Map<String, String> reasons = reasons(c.scan());
            assertEquals("no-arp-reply", reasons.get("198.18.2.77:8000"), "dark IPv4 address");
            assertEquals("no-nd-reply", reasons.get("[2001:2:0:2::77]:8000"), "dark IPv6 address");
            assertEquals("no-response", reasons.get("198.18.2.50:8000"), "answers ARP, drops the SYN");
            assertEquals("no-response", reasons.get("[2001:2:0:2::50]:11434"), "answers ND, drops the SYN");
            assertEquals("reset", reasons.get("198.18.2.40:8000"));
        }
        List<String> seen = tcpdump(pcap);
        assertTrue(seen.stream().anyMatch(l -> l.contains("Request who-has 198.18.2.77 tell 198.18.2.1")),
                "the dark address was asked for (ARP): " + seen.size() + " lines");
        assertTrue(seen.stream().anyMatch(l -> l.contains("who has 2001:2:0:2::77")), "and solicited (ND)");
        assertFalse(seen.stream().anyMatch(l -> l.contains("> 198.18.2.77.") || l.contains("> 2001:2:0:2::77.")),
                "no SYN went to an address that never answered: " + seen.stream().filter(l -> l.contains("::77.") || l.contains(".77.")).toList());
        assertTrue(seen.stream().anyMatch(l -> l.contains("198.18.2.1.") && l.contains("> 198.18.2.50.8000: Flags [S]")),
                "the host that answers ARP got its SYN");
        assertTrue(seen.stream().anyMatch(l -> l.contains("> 2001:2:0:2::50.11434: Flags [S]")), "over IPv6 too");
    }

    @Test
    void aLateNeighbourAnswerStillCounts(@TempDir Path dir) throws Exception {
        // 198.18.2.150 answers ARP 400 ms late (slowarp.py): after the lookup has ended (one pass, about 0.3 s
        // at 1,000 requests a second), while SYNs go out (0.7 s); with no retries, only a late round reaches it
        GroundTruthCheck.Checked c = GroundTruthCheck.scanAndCompare(L2Lab.IN_SCANNER, truth, List.of("198.18.2.0/24"), AI, dir,
                "--retries", "0", "--rate", "1000");
        assertTrue(c.open().contains(ep("198.18.2.150", 8188)) && c.open().contains(ep("198.18.2.150", 9090)), c.run().err());
        String notes = c.scan().summary().get("notes").toString();
        assertTrue(notes.contains("a late round for on-link hosts"), notes);
    }

    @Test
    void excludeSelfSkipsTheScannersOwnAddressesWithOneLineEach(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("scan.jsonl");
        Lab.Run r = L2Lab.inScanner(120, GroundTruthCheck.AISCAN.toString(), "198.18.2.0/24", "2001:2:0:2::/120", "-p", AI,
                "--exclude-self", "--no-fingerprint", "--jsonl", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("excluded 1 address: 198.18.2.1 is this host's own address (--exclude-self)"), r.err());
        assertTrue(r.err().contains("excluded 1 address: 2001:2:0:2::1 is this host's own address (--exclude-self)"), r.err());
        ScanOutput s = ScanOutput.parse(Files.readString(out));
        assertEquals("syn", s.run().get("engine").asText(), "no own address left: SYN alone");
        Set<Truth.Endpoint> open = s.states().entrySet().stream().filter(e -> e.getValue().equals("open")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        GroundTruthCheck.Space space = GroundTruthCheck.Space.of(LAN, AI);
        Set<Truth.Endpoint> expected = space.truth(truth).open().stream()
                .filter(e -> !e.address().equals(Address.parse("198.18.2.1")) && !e.address().equals(Address.parse("2001:2:0:2::1")))
                .collect(Collectors.toSet());
        assertEquals(expected, open);
    }

    @Test
    void onLinkAndRoutedTargetsInOneRun(@TempDir Path dir) throws Exception {
        // 198.18.3.0/28 is behind the bridge's router (198.18.2.254); 198.18.2.0/25 is on the link
        GroundTruthCheck.Checked c = GroundTruthCheck.scanAndCompare(L2Lab.IN_SCANNER, truth,
                List.of("198.18.2.0/25", "198.18.3.0/28", "2001:2:0:3::/124"), "8000,11434,8188", dir, "--mode", "syn");
        assertTrue(c.open().contains(ep("198.18.3.5", 8000)) && c.open().contains(ep("198.18.3.9", 11434))
                && c.open().contains(ep("2001:2:0:3::5", 8000)), "routed: " + c.open());
        assertTrue(c.open().contains(ep("198.18.2.3", 8000)), "on-link: " + c.open());
        String notes = c.scan().summary().get("notes").toString();
        assertTrue(notes.contains("via 198.18.2.254 (") && notes.contains("on-link address"), notes);
    }

    private static Truth.Endpoint ep(String a, int port) {
        return new Truth.Endpoint(Address.parse(a), port);
    }

    private static Map<String, String> reasons(ScanOutput s) {
        Map<String, String> out = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode p : s.ports()) {
            Address a = Address.parse(p.get("ip").asText());
            String key = (a.isV6() ? "[" + a + "]" : a.toString()) + ":" + p.get("port").asInt();
            out.put(key, p.get("reason").asText());
        }
        return out;
    }

    private static List<String> tcpdump(Path pcap) throws Exception {
        Lab.Run r = Lab.run(List.of("tcpdump", "-nn", "-r", pcap.toString()), 60);
        assertEquals(0, r.code(), r.err());
        return r.out().lines().toList();
    }

    /** tcpdump in the scanner's namespace, writing what leaves and arrives on its LAN interface to a file. */
    static final class Capture implements AutoCloseable {
        private final Process p;

        private Capture(Process p) {
            this.p = p;
        }

        static Capture start(Path file) throws Exception {
            List<String> cmd = new ArrayList<>(L2Lab.IN_SCANNER);
            // immediate mode: without it TPACKET_V3 holds packets in a ring block until the block times out, and a capture
            // stopped soon after the scan can lose all of them
            cmd.addAll(List.of("tcpdump", "-i", "eth0", "--immediate-mode", "-U", "-nn", "-w", file.toString(), "arp or icmp6 or tcp"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            String line = r.readLine(); // "tcpdump: listening on eth0 …" once the capture is open
            if (line == null || !line.contains("listening")) {
                p.destroyForcibly();
                throw new IOException("tcpdump did not start: " + line);
            }
            return new Capture(p);
        }

        @Override
        public void close() throws Exception {
            Thread.sleep(200); // the last answers
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
