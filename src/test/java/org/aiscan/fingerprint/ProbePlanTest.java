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
}
