package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.report.Comparison;
import org.junit.jupiter.api.Test;

/** What changed since an earlier scan: an endpoint not open now is fixed only where the new scan looked again, and finished. */
class CompareTest {
    static Endpoint open(String ip, int port) {
        return new Endpoint(new PortResult(Address.parse(ip), port, PortState.OPEN, "syn-ack", 100, Instant.EPOCH), null);
    }

    static ScanResult scan(List<String> targets, String ports, boolean finished, Endpoint... open) {
        ScanRun run = new ScanRun("t", Instant.EPOCH, "connect", targets, ports, 2, 8, 1, "0/1", 0, List.of(), false);
        ScanSummary sum = new ScanSummary(Instant.EPOCH, 1, 8, finished ? 8 : 4, 8, open.length, 0, 0, finished, finished ? null : "interrupted",
                List.of(), List.of());
        return new ScanResult(Path.of("s.jsonl"), run, List.of(open), sum, false);
    }

    static List<String> names(List<Endpoint> es) {
        return es.stream().map(e -> e.port().endpoint()).toList();
    }

    @Test
    void fixedNewStillAndWhatTheNewScanDidNotLookAt() {
        ScanResult before = scan(List.of("198.18.12.0/24"), "22,8000,9090,11434", true, open("198.18.12.2", 8000), open("198.18.12.2", 22),
                open("198.18.12.9", 11434), open("198.18.12.2", 9090), open("2001:2:0:12::2", 8000));
        ScanResult after = scan(List.of("198.18.12.2", "198.18.12.3", "2001:2:0:12::/64"), "22,3000,8000,11434", true, open("198.18.12.2", 22),
                open("198.18.12.3", 3000));
        Comparison c = Compare.of(after, before, Path.of("before.jsonl"));
        assertEquals(List.of("198.18.12.2:8000", "[2001:2:0:12::2]:8000"), names(c.fixed()));
        assertEquals(List.of("198.18.12.2:22"), names(c.still()));
        assertEquals(List.of("198.18.12.3:3000"), names(c.added()));
        assertEquals(List.of("198.18.12.9:11434 not among the newer scan's targets", "198.18.12.2:9090 port 9090 is not among the newer scan's ports "
                + "(22,3000,8000,11434)"), c.unknown().stream().map(u -> u.endpoint().port().endpoint() + " " + u.why()).toList());
    }

    @Test
    void aScanThatDidNotFinishFixesNothing() {
        ScanResult before = scan(List.of("198.18.12.2"), "8000", true, open("198.18.12.2", 8000));
        ScanResult after = scan(List.of("198.18.12.2"), "8000", false);
        Comparison c = Compare.of(after, before, Path.of("before.jsonl"));
        assertEquals(List.of(), c.fixed());
        assertEquals("the newer scan did not finish", c.unknown().get(0).why());
    }
}
