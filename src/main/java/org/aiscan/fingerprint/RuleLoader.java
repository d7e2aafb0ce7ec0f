package org.aiscan.fingerprint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.Risk;
import org.aiscan.model.InvalidInputException;

/**
 * Reads {@code fingerprints/*.yaml} and {@code safety.yaml} from a rules folder (or the packaged
 * copy) strictly: unknown keys, wrong types and bad regexes fail at their line, and every rule is
 * checked for consistency (ids, probe references, allowed values, version ranges, safety).
 */
public final class RuleLoader {
    static final String HOME_DIR = "rulesets";
    static final Set<String> CATEGORIES = Set.of("llm-inference", "image-generation", "speech", "chat-ui", "agent-platform", "notebook",
            "mlops", "monitoring", "vector-db", "data-store", "generic");
    static final Set<String> CONFIDENCE = Set.of("high", "medium", "low");
    static final Set<String> DETAILS = Set.of("open", "product", "proxy", "setup-takeover", "registration-open");
    static final Set<String> IMPACTS = Set.of("free-inference", "gpu-theft", "code-execution", "data-access", "takeover",
            "credential-exposure", "recon", "known-cve", "model-tampering");
    static final Set<String> PARTS = Set.of("body", "headers", "all");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern UNIT_WORD = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /** Rules and problems; a ruleset is usable only when {@code problems} is empty. */
    public record Result(Ruleset ruleset, List<RuleProblem> problems, int files) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private RuleLoader() {
    }

    /** Loads a rules folder ({@code DIR/fingerprints/*.yaml} and {@code DIR/safety.yaml}). */
    public static Result load(Path dir) throws IOException {
        Path fp = dir.resolve("fingerprints");
        Path safetyFile = dir.resolve("safety.yaml");
        List<RuleProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(fp)) {
            problems.add(new RuleProblem(dir.toString(), 0, "no fingerprints/ folder here"));
            return new Result(new Ruleset(List.of(), emptyPolicy(), CveCatalog.empty()), problems, 0);
        }
        SafetyPolicy safety = Files.isRegularFile(safetyFile)
                ? readSafety(org.aiscan.model.Utf8.read(safetyFile, safetyFile.toString()), safetyFile.toString(), problems) : null;
        if (safety == null) {
            if (!Files.isRegularFile(safetyFile)) {
                problems.add(new RuleProblem(safetyFile.toString(), 0, "missing: the safety policy is required"));
            }
            safety = emptyPolicy();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(fp)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        List<Rule> rules = new ArrayList<>();
        for (Path f : files) {
            Rule r = readRule(org.aiscan.model.Utf8.read(f, f.toString()), f.toString(), f.getFileName().toString(), safety, problems);
            if (r != null) {
                rules.add(r);
            }
        }
        checkDuplicates(rules, problems);
        List<CveCatalog.Advisory> advisories = new ArrayList<>();
        java.util.Map<String, String> texts = new java.util.HashMap<>();
        Path cves = dir.resolve(CVE_DIR);
        if (Files.isDirectory(cves)) {
            try (Stream<Path> s = Files.list(cves)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    String text = org.aiscan.model.Utf8.read(f, f.toString());
                    texts.put(f.getFileName().toString().replaceFirst("\\.json$", ""), text);
                    advisories.addAll(readCves(text, f.toString(), f.getFileName().toString(), problems));
                }
            }
        }
        Set<String> attempted = new HashSet<>();
        files.forEach(f -> attempted.add(f.getFileName().toString().replaceFirst("\\.ya?ml$", "")));
        CveCatalog catalog = checkCves(advisories, rules, attempted, texts, problems);
        return new Result(new Ruleset(rules, safety, catalog), problems, files.size());
    }

    /** The folder, next to fingerprints/, of OSV files: one per service, {@code <service>.json}. */
    public static final String CVE_DIR = "cves";

    /** The advisories of one OSV file of the catalog; its name is its service's id. */
    static List<CveCatalog.Advisory> readCves(String text, String label, String fileName, List<RuleProblem> problems) {
        String service = fileName.replaceFirst("\\.json$", "");
        List<CveCatalog.Problem> found = new ArrayList<>();
        List<CveCatalog.Advisory> out;
        try {
            out = CveCatalog.read(CveCatalog.JSON.readTree(text), label, service, found);
        } catch (JsonProcessingException e) {
            problems.add(fromJackson(label, e));
            return List.of();
        }
        for (CveCatalog.Problem p : found) {
            problems.add(new RuleProblem(label, p.id() == null ? 0 : lineOf(text, "\"" + p.id() + "\""), (p.id() == null ? "" : p.id() + ": ")
                    + p.message()));
        }
        return out;
    }

    /**
     * Every advisory names a rule, and every bound of its ranges reads as a version of that rule's
     * scheme. {@code texts} holds each service's OSV file, for the line a problem names (looked up
     * only for a problem: a lookup per advisory was most of the loading time).
     */
    static CveCatalog checkCves(List<CveCatalog.Advisory> advisories, List<Rule> rules, Set<String> attempted,
                                java.util.Map<String, String> texts, List<RuleProblem> problems) {
        java.util.Map<String, Rule> byId = new java.util.HashMap<>();
        rules.forEach(r -> byId.put(r.id(), r));
        List<CveCatalog.Advisory> ok = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CveCatalog.Advisory a : advisories) {
            String where = CVE_DIR + "/" + a.service() + ".json";
            java.util.function.IntSupplier line = () -> lineOf(texts.getOrDefault(a.service(), ""), "\"" + a.id() + "\"");
            Rule r = byId.get(a.service());
            if (r == null) {
                if (!attempted.contains(a.service())) { // a rule that failed to load has said so already
                    problems.add(new RuleProblem(where, line.getAsInt(), a.id() + ": no fingerprint rule has the id '" + a.service() + "'"));
                }
                continue;
            }
            if (!seen.add(a.service() + " " + a.id())) {
                problems.add(new RuleProblem(where, line.getAsInt(), a.id() + ": listed twice"));
                continue;
            }
            VersionScheme scheme = r.scheme();
            List<String> bounds = new ArrayList<>(a.versions());
            for (CveCatalog.Interval i : a.intervals()) {
                for (String b : new String[] {i.introduced(), i.fixed(), i.lastAffected()}) {
                    if (b != null && !b.equals("0")) {
                        bounds.add(b);
                    }
                }
            }
            String bad = bounds.stream().filter(b -> scheme.bound(b) == null).findFirst().orElse(null);
            if (bad != null) {
                problems.add(new RuleProblem(where, line.getAsInt(), a.id() + ": '" + bad + "' is not a version of the " + scheme.key() + " scheme"));
                continue;
            }
            ok.add(a);
        }
        return new CveCatalog(ok);
    }

    /** Loads the rules of the aiscan home folder, or the copy packaged in the jar. */
    public static Result loadDefault() throws IOException {
        if (AiscanHome.home().isPresent() && Files.isDirectory(AiscanHome.home().get().resolve(HOME_DIR + "/fingerprints"))) {
            return load(AiscanHome.home().get().resolve(HOME_DIR));
        }
        List<RuleProblem> problems = new ArrayList<>();
        SafetyPolicy safety;
        try (InputStream in = AiscanHome.open(HOME_DIR + "/safety.yaml")) {
            safety = readSafety(new String(in.readAllBytes(), StandardCharsets.UTF_8), "safety.yaml", problems);
        }
        if (safety == null) {
            safety = emptyPolicy();
        }
        List<Rule> rules = new ArrayList<>();
        List<String> names = AiscanHome.list(HOME_DIR + "/fingerprints");
        for (String name : names) {
            try (InputStream in = AiscanHome.open(HOME_DIR + "/fingerprints/" + name)) {
                Rule r = readRule(new String(in.readAllBytes(), StandardCharsets.UTF_8), name, name, safety, problems);
                if (r != null) {
                    rules.add(r);
                }
            }
        }
        checkDuplicates(rules, problems);
        List<CveCatalog.Advisory> advisories = new ArrayList<>();
        java.util.Map<String, String> texts = new java.util.HashMap<>();
        for (String name : AiscanHome.list(HOME_DIR + "/" + CVE_DIR)) {
            if (name.endsWith(".json")) {
                try (InputStream in = AiscanHome.open(HOME_DIR + "/" + CVE_DIR + "/" + name)) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    texts.put(name.replaceFirst("\\.json$", ""), text);
                    advisories.addAll(readCves(text, name, name, problems));
                }
            }
        }
        Set<String> attempted = new HashSet<>();
        names.forEach(n -> attempted.add(n.replaceFirst("\\.ya?ml$", "")));
        return new Result(new Ruleset(rules, safety, checkCves(advisories, rules, attempted, texts, problems)), problems, names.size());
    }

    /**
     * The rules of {@code dir}, or the installed ones when it is null, for a command that needs all of
     * them: a ruleset with problems is refused, naming the first.
     */
    public static Ruleset usable(Path dir) throws IOException {
        Result r = dir == null ? loadDefault() : load(dir);
        if (!r.ok()) {
            throw new InvalidInputException("the fingerprint rules have " + r.problems().size() + " problem(s), first: "
                    + r.problems().get(0) + "; run 'aiscan rules lint' for all of them");
        }
        return r.ruleset();
    }

    static SafetyPolicy emptyPolicy() {
        return new SafetyPolicy(List.of(), List.of(), List.of());
    }

    static SafetyPolicy readSafety(String text, String label, List<RuleProblem> problems) {
        try {
            SafetyPolicy p = YAML.readValue(text, SafetyPolicy.class);
            for (SafetyPolicy.Never n : p.never()) {
                if ((n.path() == null) == (n.prefix() == null) || n.why() == null || n.why().isBlank()) {
                    problems.add(new RuleProblem(label, lineOf(text, n.path() != null ? n.path() : n.prefix()),
                            "each 'never' entry needs exactly one of path or prefix, and a why"));
                }
            }
            return p;
        } catch (JsonProcessingException e) {
            problems.add(fromJackson(label, e));
            return null;
        }
    }

    static Rule readRule(String text, String label, String fileName, SafetyPolicy safety, List<RuleProblem> problems) {
        Rule r;
        try {
            r = YAML.readValue(text, Rule.class);
        } catch (JsonProcessingException e) {
            problems.add(fromJackson(label, e));
            return null;
        }
        if (r == null) {
            problems.add(new RuleProblem(label, 1, "empty file"));
            return null;
        }
        int before = problems.size();
        new Checker(r, text, label, fileName, safety, problems).check();
        return problems.size() == before ? r : null;
    }

    private static void checkDuplicates(List<Rule> rules, List<RuleProblem> problems) {
        Set<String> seen = new HashSet<>();
        for (Rule r : rules) {
            if (!seen.add(r.id())) {
                problems.add(new RuleProblem(r.id() + ".yaml", 1, "duplicate rule id '" + r.id() + "'"));
            }
        }
    }

    static RuleProblem fromJackson(String label, JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        String msg;
        if (e instanceof UnrecognizedPropertyException u) {
            msg = "unknown key '" + u.getPropertyName() + "'" + (u.getKnownPropertyIds() == null ? ""
                    : "; allowed here: " + u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList());
        } else {
            msg = e.getOriginalMessage();
            if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (JsonMappingException.Reference ref : m.getPath()) {
                    if (ref.getFieldName() != null) {
                        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                    } else if (ref.getIndex() >= 0) {
                        path.append('[').append(ref.getIndex()).append(']');
                    }
                }
                msg = msg + " (at " + path + ")";
            }
            msg = msg.replaceAll("`[a-z.]+\\$?([A-Za-z]+)`", "$1").replaceAll("\\s+", " ");
        }
        return new RuleProblem(label, line, msg);
    }

    /** The first line containing {@code needle}, 1-based; 1 when absent. */
    static int lineOf(String text, String needle) {
        return needle == null ? 1 : Math.max(1, org.aiscan.model.TextLines.lineOf(text, needle, 0));
    }

    /** Consistency checks of one rule; each problem names the closest line. */
    private static final class Checker {
        private final Rule r;
        private final String text;
        private final String label;
        private final String fileName;
        private final SafetyPolicy safety;
        private final List<RuleProblem> problems;

        Checker(Rule r, String text, String label, String fileName, SafetyPolicy safety, List<RuleProblem> problems) {
            this.r = r;
            this.text = text;
            this.label = label;
            this.fileName = fileName;
            this.safety = safety;
            this.problems = problems;
        }

        void problem(String near, String message) {
            problems.add(new RuleProblem(label, lineOf(text, near), message));
        }

        void check() {
            if (r.id() == null || !ID.matcher(r.id()).matches()) {
                problem("id:", "id must be lower-case letters, digits and dashes");
                return;
            }
            String base = fileName.replaceAll("\\.ya?ml$", "");
            if (!base.equals(r.id())) {
                problem("id:", "id '" + r.id() + "' does not match the file name '" + fileName + "'");
            }
            if (r.name() == null || r.name().isBlank()) {
                problem("id:", "name is required");
            }
            if (r.category() == null || !CATEGORIES.contains(r.category())) {
                problem("category", "category must be one of " + new java.util.TreeSet<>(CATEGORIES));
            }
            for (Integer p : nz(r.ports())) {
                if (p == null || p < 1 || p > 65535) {
                    problem("ports", "ports must be 1-65535");
                }
            }
            for (String u : nz(r.units())) {
                if (u == null || !UNIT_WORD.matcher(u).matches()) {
                    problem("units", "units are lower-case words of systemd unit names (letters, digits, '.', '_', '-')");
                }
            }
            Map<String, Rule.Probe> probes = r.probes() == null ? Map.of() : r.probes();
            if (probes.isEmpty()) {
                problem("probes", "at least one probe is required");
            }
            probes.forEach(this::checkProbe);
            if (nz(r.identify()).isEmpty()) {
                problem("identify", "at least one identify alternative is required");
            }
            for (Rule.Identify alt : nz(r.identify())) {
                if (alt.confidence() == null || !CONFIDENCE.contains(alt.confidence())) {
                    problem("confidence", "confidence must be high, medium or low");
                }
                checkCondition(alt.condition());
                checkMatchers(alt.match(), probes, false);
            }
            for (Rule.Extract x : nz(r.version())) {
                checkProbeRef(x.probe(), probes, true);
                int kinds = (x.json() != null ? 1 : 0) + (x.header() != null ? 1 : 0) + (x.regex() != null && x.header() == null ? 1 : 0);
                if (x.json() == null && x.header() == null && x.regex() == null) {
                    problem("probe: " + x.probe(), "a version extractor needs json, header or regex");
                } else if (x.json() != null && (x.header() != null || x.regex() != null) || kinds > 2) {
                    problem("probe: " + x.probe(), "a version extractor takes json, or header (with an optional regex), or regex");
                }
                checkPart(x.part());
                if (x.base64() != null && x.regex() == null) {
                    problem("probe: " + x.probe(), "base64 decodes what a regex captured: give the regex too");
                }
                if (x.json() != null && !x.json().isEmpty() && !x.json().startsWith("/")) {
                    problem(x.json(), "json paths are JSON Pointers: '' or starting with '/'");
                }
            }
            for (Rule.Auth a : nz(r.auth())) {
                if (!"none".equals(a.state()) && !"required".equals(a.state())) {
                    problem("state:", "auth state must be none or required");
                }
                if (a.detail() == null || !DETAILS.contains(a.detail())) {
                    problem("detail:", "auth detail must be one of " + new java.util.TreeSet<>(DETAILS));
                }
                checkCondition(a.condition());
                checkMatchers(a.match(), probes, true);
                if (a.severity() != null && !Risk.SEVERITIES.contains(a.severity())) {
                    problem("severity", "an auth state's severity must be one of " + Risk.SEVERITIES);
                }
            }
            Rule.RiskSpec risk = r.risk();
            if (risk == null) {
                problem("id:", "risk is required");
            } else {
                if (!Risk.SEVERITIES.contains(String.valueOf(risk.severity()))) {
                    problem("risk", "risk severity must be one of " + Risk.SEVERITIES);
                }
                if (risk.protectedSeverity() != null && !Risk.SEVERITIES.contains(risk.protectedSeverity())) {
                    problem("protected-severity", "protected-severity must be one of " + Risk.SEVERITIES);
                }
                for (String i : nz(risk.impacts())) {
                    if (!IMPACTS.contains(i)) {
                        problem(i, "unknown impact '" + i + "'; one of " + new java.util.TreeSet<>(IMPACTS));
                    }
                }
                if (risk.summary() == null || risk.summary().isBlank()) {
                    problem("risk", "risk summary is required");
                }
            }
            if (VersionScheme.of(r.versionScheme()) == null) {
                problem("version-scheme", "unknown version-scheme '" + r.versionScheme() + "'; one of "
                        + java.util.Arrays.stream(VersionScheme.values()).map(VersionScheme::key).toList());
            }
        }

        void checkProbe(String name, Rule.Probe p) {
            int kinds = (p.path() != null ? 1 : 0) + (p.send() != null ? 1 : 0) + (Boolean.TRUE.equals(p.banner()) ? 1 : 0);
            if (kinds != 1) {
                problem(name + ":", "probe '" + name + "' needs exactly one of path, send or banner: true");
                return;
            }
            if (p.path() != null) {
                String near = name + ": {path: " + p.path();
                if (!p.path().startsWith("/") || p.path().chars().anyMatch(c -> c <= ' ' || c == 127)) {
                    problem(near, "probe '" + name + "': a path starts with '/' and has no spaces or control characters");
                }
                String why = safety.forbidden(p.path());
                if (why != null) {
                    problem(near, "probe '" + name + "': GET " + p.path() + " is forbidden by the safety policy: " + why);
                }
            }
            if (p.send() != null && !safety.rawAllowed(p.send())) {
                problem("send:", "probe '" + name + "': raw payload not in the safety policy's raw-payloads list");
            }
        }

        void checkProbeRef(String probe, Map<String, Rule.Probe> probes, boolean afterIdentifyAllowed) {
            if (probe == null || !probes.containsKey(probe)) {
                problem("probe: " + probe, "unknown probe '" + probe + "'; defined: " + probes.keySet());
            } else if (!afterIdentifyAllowed && Boolean.TRUE.equals(probes.get(probe).afterIdentify())) {
                problem("probe: " + probe, "probe '" + probe + "' is sent only after identification, so identify cannot use it");
            }
        }

        void checkMatchers(List<Rule.Matcher> ms, Map<String, Rule.Probe> probes, boolean afterIdentifyAllowed) {
            if (nz(ms).isEmpty()) {
                problem("match", "a match list needs at least one matcher");
            }
            for (Rule.Matcher m : nz(ms)) {
                checkProbeRef(m.probe(), probes, afterIdentifyAllowed);
                boolean any = m.status() != null || m.words() != null || m.anyWords() != null || m.equals() != null
                        || m.regex() != null || m.header() != null || m.json() != null;
                if (!any) {
                    problem("probe: " + m.probe(), "a matcher needs at least one check (status, words, any-words, equals, regex, header, json)");
                }
                checkPart(m.part());
                for (Rule.JsonCheck j : nz(m.json())) {
                    if (j.path() == null || !j.path().startsWith("/") && !j.path().isEmpty()) {
                        problem(String.valueOf(j.path()), "json paths are JSON Pointers: '' or starting with '/'");
                    }
                    if (j.type() != null && !Set.of("object", "array", "string", "number", "boolean", "null").contains(j.type())) {
                        problem(j.type(), "json type must be object, array, string, number, boolean or null");
                    }
                }
                if (m.header() != null && (m.header().name() == null || m.header().name().isBlank())) {
                    problem("header", "a header check needs a name");
                }
            }
        }

        void checkPart(String part) {
            if (part != null && !PARTS.contains(part)) {
                problem("part:", "part must be body, headers or all");
            }
        }

        void checkCondition(String c) {
            if (c != null && !c.equals("and") && !c.equals("or")) {
                problem("condition", "condition must be and or or");
            }
        }

        static <T> List<T> nz(List<T> l) {
            return l == null ? List.of() : l;
        }
    }
}
