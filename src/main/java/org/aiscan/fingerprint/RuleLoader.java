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
import org.aiscan.model.CannotProceedException;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.TextLines;
import org.aiscan.model.Utf8;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code fingerprints/*.yaml} and {@code safety.yaml} from a rules folder (or the packaged
 * copy) strictly: unknown keys, wrong types and bad regexes fail at their line, and every rule is
 * checked for consistency (ids, probe references, allowed values, version ranges, safety).
 */
public final class RuleLoader {
    static final String HOME_DIR = "rulesets";
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .addModule(RuleFile.Lines.module())
            .build();

    /** Rules and problems; a ruleset is usable only when {@code problems} is empty. */
    public record Result(Ruleset ruleset, List<RuleProblem> problems, int files) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private RuleLoader() {
    }

    /** Where rule files are read from: a folder, or the copy packaged in the jar. */
    private interface Source {
        /** The file names in a sub-folder (fingerprints, cves), sorted; empty when it is absent. */
        List<String> list(String folder) throws IOException;

        /** A file's text, or null when it does not exist. */
        @Nullable String read(String relative) throws IOException;

        /** How a file is named in problems. */
        String label(String relative);
    }

    /** Loads a rules folder ({@code DIR/fingerprints/*.yaml} and {@code DIR/safety.yaml}). */
    public static Result load(Path dir) throws IOException {
        if (!Files.isDirectory(dir.resolve("fingerprints"))) {
            return new Result(new Ruleset(List.of(), emptyPolicy(), CveCatalog.empty()),
                    List.of(new RuleProblem(dir.toString(), 0, "no fingerprints/ folder here")), 0);
        }
        return load(new Source() {
            @Override
            public List<String> list(String folder) throws IOException {
                Path d = dir.resolve(folder);
                if (!Files.isDirectory(d)) {
                    return List.of();
                }
                try (Stream<Path> s = Files.list(d)) {
                    return s.map(p -> p.getFileName().toString()).sorted().toList();
                }
            }

            @Override
            public @Nullable String read(String relative) throws IOException {
                Path f = dir.resolve(relative);
                return Files.isRegularFile(f) ? Utf8.read(f, f.toString()) : null;
            }

            @Override
            public String label(String relative) {
                return dir.resolve(relative).toString();
            }
        });
    }

    /** Loads the rules of the aiscan home folder, or the copy packaged in the jar. */
    public static Result loadDefault() throws IOException {
        if (AiscanHome.home().isPresent() && Files.isDirectory(AiscanHome.home().get().resolve(HOME_DIR + "/fingerprints"))) {
            return load(AiscanHome.home().get().resolve(HOME_DIR));
        }
        return load(new Source() {
            @Override
            public List<String> list(String folder) {
                return AiscanHome.list(HOME_DIR + "/" + folder).stream().sorted().toList();
            }

            @Override
            public @Nullable String read(String relative) throws IOException {
                if (!AiscanHome.exists(HOME_DIR + "/" + relative)) {
                    return null;
                }
                try (InputStream in = AiscanHome.open(HOME_DIR + "/" + relative)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }

            @Override
            public String label(String relative) {
                return relative.startsWith("fingerprints/") ? relative.substring("fingerprints/".length()) : relative;
            }
        });
    }

    private static Result load(Source src) throws IOException {
        List<RuleProblem> problems = new ArrayList<>();
        String safetyText = src.read("safety.yaml");
        SafetyPolicy safety = null;
        if (safetyText == null) {
            problems.add(new RuleProblem(src.label("safety.yaml"), 0, "missing: the safety policy is required"));
        } else {
            safety = readSafety(safetyText, src.label("safety.yaml"), problems);
        }
        if (safety == null) {
            safety = emptyPolicy();
        }
        List<String> names = src.list("fingerprints").stream().filter(n -> n.endsWith(".yaml") || n.endsWith(".yml")).toList();
        List<Rule> rules = new ArrayList<>();
        for (String name : names) {
            Rule r = readRule(src.read("fingerprints/" + name), src.label("fingerprints/" + name), name, safety, problems);
            if (r != null) {
                rules.add(r);
            }
        }
        checkDuplicates(rules, problems);
        List<CveCatalog.Advisory> advisories = new ArrayList<>();
        java.util.Map<String, String> texts = new java.util.HashMap<>();
        for (String name : src.list(CVE_DIR)) {
            if (name.endsWith(".json")) {
                String text = src.read(CVE_DIR + "/" + name);
                texts.put(name.replaceFirst("\\.json$", ""), text);
                advisories.addAll(readCves(text, src.label(CVE_DIR + "/" + name), name, problems));
            }
        }
        Set<String> attempted = new HashSet<>();
        names.forEach(n -> attempted.add(n.replaceFirst("\\.ya?ml$", "")));
        CveCatalog catalog = checkCves(advisories, rules, attempted, texts, problems);
        String packages = src.read(CVE_DIR + "/" + PACKAGES);
        if (packages != null) {
            catalog = new CveCatalog(catalog.all(), releaseLines(packages, src.label(CVE_DIR + "/" + PACKAGES), rules, problems));
        }
        return new Result(new Ruleset(rules, safety, catalog), problems, names.size());
    }

    /** The folder, next to fingerprints/, of OSV files: one per service, {@code <service>.json}. */
    public static final String CVE_DIR = "cves";

    /** The package map of the catalog folder (see {@link OsvImport.Package}). */
    public static final String PACKAGES = "packages.yaml";

    /**
     * The release lines {@code packages.yaml} gives where one service is several packages
     * ({@code reports: ">= 4, < 7"}), each bound read in the service's version scheme.
     */
    static Map<String, List<CveCatalog.Line>> releaseLines(String text, String label, List<Rule> rules, List<RuleProblem> problems) {
        List<OsvImport.Package> packages;
        try {
            packages = OsvImport.readPackages(text, label);
        } catch (IOException | InvalidInputException e) {
            problems.add(new RuleProblem(label, 0, e.getMessage().lines().findFirst().orElse("unreadable")));
            return Map.of();
        }
        java.util.Map<String, List<CveCatalog.Line>> out = new java.util.TreeMap<>();
        for (OsvImport.Package p : packages) {
            if (p.reports() == null) {
                continue;
            }
            Rule r = rules.stream().filter(x -> x.id().equals(p.service())).findFirst().orElse(null);
            List<CveCatalog.Interval> stretches = r == null ? null : stretches(p.reports(), r.scheme());
            if (stretches == null) {
                problems.add(new RuleProblem(label, lineOf(text, p.reports()), p.name() + ": " + (r == null ? "no fingerprint rule has the id '"
                        + p.service() + "'" : "reports '" + p.reports() + "' is not a range of " + r.scheme().key()
                        + " versions such as '>= 4, < 7' (stretches joined by ||)")));
                continue;
            }
            out.computeIfAbsent(p.service(), k -> new ArrayList<>()).add(new CveCatalog.Line(OsvImport.key(p.ecosystem(), p.name()), p.name(),
                    stretches));
        }
        return out;
    }

    /** {@code >= 4, < 7 || >= 9}: each stretch a lower bound (>=), an upper (< or <=), or both; null when unreadable. */
    static @Nullable List<CveCatalog.Interval> stretches(String text, VersionScheme scheme) {
        List<CveCatalog.Interval> out = new ArrayList<>();
        for (String part : text.split("\\|\\|")) {
            String lo = null;
            String hi = null;
            String last = null;
            for (String c : part.split(",")) {
                java.util.regex.Matcher m = Pattern.compile("\\s*(>=|<=|<)\\s*(\\S+)\\s*").matcher(c);
                if (!m.matches() || scheme.bound(m.group(2)) == null) {
                    return null;
                }
                switch (m.group(1)) {
                    case ">=" -> lo = m.group(2);
                    case "<" -> hi = m.group(2);
                    default -> last = m.group(2);
                }
            }
            if (lo == null && hi == null && last == null || hi != null && last != null) {
                return null;
            }
            out.add(new CveCatalog.Interval(lo, hi, last));
        }
        return out;
    }

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

    /**
     * The rules of {@code dir}, or the installed ones when it is null, for a command that needs all of
     * them: a ruleset with problems is refused, naming the first. Problems in the user's folder are
     * input to fix (exit 2); problems in the installed rules are a broken installation (exit 1).
     */
    public static Ruleset usable(@Nullable Path dir) throws IOException {
        Result r = dir == null ? loadDefault() : load(dir);
        if (!r.ok()) {
            String why = "the fingerprint rules have " + r.problems().size() + " problem(s), first: "
                    + r.problems().get(0) + "; run 'aiscan rules lint' for all of them";
            throw dir == null ? new CannotProceedException(why) : new InvalidInputException(why);
        }
        return r.ruleset();
    }

    static SafetyPolicy emptyPolicy() {
        return new SafetyPolicy(List.of(), List.of(), List.of());
    }

    static @Nullable SafetyPolicy readSafety(String text, String label, List<RuleProblem> problems) {
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

    static @Nullable Rule readRule(String text, String label, String fileName, SafetyPolicy safety, List<RuleProblem> problems) {
        RuleFile f;
        java.util.Map<Object, Integer> lines = RuleFile.Lines.newMap();
        try {
            f = YAML.readerFor(RuleFile.class).withAttribute(RuleFile.Lines.ATTRIBUTE, lines).readValue(text);
        } catch (JsonProcessingException e) {
            problems.add(fromJackson(label, e));
            return null;
        }
        if (f == null) {
            problems.add(new RuleProblem(label, 1, "empty file"));
            return null;
        }
        return RuleCompiler.compile(f, lines, text, label, fileName, safety, problems);
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
    static int lineOf(String text, @Nullable String needle) {
        return needle == null ? 1 : Math.max(1, TextLines.lineOf(text, needle, 0));
    }
}
