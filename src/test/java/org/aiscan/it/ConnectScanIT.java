package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.aiscan.lab.GroundTruthCheck;
import org.aiscan.lab.Lab;
import org.aiscan.lab.ScanOutput;
import org.aiscan.lab.Truth;
import org.aiscan.model.Address;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connect engine against the namespace lab, judged by the lab's own ground truth. */
class ConnectScanIT {
    static Lab lab;
    static Truth truth;
    static final Path AISCAN = Lab.ROOT.resolve("scanner/aiscan");

    @BeforeAll
    static void up() throws Exception {
        lab = Lab.up();
        truth = lab.truth();
        assertFalse(truth.open().isEmpty(), "the lab should have open ports");
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private void scanAndCompare(List<String> targets, String ports, Path dir, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(extra));
        args.add(0, "--mode");
        args.add(1, "connect");
        GroundTruthCheck.scanAndCompare(truth, targets, ports, dir, args.toArray(String[]::new));
    }

    @Test
    void ipv4HostsAndAHalfDarkSlash24MatchGroundTruth(@TempDir Path dir) throws Exception {
        scanAndCompare(List.of("198.18.0.0/24", "198.18.1.0/24"), "ai-default,22", dir, "--rate", "0");
    }

    @Test
    void ipv6MatchesGroundTruth(@TempDir Path dir) throws Exception {
        scanAndCompare(List.of("2001:2::/120"), "ai-default,22", dir, "--rate", "20000");
    }

    @Test
    void allPortsOfTheLabHostsAtTheDefaultRate(@TempDir Path dir) throws Exception {
        scanAndCompare(List.of("198.18.0.10-12", "2001:2::10"), "1-4000,5000-12000,30000", dir);
    }

    @Test
    void ctrlCEndsCleanlyWithResultsSoFar(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("partial.jsonl");
        // 198.18.64.0/18 answers on 7777 everywhere, so open results stream from the first second.
        ProcessBuilder pb = new ProcessBuilder(AISCAN.toString(), "198.18.64.0/18", "-p", "7777", "--mode", "connect",
                "--rate", "1000", "--jsonl", out.toString(), "-q", "--seed", "1");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile());
        Process proc = pb.start();
        // wait until results have started to stream
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && (!Files.exists(out) || Files.readAllLines(out).size() < 20)) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        new ProcessBuilder("kill", "-INT", Long.toString(proc.pid())).start().waitFor();
        assertTrue(proc.waitFor(20, TimeUnit.SECONDS), "aiscan did not stop after SIGINT");
        assertEquals(4, proc.exitValue(), Files.readString(dir.resolve("stdout.txt")));
        ScanOutput scan = ScanOutput.parse(Files.readString(out));
        assertEquals("interrupted", scan.summary().get("stop_reason").asText());
        assertFalse(scan.summary().get("complete").asBoolean());
        long decided = scan.summary().get("decided").asLong();
        assertTrue(decided > 0 && decided < scan.summary().get("probes").asLong());
        assertEquals(scan.summary().get("open").asInt(), scan.ports().size(), "every open found was written");
        for (var p : scan.ports()) {
            Truth.Endpoint e = new Truth.Endpoint(Address.parse(p.get("ip").asText()), p.get("port").asInt());
            assertTrue(truth.open().contains(e), "reported open but not open: " + e);
        }
        String stdout = Files.readString(dir.resolve("stdout.txt"));
        assertTrue(stdout.contains("scan incomplete"), stdout);
    }
}
