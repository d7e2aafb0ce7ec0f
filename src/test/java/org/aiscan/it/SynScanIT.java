package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.aiscan.lab.GroundTruthCheck;
import org.aiscan.lab.Lab;
import org.aiscan.lab.Truth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SYN engine on the lab: exact against ground truth, and the fallbacks to connect. */
class SynScanIT {
    static Lab lab;
    static Truth truth;
    static final List<String> LAB = List.of("198.18.0.0/24", "198.18.1.0/24", "2001:2::/120");
    static final String PORTS = "ai-default,22";

    @BeforeAll
    static void up() throws Exception {
        lab = Lab.up();
        truth = lab.truth();
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void ipv4AndIpv6MatchGroundTruthAtTheDefaultRate(@TempDir Path dir) throws Exception {
        GroundTruthCheck.Checked c = GroundTruthCheck.scanAndCompare(truth, LAB, PORTS, dir, "--mode", "syn");
        assertEquals("syn", c.scan().run().get("engine").asText());
    }

    @Test
    void matchesGroundTruthAtTheHighestRate(@TempDir Path dir) throws Exception {
        GroundTruthCheck.Checked c = GroundTruthCheck.scanAndCompare(truth, LAB, PORTS, dir, "--mode", "syn", "--rate", "0");
        assertTrue(c.scan().summary().get("warnings").isEmpty(), "no capture drops: " + c.scan().summary());
    }

    @Test
    void everyAddressOfASlash18AtOneHundredThousandPacketsPerSecond(@TempDir Path dir) throws Exception {
        GroundTruthCheck.Checked c = GroundTruthCheck.scanAndCompare(truth, List.of("198.18.64.0/18"), "7777", dir,
                "--mode", "syn", "--rate", "100000");
        assertEquals(16_384, c.open().size());
    }

    @Test
    void withoutRawSocketPermissionConnectIsUsedWithTheSameResults(@TempDir Path dir) throws Exception {
        assertTrue(dir.toFile().setWritable(true, false) && dir.toFile().setExecutable(true, false));
        GroundTruthCheck.Checked root = GroundTruthCheck.scanAndCompare(truth, List.of("198.18.1.0/24", "2001:2::10-2001:2::12"),
                "8000,8188,9090,11434", dir, "--seed", "5");
        assertEquals("syn", root.scan().run().get("engine").asText());
        Lab.Run r = Lab.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp",
                "AISCAN_ALLOWED_NETS=" + System.getenv("AISCAN_ALLOWED_NETS"),
                Lab.launcherForNobody().toString(), "198.18.1.0/24", "2001:2::10-2001:2::12", "-p", "8000,8188,9090,11434",
                "--seed", "5", "--jsonl", "-"), 120);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("aiscan: connect scan: no permission for raw sockets")), r.err());
        assertEquals(root.open(), openIn(r.out()));
    }

    @Test
    void withoutLibpcapConnectIsUsedAndTheFirstErrorIsShown(@TempDir Path dir) throws Exception {
        Lab.Run r = Lab.run(List.of("env", "AISCAN_JAVA_OPTS=-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so.0.8",
                GroundTruthCheck.AISCAN.toString(), "198.18.1.0/24", "-p", "8000,8188,9090,11434", "--jsonl", "-"), 120);
        assertEquals(0, r.code(), r.err());
        String line = r.err().lines().filter(l -> l.startsWith("aiscan: connect scan:")).findFirst().orElse("");
        assertTrue(line.contains("libpcap could not be loaded") && line.contains("/nonexistent/libpcap.so.0.8")
                && !line.contains("NoClassDefFoundError"), r.err());
        assertEquals(truth.within(a -> a.toString().startsWith("198.18.1."), p -> List.of(8000, 8188, 9090, 11434).contains(p)).open(),
                openIn(r.out()));
    }

    @Test
    void loopbackGoesToConnectAndSynModeSaysWhyNot() throws Exception {
        Lab.Run auto = GroundTruthCheck.aiscan(List.of("127.0.0.1", "-p", "9", "--jsonl", "/dev/null"), 60);
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.err().contains("connect scan: targets include loopback"), auto.err());
        Lab.Run syn = GroundTruthCheck.aiscan(List.of("127.0.0.1", "-p", "9", "--mode", "syn"), 60);
        assertEquals(2, syn.code());
        assertTrue(syn.err().startsWith("aiscan: --mode syn is not possible here: targets include loopback"), syn.err());
    }

    private static java.util.Set<Truth.Endpoint> openIn(String jsonl) throws Exception {
        java.util.Set<Truth.Endpoint> out = new java.util.HashSet<>();
        org.aiscan.lab.ScanOutput s = org.aiscan.lab.ScanOutput.parse(jsonl);
        s.states().forEach((e, st) -> {
            if (st.equals("open")) {
                out.add(e);
            }
        });
        return out;
    }
}
