package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict loading: a broken copy of the shipped rules fails with file:line and the reason. */
class RuleLoaderTest {
    static Path copy(Path to) throws Exception {
        Path src = Path.of("rulesets");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    static void edit(Path file, String from, String to) throws Exception {
        String s = Files.readString(file);
        assertTrue(s.contains(from), "fixture edit: " + from + " not in " + file);
        Files.writeString(file, s.replace(from, to));
    }

    static List<String> problems(Path dir) throws Exception {
        return RuleLoader.load(dir).problems().stream().map(RuleProblem::toString).toList();
    }

    @Test
    void theShippedRulesAreClean() throws Exception {
        RuleLoader.Result r = RuleLoader.load(Path.of("rulesets"));
        assertEquals(List.of(), r.problems());
        try (Stream<Path> files = Files.list(Path.of("rulesets/fingerprints"))) {
            assertEquals(files.filter(f -> f.toString().endsWith(".yaml")).count(), r.ruleset().size(), "every rule file loads");
        }
    }

    @Test
    void anUnknownKeyNamesItsLine(@TempDir Path tmp) throws Exception {
        Path d = copy(tmp.resolve("r"));
        edit(d.resolve("fingerprints/ollama.yaml"), "  root: {path: /}", "  root: {path: /, method: POST}");
        List<String> p = problems(d);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).matches(".*ollama\\.yaml:\\d+: unknown key 'method'.*"), p.get(0));
        String line = Files.readAllLines(d.resolve("fingerprints/ollama.yaml")).get(Integer.parseInt(p.get(0).replaceAll(".*ollama\\.yaml:(\\d+):.*", "$1")) - 1);
        assertTrue(line.contains("method: POST"), "points at the right line: " + line);
    }

    @Test
    void aUnitWordThatIsNoPartOfAUnitNameNamesItsLine(@TempDir Path tmp) throws Exception {
        Path d = copy(tmp.resolve("r"));
        edit(d.resolve("fingerprints/ollama.yaml"), "units: [ollama]", "units: [Ollama*]");
        List<String> p = problems(d);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).matches(".*ollama\\.yaml:7: units are lower-case words.*"), p.get(0));
    }

    @Test
    void aBadRegexNamesItsLineAndTheReason(@TempDir Path tmp) throws Exception {
        Path d = copy(tmp.resolve("r"));
        edit(d.resolve("fingerprints/ssh.yaml"), "regex: '^SSH-\\d\\.\\d+-'", "regex: '^SSH-(\\d'");
        List<String> p = problems(d);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("ssh.yaml:") && p.get(0).contains("bad regex") && p.get(0).contains("Unclosed group"), p.get(0));
    }

    @Test
    void semanticMistakesAreCaught(@TempDir Path tmp) throws Exception {
        Path d = copy(tmp.resolve("r"));
        edit(d.resolve("fingerprints/vllm.yaml"), "{probe: version, json: /version}", "{probe: versoin, json: /version}");
        edit(d.resolve("fingerprints/tgi.yaml"), "info: {path: /info}", "info: {path: /health}");
        edit(d.resolve("fingerprints/ray.yaml"), "id: ray", "id: rays");
        edit(d.resolve("cves/mlflow.json"), "\"fixed\": \"2.2.1\"", "\"fixed\": \"before 2.2.1\"");
        edit(d.resolve("fingerprints/grafana.yaml"), "severity: high\n  impacts", "severity: urgent\n  impacts");
        String all = String.join("\n", problems(d));
        assertTrue(all.contains("vllm.yaml") && all.contains("unknown probe 'versoin'"), all);
        assertTrue(all.contains("tgi.yaml") && all.contains("forbidden by the safety policy"), all);
        assertTrue(all.contains("ray.yaml") && all.contains("does not match the file name"), all);
        assertTrue(all.contains("cves/mlflow.json:") && all.contains("'before 2.2.1' is not a version of the release scheme"), all);
        String osv = Files.readString(d.resolve("cves/mlflow.json"));
        String before = osv.substring(0, osv.indexOf("before 2.2.1"));
        String record = before.substring(before.lastIndexOf("\"id\": \""));
        int idLine = (int) osv.substring(0, before.lastIndexOf("\"id\": \"")).chars().filter(c -> c == '\n').count() + 1;
        assertTrue(all.contains("cves/mlflow.json:" + idLine + ": "), "the advisory's own line (" + idLine + ", "
                + record.lines().findFirst().orElse("") + "): " + all);
        assertTrue(all.contains("grafana.yaml") && all.contains("risk severity must be one of"), all);
        assertTrue(all.lines().allMatch(l -> l.matches(".+\\.(yaml|json):[1-9]\\d*: .+")), "every problem names its file and line: " + all);
    }

    @Test
    void aProblemNamesTheAlternativeAndMatcherThatAreWrongNotTheFirstLineWithTheSameKey(@TempDir Path tmp) throws Exception {
        Path d = copy(tmp.resolve("r"));
        Path vllm = d.resolve("fingerprints/vllm.yaml");
        edit(vllm, "  - confidence: high\n    note: API key set", "  - confidence: sure\n    note: API key set");
        edit(vllm, "{probe: version, status: [200], json: [{path: \"\", only-keys: [version]}, {path: /version, regex: '^0",
                "{probe: version, status: [200], json: [{path: \"\", only-keys: [version]}, {path: /version, type: text, regex: '^0");
        List<String> p = problems(d);
        assertEquals(2, p.size(), p.toString());
        List<String> lines = Files.readAllLines(vllm);
        int confidence = Integer.parseInt(p.get(0).replaceAll(".*vllm\\.yaml:(\\d+):.*", "$1"));
        assertTrue(lines.get(confidence - 1).contains("confidence: sure"), "the second alternative's line: " + p.get(0));
        assertTrue(p.get(0).contains("identify[1] (API key set"), p.get(0));
        int type = Integer.parseInt(p.get(1).replaceAll(".*vllm\\.yaml:(\\d+):.*", "$1"));
        assertTrue(lines.get(type - 1).contains("type: text"), "the matcher's own line: " + p.get(1));
        assertTrue(p.get(1).contains("identify[2] matcher 0: json type"), p.get(1));
    }

    @Test
    void aMissingSafetyPolicyIsAProblem(@TempDir Path tmp) throws Exception {
        Path d = copy(tmp.resolve("r"));
        Files.delete(d.resolve("safety.yaml"));
        assertTrue(problems(d).stream().anyMatch(p -> p.contains("safety.yaml") && p.contains("required")));
    }
}
