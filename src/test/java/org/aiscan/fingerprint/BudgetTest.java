package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.aiscan.grab.Limits;
import org.aiscan.grab.Request;
import org.aiscan.grab.Response;
import org.aiscan.grab.Transport;
import org.aiscan.model.Address;
import org.aiscan.model.Service;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint phase's budgets: a stalling endpoint costs one exchange's limit, not one per
 * request; an endpoint that answers slowly but steadily is stopped by its own budget; a host's
 * endpoints together are stopped by the host's.
 */
class BudgetTest {
    static final Address HOST = Address.parse("198.18.0.99");

    /** A transport that takes {@code millis} per exchange, then answers as {@code answer} says. */
    record Slow(long millis, boolean stall, AtomicInteger calls) implements Transport {
        @Override
        public Response exchange(Address address, int port, Request request, boolean tls, long deadlineNanos) {
            calls.incrementAndGet();
            long until = Math.min(deadlineNanos, System.nanoTime() + millis * 1_000_000L);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (stall) {
                return new Response(request, tls, 0, Map.of(), new byte[0], false, null, Response.STALLED + "no answer within " + millis + " ms",
                        millis);
            }
            return new Response(request, tls, 404, Map.of("content-type", List.of("text/plain")), "nothing here".getBytes(), false, null, null,
                    millis);
        }
    }

    private static Ruleset rules() throws Exception {
        return RuleLoader.load(Path.of("rulesets")).ruleset();
    }

    private static Limits limits(int endpoint, int host) {
        return new Limits(100, 100, 200, 50, 100, endpoint, host, 4096, 4096);
    }

    @Test
    void aStallingEndpointCostsOneExchangeAndSaysSo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Fingerprinter fp = new Fingerprinter(rules(), new Slow(150, true, calls), limits(5_000, 10_000));
        long t0 = System.nanoTime();
        Service s = fp.identify(HOST, 8000);
        long ms = (System.nanoTime() - t0) / 1_000_000L;
        assertEquals(1, calls.get(), "no second request to a server that stalled");
        assertTrue(ms < 1_000, "stopped after one stall, not the endpoint budget: " + ms + " ms");
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("the endpoint stalled")), s.notes().toString());
    }

    @Test
    void aSlowButSteadyEndpointIsStoppedByItsBudget() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Fingerprinter fp = new Fingerprinter(rules(), new Slow(120, false, calls), limits(500, 10_000));
        long t0 = System.nanoTime();
        Service s = fp.identify(HOST, 8000);
        long ms = (System.nanoTime() - t0) / 1_000_000L;
        assertTrue(ms < 900, "the endpoint budget (500 ms) holds: " + ms + " ms");
        assertTrue(calls.get() >= 3 && calls.get() <= 6, "several answered requests fit in the budget: " + calls.get());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("the time budget ran out (--endpoint-budget)")), s.notes().toString());
    }

    @Test
    void aHostsEndpointsTogetherStopAtTheHostBudget() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Fingerprinter fp = new Fingerprinter(rules(), new Slow(100, false, calls), limits(400, 600));
        long t0 = System.nanoTime();
        Service first = fp.identify(HOST, 8000);
        Service second = fp.identify(HOST, 11434);
        Service third = fp.identify(HOST, 8188);
        long ms = (System.nanoTime() - t0) / 1_000_000L;
        assertTrue(ms < 1_000, "three endpoints of one host within its 600 ms budget (plus one exchange): " + ms + " ms");
        assertTrue(first.notes().stream().anyMatch(n -> n.contains("--endpoint-budget")), first.notes().toString());
        assertTrue(third.notes().stream().anyMatch(n -> n.contains("the host's time budget ran out (--host-budget)")), third.notes().toString());
        Service other = fp.identify(Address.parse("198.18.0.98"), 8000);
        assertTrue(other.notes().stream().noneMatch(n -> n.contains("--host-budget")), "another host has a budget of its own");
        assertTrue(second.notes().size() > 0);
    }
}
