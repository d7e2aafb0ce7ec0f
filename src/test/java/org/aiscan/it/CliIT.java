package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aiscan.lab.Lab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The launcher as a user meets it: help, errors, dry runs. Sends no packets. */
class CliIT {
    static Lab.Run aiscan(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString()));
        cmd.addAll(Arrays.asList(args));
        return Lab.run(cmd, 60);
    }

    @Test
    void helpListsSubcommands() throws Exception {
        Lab.Run r = aiscan("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("scan"), r.out());
        assertTrue(r.out().contains("Exit codes"), r.out());
        Lab.Run v = aiscan("--version");
        assertTrue(v.out().startsWith("aiscan "), v.out());
    }

    /**
     * The launcher picks the smaller AOT cache for a scan without fingerprinting and the full one
     * otherwise (the JVM says which it opened). Both exist when the build found a JDK 25+.
     */
    @Test
    void aPortScanStartsFromItsOwnStartUpCache() throws Exception {
        java.nio.file.Path ports = Lab.ROOT.resolve("target/aiscan-ports.aot");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(ports) && java.nio.file.Files.exists(Lab.ROOT.resolve("target/aiscan.aot")),
                "no AOT caches: the build found no JDK 25 or newer in /usr/lib/jvm");
        Lab.Run dry = Lab.run(List.of("env", "AISCAN_JAVA_OPTS=-Xlog:aot=info", Lab.ROOT.resolve("scanner/aiscan").toString(),
                "198.18.0.10", "-p", "8000", "--no-fingerprint", "--dry-run"), 60);
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("Opened AOT cache " + ports + "."), dry.out());
        Lab.Run full = Lab.run(List.of("env", "AISCAN_JAVA_OPTS=-Xlog:aot=info", Lab.ROOT.resolve("scanner/aiscan").toString(),
                "198.18.0.10", "-p", "8000", "--dry-run"), 60);
        assertEquals(0, full.code(), full.err());
        assertTrue(full.out().contains("Opened AOT cache " + Lab.ROOT.resolve("target/aiscan.aot") + "."), full.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.18.0.1/33", "-p 70000 198.18.0.10", "-p nosuchgroup 198.18.0.10", "-iL /nonexistent/list",
        "--exclude-file /nonexistent 198.18.0.10", "--shard 3/2 198.18.0.10", "203.0.113.0/24", "--rate x 198.18.0.10",
        "--no-such-option 198.18.0.10", "10.0.0.0/7", "scan"})
    void badInputIsOneLineAndExitTwo(String args) throws Exception {
        Lab.Run r = aiscan(args.split(" "));
        assertEquals(2, r.code(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.err().startsWith("aiscan: "), r.err());
        assertTrue(r.err().strip().lines().count() <= 2, r.err());
    }

    @Test
    void refusesTargetsOutsideTheAllowedNetsBeforeSendingAnything() throws Exception {
        // The build sets AISCAN_ALLOWED_NETS for tests; a private range must be refused up front.
        Lab.Run r = aiscan("10.1.2.3", "-p", "80");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("refusing to scan 10.1.2.3"), r.err());
    }

    @Test
    void dryRunShardsAreDisjointAndUnionIsTheWholeScan() throws Exception {
        String[] base = {"198.18.1.0/24", "2001:2::/124", "-p", "8000,8188,9090,11434", "--seed", "42", "--dry-run"};
        Set<String> whole = lines(aiscan(base).out());
        assertEquals((256 + 16) * 4, whole.size());
        Set<String> union = new HashSet<>();
        int n = 5;
        for (int i = 0; i < n; i++) {
            List<String> args = new ArrayList<>(Arrays.asList(base));
            args.addAll(List.of("--shard", i + "/" + n));
            for (String line : aiscan(args.toArray(String[]::new)).out().split("\n")) {
                if (!line.isBlank()) {
                    assertTrue(union.add(probe(line)), "probe in two shards: " + line);
                }
            }
        }
        assertEquals(whole, union);
    }

    @Test
    void dryRunIsReproducibleWithASeed() throws Exception {
        String a = aiscan("198.18.1.0/26", "-p", "1-10", "--seed", "7", "--dry-run").out();
        String b = aiscan("198.18.1.0/26", "-p", "1-10", "--seed", "7", "--dry-run").out();
        String c = aiscan("198.18.1.0/26", "-p", "1-10", "--seed", "8", "--dry-run").out();
        assertEquals(a, b);
        assertFalse(a.equals(c));
    }

    /** The probes of a dry run's lines: each begins with ADDRESS PORT, then what would be sent (a SYN frame, a connect). */
    private static Set<String> lines(String s) {
        Set<String> out = new HashSet<>();
        for (String l : s.split("\n")) {
            if (!l.isBlank()) {
                assertTrue(out.add(probe(l)), "duplicate probe " + l);
            }
        }
        return out;
    }

    private static String probe(String dryRunLine) {
        String[] f = dryRunLine.split(" ");
        assertTrue(f.length >= 3 && f[1].matches("\\d+") && (f[2].equals("syn") || f[2].equals("connect")), dryRunLine);
        return f[0] + " " + f[1];
    }
}
