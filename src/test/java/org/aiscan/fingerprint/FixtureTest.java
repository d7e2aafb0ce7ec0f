package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.aiscan.fingerprint.fixture.Fixture;
import org.aiscan.fingerprint.fixture.FixtureRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule against every recorded fixture (test-fixtures/fingerprints/<rule>/*.yaml). */
class FixtureTest {
    static final Path RULES = Path.of("rulesets");
    static final Path FIXTURES = Path.of("test-fixtures/fingerprints");
    /** The service ids of DESIGN.md §3: each must have a rule. */
    static final List<String> DESIGN_IDS = List.of(
            "ollama", "vllm", "sglang", "tgi", "llama-cpp", "localai", "lm-studio", "triton", "torchserve", "xinference",
            "litellm", "comfyui", "sd-webui", "invokeai", "gradio", "open-webui", "anythingllm", "librechat", "dify",
            "flowise", "langflow", "n8n", "jupyter", "ray", "mlflow", "kubeflow", "tensorboard", "streamlit", "prometheus",
            "grafana", "node-exporter", "dcgm-exporter", "qdrant", "chroma", "weaviate", "milvus", "elasticsearch",
            "redis", "ssh", "http");
    /** Ids added from the peers' product lists (issue 13; README "Service ids"). */
    static final List<String> PEER_IDS = List.of(
            "aim", "airflow", "aphrodite", "astrbot", "attu", "autogen-studio", "autogpt", "bentoml", "chuanhu", "clearml",
            "crawl4ai", "dask", "dataiku", "deepspeed-mii", "envoy-ai-gateway", "fastchat", "fastgpt", "fooocus",
            "gpt-sovits", "gpt4all", "h2o", "h2ogpt", "hf-chat-ui", "jan", "jupyterhub", "koboldcpp", "kserve", "kubeai",
            "label-studio", "langbot", "langfuse", "lightrag", "llama-factory", "lmdeploy", "lobechat", "lollms", "marimo",
            "maxkb", "mcp", "mem0", "mindsdb", "mlc-llm", "new-api", "nextchat", "nvidia-dynamo", "nvidia-nim", "onyx",
            "openclaw", "portkey-gateway", "privategpt", "ragflow", "sillytavern", "tabbyapi", "tabbyml", "tei",
            "tensorrt-llm", "tensorzero", "text-generation-webui", "zenml");
    static final List<String> IDS = java.util.stream.Stream.concat(DESIGN_IDS.stream(), PEER_IDS.stream()).toList();
    static Ruleset rules;

    @BeforeAll
    static void load() throws Exception {
        RuleLoader.Result r = RuleLoader.load(RULES);
        assertTrue(r.ok(), "rulesets/ must lint clean: " + r.problems());
        rules = r.ruleset();
    }

    static Stream<Path> fixtures() throws Exception {
        return FixtureRunner.find(FIXTURES).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureConcludesWhatItExpects(Path file) throws Exception {
        if (rules == null) {
            load();
        }
        FixtureRunner.Outcome o = new FixtureRunner(rules).run(file);
        assertTrue(o.passed(), file + ": " + o.failures() + " (got " + o.service() + ")");
    }

    @Test
    void everyServiceIdHasARuleAPositiveAndANegative() throws Exception {
        Set<String> ruleIds = new TreeSet<>();
        rules.rules().forEach(r -> ruleIds.add(r.id()));
        assertEquals(new TreeSet<>(IDS), ruleIds, "one rule per service id, no more, no less");
        Set<String> positive = new HashSet<>();
        Set<String> negative = new HashSet<>();
        for (Path p : FixtureRunner.find(FIXTURES)) {
            Fixture f = FixtureRunner.read(p);
            if (f.expect().id() != null) {
                positive.add(f.expect().id());
            }
            if (f.expect().not() != null) {
                negative.addAll(f.expect().not());
            }
        }
        for (String id : IDS) {
            if (id.equals("http")) {
                continue; // the catch-all: every negative is one of its positives
            }
            assertTrue(positive.contains(id), id + " has no positive fixture");
            assertTrue(negative.contains(id), id + " has no negative (look-alike) fixture");
        }
    }
}
