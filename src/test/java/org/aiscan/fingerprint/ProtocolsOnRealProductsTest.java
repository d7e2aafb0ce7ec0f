package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.aiscan.fingerprint.fixture.FixtureRunner;
import org.aiscan.model.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protocol rules against real products' recorded answers, with every product rule taken away (a
 * product no rule names yet): llama-server must still be an OpenAI-compatible API, open or behind its
 * key, and Gemini CLI's A2A server an A2A agent. The fixtures were recorded from the products run here.
 */
class ProtocolsOnRealProductsTest {
    static Ruleset protocolsOnly;

    @BeforeAll
    static void load() throws Exception {
        Ruleset all = RuleLoader.load(Path.of("rulesets")).ruleset();
        protocolsOnly = new Ruleset(all.rules().stream().filter(r -> r.kind() != Rule.Kind.PRODUCT).toList(), all.safety(), all.cves());
    }

    static Service identify(String fixture) throws Exception {
        return new FixtureRunner(protocolsOnly).run(Path.of("test-fixtures/fingerprints", fixture)).service();
    }

    @Test
    void llamaServerIsAnOpenAiCompatibleApiOpenOrKeyed() throws Exception {
        Service open = identify("llama-cpp/real-open.yaml");
        assertEquals("openai-compatible", open.id(), open.toString());
        assertEquals("none", open.auth());
        assertEquals("high", open.risk().severity(), "a local model, not a paid provider's");
        Service keyed = identify("llama-cpp/real-api-key.yaml");
        assertEquals("openai-compatible", keyed.id(), keyed.toString());
        assertEquals("required", keyed.auth());
    }

    @Test
    void geminiCliA2aServerIsAnOpenA2aAgent() throws Exception {
        Service s = identify("gemini-cli-a2a/real-0.25.2.yaml");
        assertEquals("a2a", s.id(), s.toString());
        assertEquals("none", s.auth());
    }

    @Test
    void theMcpServersAreMcpWithoutAnyProductRule() throws Exception {
        for (String f : new String[] {"mcp/ts-everything-sse.yaml", "mcp/ts-everything-streamable.yaml", "mcp/supergateway-stateless.yaml",
                "mcp/supergateway-stateful.yaml", "mcp/ts-supergateway-sse.yaml"}) {
            assertEquals("mcp", identify(f).id(), f);
        }
    }
}
