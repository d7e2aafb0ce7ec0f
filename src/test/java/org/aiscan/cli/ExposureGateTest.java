package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.aiscan.console.Console;
import org.aiscan.model.Address;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.Risk;
import org.aiscan.model.ScanRun;
import org.aiscan.model.Service;
import org.aiscan.model.Utf8;
import org.aiscan.report.JsonLinesWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit code 3's test, against a baseline or against the last finished run. */
class ExposureGateTest {
    static final ScanRun RUN = new ScanRun("test", Instant.parse("2026-12-01T00:00:00Z"), "connect", List.of("198.18.0.10"), "22,80", 1, 2, 1,
            "0/1", 0, List.of(), false);

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final Console console = Console.plain(new PrintStream(said, true, StandardCharsets.UTF_8), false);

    static Endpoint open(int port, String service) {
        Service s = service == null ? null
                : new Service(service, service, null, "unknown", null, "high", List.of(), new Risk("info", List.of(), "test"), List.of(), false,
                        List.of());
        return new Endpoint(new PortResult(Address.parse("198.18.0.10"), port, PortState.OPEN, "syn-ack", 1000,
                Instant.parse("2026-12-01T00:00:01Z")), s);
    }

    static ScanResult scan(Endpoint... endpoints) {
        return new ScanResult(null, RUN, List.of(endpoints), null, false);
    }

    @Test
    void withABaselineEveryOpenEndpointMustBeAccepted() throws Exception {
        Path baseline = tmp.resolve("accepted.yaml");
        Files.writeString(baseline, "accepted:\n  - endpoint: \"198.18.0.10:22\"\n    service: ssh\n    reason: bastion\n");
        ExposureGate gate = ExposureGate.of(baseline);
        assertFalse(gate.exposed(scan(open(22, "ssh")), Optional.empty(), console));
        assertTrue(gate.exposed(scan(open(22, "ssh"), open(80, "http")), Optional.empty(), console));
        assertTrue(said.toString().contains("exposure 198.18.0.10:80 "), said.toString());
        assertTrue(said.toString().contains(": not accepted"), said.toString());
    }

    @Test
    void withoutAnEarlierRunEveryOpenEndpointIsNew() throws Exception {
        ExposureGate gate = ExposureGate.of(null);
        assertFalse(gate.exposed(scan(), Optional.empty(), console));
        assertEquals("", said.toString());
        assertTrue(gate.exposed(scan(open(22, "ssh")), Optional.empty(), console));
        assertTrue(said.toString().contains("1 open endpoint(s) and no earlier run to compare with"), said.toString());
    }

    @Test
    void againstTheLastRunOnlyNewAndChangedEndpointsCount() throws Exception {
        Path last = Files.createDirectories(tmp.resolve("runs/20261130T000000Z"));
        try (JsonLinesWriter w = new JsonLinesWriter(Utf8.writer(last.resolve(ResumableRun.RESULTS)), true, st -> true)) {
            w.start(RUN);
            w.result(open(22, "ssh"));
            w.result(open(80, "http"));
        }
        ExposureGate gate = ExposureGate.of(null);
        assertFalse(gate.exposed(scan(open(22, "ssh")), Optional.of(last), console), "gone is no exposure");
        assertFalse(gate.exposed(scan(open(22, "ssh"), open(80, "http")), Optional.of(last), console));
        assertTrue(gate.exposed(scan(open(22, "ssh"), open(80, "ollama")), Optional.of(last), console));
        assertTrue(said.toString().contains("CHANGED since 20261130T000000Z: 198.18.0.10:80"), said.toString());
    }
}
