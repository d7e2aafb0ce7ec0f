package org.aiscan.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.Endpoint;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.Risk;
import org.aiscan.model.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accepted-exposures file: strict reading, expiry, service pinning, and writing it back. */
class AcceptedTest {
    @TempDir
    Path tmp;

    static Endpoint open(String ip, int port, String service) {
        Service s = service == null ? null : new Service(service, service, null, "none", null, "high", List.of(),
                new Risk("high", List.of(), ""), List.of(), false, List.of());
        return new Endpoint(new PortResult(Address.parse(ip), port, PortState.OPEN, "syn-ack", 1, Instant.EPOCH), s);
    }

    @Test
    void expiryAndServiceDecide() throws Exception {
        Path f = tmp.resolve("a.yaml");
        Files.writeString(f, """
                accepted:
                  - endpoint: "198.18.0.10:22"
                    service: ssh
                    reason: bastion
                  - endpoint: "[2001:2::10]:8000"
                    reason: "vLLM for the team, behind the VPN"
                    expires: 2026-12-31
                """);
        Accepted a = Accepted.load(f);
        assertEquals(2, a.entries().size());
        List<Endpoint> eps = List.of(open("198.18.0.10", 22, "ssh"), open("2001:2::10", 8000, "vllm"), open("198.18.0.10", 8188, "comfyui"));
        List<Accepted.Finding> today = a.unaccepted(eps, LocalDate.parse("2026-12-31"));
        assertEquals(1, today.size());
        assertEquals("not accepted", today.get(0).why());
        List<Accepted.Finding> later = a.unaccepted(eps, LocalDate.parse("2027-01-01"));
        assertEquals(2, later.size());
        assertTrue(later.get(0).why().startsWith("accepted until 2026-12-31 (line 5)"), later.get(0).why());
        List<Accepted.Finding> swapped = a.unaccepted(List.of(open("198.18.0.10", 22, "http")), LocalDate.parse("2026-01-01"));
        assertEquals("accepted as ssh (line 2), now http", swapped.get(0).why());
    }

    @Test
    void mistakesAreNamedWithTheirLine() throws Exception {
        Path f = tmp.resolve("b.yaml");
        Files.writeString(f, "accepted:\n  - endpoint: \"198.18.0.10:22\"\n    reason: ok\n  - endpoint: 198.18.0.11:80\n    reasn: typo\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Accepted.load(f));
        assertEquals(f + ":4: unknown key 'reasn'; allowed: [endpoint, expires, reason, service]", e.getMessage());
        Files.writeString(f, "accepted:\n  - endpoint: 198.18.0.10\n    reason: x\n");
        assertTrue(assertThrows(InvalidInputException.class, () -> Accepted.load(f)).getMessage().contains(":2: endpoint '198.18.0.10' is not"));
        Files.writeString(f, "accepted:\n  - endpoint: 198.18.0.10:22\n");
        assertTrue(assertThrows(InvalidInputException.class, () -> Accepted.load(f)).getMessage().contains("needs a reason"));
        Files.writeString(f, "accepted:\n  - endpoint: 198.18.0.10:22\n    reason: x\n    expires: tomorrow\n");
        assertTrue(assertThrows(InvalidInputException.class, () -> Accepted.load(f)).getMessage().contains("is not a date"));
    }

    @Test
    void appendingKeepsOneEntryPerEndpointAndQuotesTheReason() throws Exception {
        Path f = tmp.resolve("c.yaml");
        Accepted.append(f, List.of(new Accepted.Entry(Address.parse("198.18.0.10"), 22, "ssh", "first \"review\"", null, 0)));
        Accepted.append(f, List.of(new Accepted.Entry(Address.parse("198.18.0.10"), 22, null, "second", LocalDate.parse("2027-01-01"), 0),
                new Accepted.Entry(Address.parse("2001:2::10"), 8000, "vllm", "v6", null, 0)));
        Accepted a = Accepted.load(f);
        assertEquals(2, a.entries().size());
        assertEquals("second", a.entries().get(0).reason());
        assertEquals("[2001:2::10]:8000", a.entries().get(1).endpoint());
    }
}
