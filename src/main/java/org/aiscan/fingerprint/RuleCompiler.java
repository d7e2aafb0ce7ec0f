package org.aiscan.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.aiscan.grab.Request;
import org.aiscan.model.Risk;
import org.jspecify.annotations.Nullable;

/**
 * Checks a rule file as written and compiles it into a {@link Rule}: probes become requests, matcher
 * fields become typed checks, parts, conditions and confidences become enums, JSON pointers are split,
 * defaults are applied. Every problem names the line of the element that is wrong (the alternative,
 * the matcher, the extractor), not the first line that happens to hold the same key.
 */
final class RuleCompiler {
    static final Set<String> IMPACTS = Set.of("free-inference", "gpu-theft", "code-execution", "data-access", "takeover",
            "credential-exposure", "recon", "known-cve", "model-tampering");
    static final Set<String> JSON_TYPES = Set.of("object", "array", "string", "number", "boolean", "null");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern UNIT_WORD = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final RuleFile f;
    private final Map<Object, Integer> lines;
    private final String text;
    private final String label;
    private final String fileName;
    private final SafetyPolicy safety;
    private final List<RuleProblem> problems;
    private final Map<String, Rule.Probe> probes = new LinkedHashMap<>();
    private int found;

    private RuleCompiler(RuleFile f, Map<Object, Integer> lines, String text, String label, String fileName, SafetyPolicy safety,
                         List<RuleProblem> problems) {
        this.f = f;
        this.lines = lines;
        this.text = text;
        this.label = label;
        this.fileName = fileName;
        this.safety = safety;
        this.problems = problems;
    }

    /**
     * The compiled rule, or null when the file has a problem; each problem is added to {@code problems}.
     *
     * @param lines where each located part of {@code f} starts (from the reader)
     * @param text the file's text, for the lines of top-level keys
     */
    static @Nullable Rule compile(RuleFile f, Map<Object, Integer> lines, String text, String label, String fileName, SafetyPolicy safety,
                        List<RuleProblem> problems) {
        return new RuleCompiler(f, lines, text, label, fileName, safety, problems).compile();
    }

    private void problem(int line, String message) {
        problems.add(new RuleProblem(label, Math.max(1, line), message));
        found++;
    }

    /** The line of a top-level key ({@code ports:}) in the file. */
    private int keyLine(String key) {
        return RuleLoader.lineOf(text, key);
    }

    private int lineOf(Object part) {
        Integer l = lines.get(part);
        return l == null ? 1 : l;
    }

    private @Nullable Rule compile() {
        if (f.id() == null || !ID.matcher(f.id()).matches()) {
            problem(keyLine("id:"), "id must be lower-case letters, digits and dashes");
            return null;
        }
        String base = fileName.replaceAll("\\.ya?ml$", "");
        if (!base.equals(f.id())) {
            problem(keyLine("id:"), "id '" + f.id() + "' does not match the file name '" + fileName + "'");
        }
        if (f.name() == null || f.name().isBlank()) {
            problem(keyLine("id:"), "name is required");
        }
        Rule.Category category = f.category() == null ? null : Rule.Category.of(f.category());
        if (category == null) {
            problem(keyLine("category"), "category must be one of " + keys(Rule.Category.values(), c -> ((Rule.Category) c).key()));
        }
        Rule.Kind kind = f.kind() == null ? (category == Rule.Category.GENERIC ? Rule.Kind.GENERIC : Rule.Kind.PRODUCT) : Rule.Kind.of(f.kind());
        if (kind == null) {
            problem(keyLine("kind:"), "kind must be one of " + keys(Rule.Kind.values(), k -> ((Rule.Kind) k).key()));
        }
        if (f.priority() == null) {
            problem(keyLine("id:"), "priority is required (higher wins a tie between rules of one kind)");
        }
        List<Integer> ports = new ArrayList<>();
        for (Integer p : nz(f.ports())) {
            if (p == null || p < 1 || p > 65535) {
                problem(keyLine("ports"), "ports must be 1-65535");
            } else if (!ports.contains(p)) {
                ports.add(p);
            }
        }
        for (String u : nz(f.units())) {
            if (u == null || !UNIT_WORD.matcher(u).matches()) {
                problem(keyLine("units"), "units are lower-case words of systemd unit names (letters, digits, '.', '_', '-')");
            }
        }
        Map<String, RuleFile.Probe> written = f.probes() == null ? Map.of() : f.probes();
        if (written.isEmpty()) {
            problem(keyLine("probes"), "at least one probe is required");
        }
        written.forEach(this::probe);
        List<Rule.Alternative> identify = new ArrayList<>();
        if (nz(f.identify()).isEmpty()) {
            problem(keyLine("identify"), "at least one identify alternative is required");
        }
        int n = 0;
        for (RuleFile.Identify alt : nz(f.identify())) {
            String where = "identify[" + n++ + "]" + (alt.note() == null ? "" : " (" + alt.note() + ")");
            Rule.Confidence c = alt.confidence() == null ? null : Rule.Confidence.of(alt.confidence());
            if (c == null) {
                problem(lineOf(alt), where + ": confidence must be high, medium or low");
            }
            Rule.Condition cond = condition(alt.condition(), lineOf(alt), where);
            List<Matcher> ms = matchers(alt.match(), lineOf(alt), where, false);
            identify.add(new Rule.Alternative(c, cond, ms, alt.note()));
        }
        List<Extractor> version = new ArrayList<>();
        for (RuleFile.Extract x : nz(f.version())) {
            Extractor e = extractor(x);
            if (e != null) {
                version.add(e);
            }
        }
        List<Rule.AuthState> auth = new ArrayList<>();
        n = 0;
        for (RuleFile.Auth a : nz(f.auth())) {
            String where = "auth[" + n++ + "]";
            int line = lineOf(a);
            Rule.Access access = a.state() == null ? null : Rule.Access.of(a.state());
            if (access == null) {
                problem(line, where + ": auth state must be none, required or unknown");
            }
            Rule.AuthDetail d = a.detail() == null ? null : Rule.AuthDetail.of(a.detail());
            if (access == Rule.Access.UNKNOWN) {
                if (a.detail() != null || a.evidence() == null) {
                    problem(line, where + ": an unknown auth state has no detail, and its evidence says why it cannot be decided");
                }
            } else if (d == null) {
                problem(line, where + ": auth detail must be one of " + keys(Rule.AuthDetail.values(), x -> ((Rule.AuthDetail) x).key()));
            }
            if (a.severity() != null && !Risk.SEVERITIES.contains(a.severity())) {
                problem(line, where + ": an auth state's severity must be one of " + Risk.SEVERITIES);
            }
            Rule.Condition cond = condition(a.condition(), line, where);
            List<Matcher> ms = matchers(a.match(), line, where, true);
            auth.add(new Rule.AuthState(access, d, cond, ms, a.evidence(), a.severity(), a.summary()));
        }
        List<Rule.Exposure> exposes = new ArrayList<>();
        for (RuleFile.Expose x : nz(f.exposes())) {
            int line = lineOf(x);
            Rule.Probe p = probeRef(x.probe(), line, "exposes " + x.what(), true);
            JsonPath path = JsonPath.parse(x.json());
            if (x.what() == null || x.what().isBlank()) {
                problem(line, "exposes: 'what' names what is disclosed (models, …)");
            }
            if (path == null) {
                problem(line, "exposes " + x.what() + ": json is a JSON Pointer: '' or starting with '/'");
            }
            if (p != null && path != null) {
                exposes.add(new Rule.Exposure(x.what(), p, path));
            }
        }
        Rule.RiskSpec risk = risk(f.risk());
        VersionScheme scheme = VersionScheme.of(f.versionScheme());
        if (scheme == null) {
            problem(keyLine("version-scheme"), "unknown version-scheme '" + f.versionScheme() + "'; one of "
                    + Arrays.stream(VersionScheme.values()).map(VersionScheme::key).toList());
        }
        if (found > 0) {
            return null;
        }
        return new Rule(f.id(), f.name(), category, kind, f.priority(), ports, nz(f.units()), probes, identify, version, auth, exposes, risk,
                scheme, nz(f.references()));
    }

    private void probe(String name, RuleFile.Probe p) {
        int line = lineOf(p);
        int kinds = (p.path() != null ? 1 : 0) + (p.send() != null ? 1 : 0) + (Boolean.TRUE.equals(p.banner()) ? 1 : 0);
        if (kinds != 1) {
            problem(line, "probe '" + name + "' needs exactly one of path, send or banner: true");
            return;
        }
        Request req;
        if (p.path() != null) {
            if (!p.path().startsWith("/") || p.path().chars().anyMatch(c -> c <= ' ' || c == 127)) {
                problem(line, "probe '" + name + "': a path starts with '/' and has no spaces or control characters");
                return;
            }
            String why = safety.forbidden(p.path());
            if (why != null) {
                problem(line, "probe '" + name + "': GET " + p.path() + " is forbidden by the safety policy: " + why);
                return;
            }
            req = Request.get(p.path());
        } else if (p.send() != null) {
            if (!safety.rawAllowed(p.send())) {
                problem(line, "probe '" + name + "': raw payload not in the safety policy's raw-payloads list");
                return;
            }
            req = Request.raw(p.send());
        } else {
            req = Request.banner();
        }
        probes.put(name, new Rule.Probe(name, req, Boolean.TRUE.equals(p.afterIdentify()), Boolean.TRUE.equals(p.portOnly())));
    }

    private Rule.@Nullable Probe probeRef(@Nullable String name, int line, String where, boolean afterIdentifyAllowed) {
        if (name == null || !probes.containsKey(name)) {
            if (name == null || f.probes() == null || !f.probes().containsKey(name)) { // a probe that failed has said so already
                problem(line, where + ": unknown probe '" + name + "'; defined: " + (f.probes() == null ? "[]" : f.probes().keySet()));
            }
            return null;
        }
        Rule.Probe p = probes.get(name);
        if (!afterIdentifyAllowed && p.afterIdentify()) {
            problem(line, where + ": probe '" + name + "' is sent only after identification, so identify cannot use it");
        }
        return p;
    }

    private Rule.Condition condition(@Nullable String c, int line, String where) {
        if (c == null || c.equals("and")) {
            return Rule.Condition.AND;
        }
        if (c.equals("or")) {
            return Rule.Condition.OR;
        }
        problem(line, where + ": condition must be and or or");
        return Rule.Condition.AND;
    }

    private List<Matcher> matchers(List<RuleFile.Matcher> written, int altLine, String where, boolean afterIdentifyAllowed) {
        List<Matcher> out = new ArrayList<>();
        if (nz(written).isEmpty()) {
            problem(altLine, where + ": a match list needs at least one matcher");
        }
        int i = 0;
        for (RuleFile.Matcher m : nz(written)) {
            String here = where + " matcher " + i++;
            int line = lineOf(m);
            Rule.Probe p = probeRef(m.probe(), line, here, afterIdentifyAllowed);
            Part part = Part.of(m.part());
            if (part == null) {
                problem(line, here + ": part must be body, headers or all");
                part = Part.BODY;
            }
            boolean ci = Boolean.TRUE.equals(m.caseInsensitive());
            List<Matcher.Check> checks = new ArrayList<>();
            if (m.status() != null) {
                checks.add(new Matcher.Status(Set.copyOf(m.status())));
            }
            if (m.words() != null) {
                checks.add(new Matcher.Contains(part, ci ? lower(m.words()) : m.words(), ci));
            }
            if (m.anyWords() != null) {
                checks.add(new Matcher.ContainsAny(part, ci ? lower(m.anyWords()) : m.anyWords(), ci));
            }
            if (m.equals() != null) {
                checks.add(new Matcher.Equals(part, ci ? m.equals().toLowerCase(Locale.ROOT).trim() : m.equals().trim(), ci));
            }
            if (m.regex() != null) {
                checks.add(new Matcher.Matches(part, m.regex().pattern()));
            }
            if (m.header() != null) {
                RuleFile.HeaderCheck h = m.header();
                if (h.name() == null || h.name().isBlank()) {
                    problem(line, here + ": a header check needs a name");
                } else {
                    checks.add(new Matcher.Header(h.name().toLowerCase(Locale.ROOT), lower(nz(h.words())),
                            h.regex() == null ? null : h.regex().pattern(), Boolean.TRUE.equals(h.absent())));
                }
            }
            for (RuleFile.JsonCheck j : nz(m.json())) {
                Matcher.Json json = json(j, here);
                if (json != null) {
                    checks.add(json);
                }
            }
            if (checks.isEmpty() && m.header() == null) {
                problem(line, here + ": a matcher needs at least one check (status, words, any-words, equals, regex, header, json)");
            }
            if (p != null) {
                out.add(new Matcher(p, checks, Boolean.TRUE.equals(m.negative())));
            }
        }
        return out;
    }

    private Matcher.@Nullable Json json(RuleFile.JsonCheck j, String where) {
        int line = lineOf(j);
        JsonPath path = JsonPath.parse(j.path());
        if (path == null) {
            problem(line, where + ": json path '" + j.path() + "' is not a JSON Pointer ('' or starting with '/')");
            return null;
        }
        if (j.type() != null && !JSON_TYPES.contains(j.type())) {
            problem(line, where + ": json type must be one of " + new TreeSet<>(JSON_TYPES));
            return null;
        }
        boolean tests = j.equals() != null || j.regex() != null || j.type() != null || j.keys() != null || j.onlyKeys() != null;
        if (Boolean.TRUE.equals(j.absent())) {
            if (tests || Boolean.TRUE.equals(j.exists())) {
                problem(line, where + ": json 'absent' stands alone at its path");
                return null;
            }
            return new Matcher.Json(path, new Matcher.Absent());
        }
        if (!tests && !Boolean.TRUE.equals(j.exists())) {
            problem(line, where + ": json check at " + path + " tests nothing (exists, absent, equals, regex, type, keys, only-keys)");
            return null;
        }
        return new Matcher.Json(path, new Matcher.Node(j.equals(), j.regex() == null ? null : j.regex().pattern(), j.type(), j.keys(),
                j.onlyKeys()));
    }

    private @Nullable Extractor extractor(RuleFile.Extract x) {
        int line = lineOf(x);
        String where = "version from " + x.probe();
        Rule.Probe p = probeRef(x.probe(), line, where, true);
        if (x.json() == null && x.header() == null && x.regex() == null) {
            problem(line, where + ": a version extractor needs json, header or regex");
            return null;
        }
        if (x.json() != null && (x.header() != null || x.regex() != null)) {
            problem(line, where + ": a version extractor takes json, or header (with an optional regex), or regex");
            return null;
        }
        if (x.base64() != null && (x.regex() == null || x.header() != null)) {
            problem(line, where + ": base64 decodes what a regex over the text captured: give that regex");
            return null;
        }
        Part part = Part.of(x.part());
        if (part == null) {
            problem(line, where + ": part must be body, headers or all");
            return null;
        }
        Extractor.Source source;
        if (x.json() != null) {
            JsonPath path = JsonPath.parse(x.json());
            if (path == null) {
                problem(line, where + ": json paths are JSON Pointers: '' or starting with '/'");
                return null;
            }
            source = new Extractor.AtJson(path);
        } else if (x.header() != null) {
            source = new Extractor.InHeader(x.header().toLowerCase(Locale.ROOT), x.regex() == null ? null : x.regex().pattern());
        } else {
            source = new Extractor.InText(part, x.regex().pattern(), x.base64() == null ? null : x.base64().pattern());
        }
        return p == null ? null : new Extractor(p, source, x.strip() == null ? "" : x.strip());
    }

    private Rule.@Nullable RiskSpec risk(RuleFile.@Nullable RiskSpec risk) {
        if (risk == null) {
            problem(keyLine("id:"), "risk is required");
            return null;
        }
        int line = lineOf(risk);
        if (!Risk.SEVERITIES.contains(String.valueOf(risk.severity()))) {
            problem(line, "risk severity must be one of " + Risk.SEVERITIES);
        }
        if (risk.protectedSeverity() != null && !Risk.SEVERITIES.contains(risk.protectedSeverity())) {
            problem(line, "protected-severity must be one of " + Risk.SEVERITIES);
        }
        for (String i : nz(risk.impacts())) {
            if (!IMPACTS.contains(i)) {
                problem(line, "unknown impact '" + i + "'; one of " + new TreeSet<>(IMPACTS));
            }
        }
        if (risk.summary() == null || risk.summary().isBlank()) {
            problem(line, "risk summary is required");
        }
        return new Rule.RiskSpec(risk.severity(), nz(risk.impacts()), risk.summary() == null ? "" : risk.summary(),
                risk.protectedSeverity() == null ? "low" : risk.protectedSeverity());
    }

    private static List<String> lower(List<String> words) {
        return words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
    }

    private static <T> String keys(T[] values, java.util.function.Function<Object, String> key) {
        return new TreeSet<>(Arrays.stream(values).map(key).toList()).toString();
    }

    static <T> List<T> nz(@Nullable List<T> l) {
        return l == null ? List.of() : l;
    }
}
