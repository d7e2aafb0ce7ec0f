package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.aiscan.fingerprint.fixture.FixtureRunner;
import org.aiscan.grab.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the probe plan learns from an endpoint's answers: a port that spoke HTTP gets no raw payload of another protocol. */
class ProbePlanTest {
    static Ruleset rules;

    @BeforeAll
    static void load() throws Exception {
        rules = RuleLoader.load(Path.of("rulesets")).ruleset();
    }

    static List<Request> asked(String fixture) throws Exception {
        return new FixtureRunner(rules).run(Path.of("test-fixtures/fingerprints", fixture)).asked();
    }

    @Test
    void anHttpServerNobodyIdentifiesGetsNoRedisPing() throws Exception {
        List<Request> asked = asked("_negative/fastapi-not-found.yaml");
        assertTrue(asked.size() > 10, "it was asked the identification requests: " + asked);
        assertTrue(asked.stream().noneMatch(r -> r.kind() == Request.Kind.RAW), "a raw payload reached an HTTP server: " + asked);
    }

    @Test
    void redisStillGetsItsPingOnItsOwnPortAndElsewhere() throws Exception {
        for (String f : List.of("redis/open-7.2.yaml", "redis/noauth-on-6380.yaml")) {
            FixtureRunner.Outcome o = new FixtureRunner(rules).run(Path.of("test-fixtures/fingerprints", f));
            assertEquals("redis", o.service().id(), f);
            assertTrue(o.asked().contains(Request.raw("PING\r\n")), f + ": " + o.asked());
        }
    }

    @Test
    void everyGuardedRequestComesAfterWhatItWaitsForOnEveryRulesPort() {
        ProbePlan plan = new ProbePlan(rules);
        java.util.Set<Integer> ports = new java.util.TreeSet<>(List.of(80, 443, 8000, 8080));
        rules.rules().forEach(r -> ports.addAll(r.ports()));
        for (int port : ports) {
            List<Rule> ordered = new java.util.ArrayList<>(rules.rules());
            ordered.sort(java.util.Comparator.comparing((Rule r) -> !r.hints(port)));
            List<Request> list = plan.identification(ordered, port);
            for (SafetyPolicy.Order o : rules.safety().order()) {
                int at = list.indexOf(Request.get(o.path()));
                for (String a : o.after()) {
                    assertTrue(at < 0 || list.indexOf(Request.get(a)) < at, "port " + port + ": " + o.path() + " before " + a + " in " + list);
                }
            }
        }
    }

    @Test
    void theSseStreamIsOpenedOnlyWhenNothingElseFoundMcpAndNeverOnTheInspector() throws Exception {
        assertTrue(asked("mcp/ts-everything-sse.yaml").contains(Request.get("/sse")), "the TypeScript SSE server is found by its stream");
        for (String f : List.of("mcp/streamable-http-fastmcp.yaml", "mcp/ts-everything-streamable.yaml", "mcp/sse-legacy.yaml",
                "mcp-inspector/real-0.22-proxy-noauth.yaml", "mcp-inspector/real-0.22-proxy-token.yaml", "mcp-inspector/real-2.12-web.yaml",
                "genkit/real-1.43.0-telemetry.yaml")) {
            assertTrue(!asked(f).contains(Request.get("/sse")), f + " got GET /sse");
        }
    }
}
