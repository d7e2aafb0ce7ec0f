package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The scan's options are declared in code: each one lands in its own field, defaults included. */
class ScanOptionsTest {
    private static ScanCommand parse(String... args) {
        CommandLine cl = ScanCommand.commandLine();
        cl.parseArgs(args);
        return (ScanCommand) cl.getCommandSpec().userObject();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ScanCommand c = parse("198.18.0.1");
        assertEquals(List.of("198.18.0.1"), c.targets);
        assertEquals("ai-default", c.ports);
        assertEquals(ScanCommand.Mode.auto, c.mode);
        assertEquals(5000, c.rate);
        assertEquals(1500, c.timeout);
        assertNull(c.minTimeout);
        assertEquals(1, c.retries);
        assertEquals(4096, c.concurrency);
        assertNull(c.seed);
        assertEquals(32, c.fingerprintThreads);
        assertEquals(5000, c.requestTimeout);
        assertEquals(10_000, c.endpointBudget);
        assertEquals(20_000, c.hostBudget);
        assertEquals(30, c.keep);
        assertEquals(1_000_000, c.checkpointEvery);
        assertEquals(0, c.sendThreads);
        assertTrue(c.inputFiles.isEmpty() && c.excludes.isEmpty() && c.excludeFiles.isEmpty() && c.sourceIps.isEmpty());
        assertFalse(c.quiet || c.dryRun || c.allStates || c.noFingerprint || c.resume || c.excludeSelf || c.allowLarge
                || c.noDefaultExcludes);
        assertFalse(c.reports.any());
    }

    @Test
    void everyOptionSetsItsOwnField() {
        ScanCommand c = parse("-p", "22,80", "-iL", "a.txt", "-iL", "b.txt", "--exclude", "198.18.0.9", "--exclude-file", "x.conf",
                "--no-default-excludes", "--exclude-self", "--allow-large", "--mode", "connect", "--interface", "veth0",
                "--source-ip", "198.18.0.2", "--source-ip", "2001:2::2", "--router-mac", "02:00:00:00:00:01", "--send-threads", "2",
                "--rate", "7", "--timeout", "11", "--min-timeout", "3", "--retries", "4", "--concurrency", "13", "--seed", "42",
                "--shard", "1/4", "--no-fingerprint", "--fingerprint-threads", "5", "--request-timeout", "17", "--endpoint-budget", "19",
                "--host-budget", "23", "--rules", "r", "--jsonl", "-", "--all-states", "--dry-run", "-q", "--html", "h.html",
                "--xml", "x.xml", "--sarif", "s.sarif", "--md", "m.md", "--csv", "c.csv", "--prom", "p.prom", "--templates", "t",
                "--state-dir", "st", "--resume", "--baseline", "b.yaml", "--keep", "29", "--checkpoint-every", "31",
                "198.18.0.1", "198.18.0.2");
        assertEquals(List.of("198.18.0.1", "198.18.0.2"), c.targets);
        assertEquals("22,80", c.ports);
        assertEquals(List.of("a.txt", "b.txt"), c.inputFiles);
        assertEquals(List.of("198.18.0.9"), c.excludes);
        assertEquals(List.of(Path.of("x.conf")), c.excludeFiles);
        assertTrue(c.noDefaultExcludes && c.excludeSelf && c.allowLarge && c.noFingerprint && c.allStates && c.dryRun && c.quiet
                && c.resume);
        assertEquals(ScanCommand.Mode.connect, c.mode);
        assertEquals("veth0", c.iface);
        assertEquals(List.of("198.18.0.2", "2001:2::2"), c.sourceIps);
        assertEquals("02:00:00:00:00:01", c.routerMac);
        assertEquals(2, c.sendThreads);
        assertEquals(7, c.rate);
        assertEquals(11, c.timeout);
        assertEquals(3, c.minTimeout);
        assertEquals(4, c.retries);
        assertEquals(13, c.concurrency);
        assertEquals(42L, c.seed);
        assertEquals("1/4", c.shard);
        assertEquals(5, c.fingerprintThreads);
        assertEquals(17, c.requestTimeout);
        assertEquals(19, c.endpointBudget);
        assertEquals(23, c.hostBudget);
        assertEquals(Path.of("r"), c.rulesDir);
        assertEquals("-", c.jsonl);
        assertEquals(Path.of("h.html"), c.reports.html);
        assertEquals(Path.of("x.xml"), c.reports.xml);
        assertEquals(Path.of("s.sarif"), c.reports.sarif);
        assertEquals(Path.of("m.md"), c.reports.markdown);
        assertEquals(Path.of("c.csv"), c.reports.csv);
        assertEquals(Path.of("p.prom"), c.reports.prom);
        assertEquals(Path.of("t"), c.reports.templates);
        assertEquals(Path.of("st"), c.stateDir);
        assertEquals(Path.of("b.yaml"), c.baseline);
        assertEquals(29, c.keep);
        assertEquals(31, c.checkpointEvery);
    }

    @Test
    void usageErrorsAreStillPicocliErrors() {
        assertThrowsParam("--rate", "fast");
        assertThrowsParam("--mode", "udp");
        assertThrowsParam("--no-such-option");
    }

    private static void assertThrowsParam(String... args) {
        try {
            parse(args);
        } catch (CommandLine.ParameterException e) {
            return;
        }
        throw new AssertionError("accepted: " + String.join(" ", args));
    }

    @Test
    void theReportOptionsOfAuditAndReportAreTheirs() {
        CommandLine audit = AuditCommand.commandLine();
        audit.parseArgs("--scan", "s.jsonl", "--snapshot", "h.json", "--html", "a.html");
        assertEquals(Path.of("a.html"), ((AuditCommand) audit.getCommandSpec().userObject()).reports.html);
        CommandLine report = ReportCommand.commandLine();
        report.parseArgs("s.jsonl", "--md", "r.md");
        assertEquals(Path.of("r.md"), ((ReportCommand) report.getCommandSpec().userObject()).reports.markdown);
    }
}
