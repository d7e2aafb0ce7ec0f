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
    /** The service ids of DESIGN.md §3, a contract with other tools: each must have a rule. */
    static final List<String> DESIGN_IDS = List.of(
            "ollama", "vllm", "sglang", "tgi", "llama-cpp", "localai", "lm-studio", "triton", "torchserve", "xinference",
            "litellm", "comfyui", "sd-webui", "invokeai", "gradio", "open-webui", "anythingllm", "librechat", "dify",
            "flowise", "langflow", "n8n", "jupyter", "ray", "mlflow", "kubeflow", "tensorboard", "streamlit", "prometheus",
            "grafana", "node-exporter", "dcgm-exporter", "qdrant", "chroma", "weaviate", "milvus", "elasticsearch",
            "redis", "ssh", "http");
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
    void everyRuleHasAPositiveAndANegativeFixture() throws Exception {
        Set<String> ruleIds = new TreeSet<>();
        rules.rules().forEach(r -> ruleIds.add(r.id()));
        Set<String> missing = new TreeSet<>(DESIGN_IDS);
        missing.removeAll(ruleIds);
        assertEquals(Set.of(), missing, "the service ids of DESIGN.md each need a rule");
        Set<String> positive = new HashSet<>();
        Set<String> negative = new HashSet<>();
        for (Path p : FixtureRunner.find(FIXTURES)) {
            Fixture f = FixtureRunner.read(p);
            if (f.expect().id() != null) {
                positive.add(f.expect().id());
                assertTrue(ruleIds.contains(f.expect().id()) || f.expect().id().equals("unknown"), p + " expects an id no rule has");
            }
            if (f.expect().not() != null) {
                negative.addAll(f.expect().not());
            }
        }
        for (String id : ruleIds) {
            if (id.equals("http")) {
                continue; // the catch-all: every negative is one of its positives
            }
            assertTrue(positive.contains(id), id + " has no positive fixture");
            assertTrue(negative.contains(id), id + " has no negative (look-alike) fixture");
        }
    }

    @Test
    void everyPortAProductOrProtocolRuleNamesIsInTheDefaultGroup() {
        java.util.BitSet group = new java.util.BitSet();
        org.aiscan.target.PortGroups.load(org.aiscan.target.PortSpec.DEFAULT_GROUP, group);
        Set<String> missing = new TreeSet<>();
        for (Rule r : rules.rules()) {
            if (r.kind() == Rule.Kind.GENERIC) {
                continue; // ssh and the http catch-all: their ports are no AI product's (the audit counts the group's ports as AI ports)
            }
            for (int p : r.ports()) {
                if (!group.get(p)) {
                    missing.add(p + " (" + r.id() + ")");
                }
            }
        }
        assertEquals(Set.of(), missing, "ports a rule names but scanner/ports/ai-default.txt lacks: a scan without -p would miss them");
    }
}
