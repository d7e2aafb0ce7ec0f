package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.fingerprint.fixture.FixtureRunner;
import org.aiscan.grab.Request;
import org.junit.jupiter.api.Test;

/**
 * The unsafe GETs of research/fingerprints.md §1.2, checked against every rule file, and the
 * ordering guard that keeps GET / away from TGI.
 */
class SafetyTest {
    /** Requests that run a generation, call upstreams or change state on some product (§1.2). */
    static final List<String> UNSAFE = List.of("/health", "/health_generate", "/ping", "/flush_cache", "/start_profile",
            "/stop_profile", "/freeze_gc", "/release_memory_occupation", "/resume_memory_occupation", "/slow_down", "/open_session",
            "/close_session", "/configure_logging", "/get_weights_by_name", "/clear_hicache_storage_backend", "/api/env-dump",
            "/api/migrate", "/management/stop", "/api/v1/auto_login", "/object_info", "/start_expert_distribution_record",
            "/dump_expert_distribution_record", "/sdapi/v1/server-kill", "/api/pull", "/terminate", "/llm/https:", "/stdio", "/api/killAppProcess",
            "/api/restartAppProcess", "/api/sendPageView", "/api/remote-health", "/api/model-audit/scanners", "/api/v1/webhook/abc", "/log/stream",
            "/perf_metrics", "/tts", "/set_gpt_weights", "/set_sovits_weights", "/set_refer_audio", "/set_model", "/change_refer", "/control",
            "/jobs/job/kill", "/stages/stage/kill", "/v1/anthropic/v1/models", "/latest/zai/v1/models",
            "/v1/mcp-servers/connect/mcp_server-1", "/api/toolkits/get/install/Notion",
            "/knowledges/install/Docs/index/1", "/api/validate-open-ai-key/sk-x", "/run-loops/0",
            "/api/v1/executions/webhook/company.team/flow/key", "/api/v1/main/executions/webhook/company.team/flow/key",
            "/dtale/delete-col/1", "/dtale/cleanup-datasets", "/shutdown", "/draw/rag",
            "/api/auth/auto-onboard", "/api/boot");

    @Test
    void theSafetyPolicyForbidsEveryUnsafeGet() throws Exception {
        Ruleset rules = RuleLoader.load(Path.of("rulesets")).ruleset();
        for (String p : UNSAFE) {
            assertNotNull(rules.safety().forbidden(p), p + " must be forbidden");
            assertNotNull(rules.safety().forbidden(p + "/"), p + "/ must be forbidden");
        }
        assertNull(rules.safety().forbidden("/api/version"));
        assertNull(rules.safety().forbidden("/healthz"));
    }

    @Test
    void noRuleNamesAnUnsafeRequestAndEveryProbeIsAGetOrAnAllowedPayload() throws Exception {
        Ruleset rules = RuleLoader.load(Path.of("rulesets")).ruleset();
        List<String> bad = new ArrayList<>();
        for (Rule r : rules.rules()) {
            r.probes().forEach((name, p) -> {
                Request q = p.request();
                switch (q.kind()) {
                    case HTTP_GET -> {
                        for (String u : UNSAFE) {
                            if (SafetyPolicy.normalise(q.path()).equals(SafetyPolicy.normalise(u))) {
                                bad.add(r.id() + "." + name + " = " + q.path());
                            }
                        }
                    }
                    case RAW -> {
                        if (!List.of("PING\r\n", "INFO server\r\n").contains(q.payload())) {
                            bad.add(r.id() + "." + name + " sends " + q.payload());
                        }
                    }
                    case BANNER -> { }
                }
            });
        }
        assertTrue(bad.isEmpty(), "unsafe probes: " + bad);
    }

    @Test
    void aTgiEndpointNeverSeesGetRoot() throws Exception {
        Ruleset rules = RuleLoader.load(Path.of("rulesets")).ruleset();
        FixtureRunner.Outcome o = new FixtureRunner(rules).run(Path.of("test-fixtures/fingerprints/tgi/3.3.6.yaml"));
        assertEquals("tgi", o.service().id());
        assertTrue(o.asked().stream().noneMatch(r -> r.equals(Request.get("/"))), "GET / was sent to TGI: " + o.asked());
        assertTrue(o.asked().contains(Request.get("/info")));
    }

    @Test
    void everyRequestAnyFixtureProvokedIsAGetABannerOrAnAllowedPayload() throws Exception {
        Ruleset rules = RuleLoader.load(Path.of("rulesets")).ruleset();
        FixtureRunner runner = new FixtureRunner(rules);
        for (Path p : FixtureRunner.find(Path.of("test-fixtures/fingerprints"))) {
            for (Request r : runner.run(p).asked()) {
                switch (r.kind()) {
                    case HTTP_GET -> assertNull(rules.safety().forbidden(r.path()), p + " provoked " + r);
                    case RAW -> assertTrue(rules.safety().rawAllowed(r.payload()), p + " provoked " + r);
                    case BANNER -> { }
                }
            }
        }
    }
}
