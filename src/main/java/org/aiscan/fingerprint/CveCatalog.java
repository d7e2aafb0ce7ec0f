package org.aiscan.fingerprint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.aiscan.model.CveMatch;
import org.jspecify.annotations.Nullable;

/**
 * Known vulnerabilities as data: OSV records (the format of osv.dev and the GitHub Advisory
 * Database), one JSON file per product in {@code rulesets/cves/<service>.json} holding an array of
 * records. aiscan reads, per record: {@code id}, {@code aliases}, {@code summary},
 * {@code affected[].ranges[].events} ({@code introduced}, {@code fixed}, {@code last_affected},
 * {@code limit}) and {@code affected[].versions}, the severity from
 * {@code database_specific.severity}, and its own {@code database_specific.aiscan}: {@code service}
 * (the fingerprint rule's id), {@code source} (where the range comes from) and {@code checked} (the
 * advisory it was checked against, or false).
 */
public final class CveCatalog {
    /** Severities in the order the report ranks them. */
    public static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low");
    private static final Pattern ID = Pattern.compile("(CVE-\\d{4}-\\d{4,}|GHSA(-[a-z0-9]{4}){3}|PYSEC-\\d{4}-\\d+|[A-Z][A-Z0-9]+-[A-Za-z0-9._-]+)");

    /**
     * One affected stretch: from {@code introduced} (null: from the first release) up to {@code fixed}
     * (exclusive) or {@code lastAffected} (inclusive); both null: every later release.
     */
    public record Interval(@Nullable String introduced, @Nullable String fixed, @Nullable String lastAffected) {
        /** The range as a person writes it: {@code >= 1.2.0, < 1.4.1}. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (introduced != null && !introduced.equals("0")) {
                parts.add(">= " + introduced);
            }
            if (fixed != null) {
                parts.add("< " + fixed);
            } else if (lastAffected != null) {
                parts.add("<= " + lastAffected);
            }
            return parts.isEmpty() ? "all versions" : String.join(", ", parts);
        }
    }

    /**
     * One advisory for one service.
     *
     * @param versions single affected versions listed by the record (besides the ranges)
     * @param source where the range comes from, in words
     * @param checked the advisory the range was checked against, or null when it was not
     * @param packages the packages the record names ({@code ecosystem:name}, as {@link OsvImport} keys
     *                 them); empty when it names none
     */
    public record Advisory(String id, List<String> aliases, String service, String severity, String summary, List<Interval> intervals,
                           List<String> versions, String source, @Nullable String checked, List<String> packages) {
        public Advisory {
            aliases = List.copyOf(aliases);
            intervals = List.copyOf(intervals);
            versions = List.copyOf(versions);
            packages = List.copyOf(packages);
        }

        /** Every affected stretch and listed version, joined by {@code ||}. */
        public String affected() {
            List<String> parts = new ArrayList<>();
            intervals.forEach(i -> parts.add(i.describe()));
            versions.forEach(v -> parts.add("= " + v));
            return String.join(" || ", parts);
        }
    }

    /** A problem in a record, for {@code aiscan rules lint}. */
    public record Problem(String file, @Nullable String id, String message) {
        @Override
        public String toString() {
            return file + (id == null ? "" : " " + id) + ": " + message;
        }
    }

    /**
     * The releases of one package a service's reported version can be: Jupyter's {@code /api} reports
     * the classic notebook's version (4 to 6) or jupyter-server's (0 to 2), and a record of one is
     * compared only with a version of its own line.
     *
     * @param packageKey {@code ecosystem:name} as {@link OsvImport} keys it
     * @param name the package's name, for a note
     */
    public record Line(String packageKey, String name, List<Interval> releases) {
        public Line {
            releases = List.copyOf(releases);
        }
    }

    private final Map<String, List<Advisory>> byService;
    private final Map<String, List<Line>> lines;

    public CveCatalog(Collection<Advisory> advisories) {
        this(advisories, Map.of());
    }

    /** {@code lines}: per service, the release lines of its packages where it is several. */
    public CveCatalog(Collection<Advisory> advisories, Map<String, List<Line>> lines) {
        Map<String, List<Advisory>> m = new LinkedHashMap<>();
        for (Advisory a : advisories) {
            m.computeIfAbsent(a.service(), k -> new ArrayList<>()).add(a);
        }
        m.values().forEach(l -> l.sort(Comparator.comparing(Advisory::id)));
        m.replaceAll((k, v) -> List.copyOf(v));
        this.byService = Map.copyOf(m);
        Map<String, List<Line>> l = new LinkedHashMap<>();
        lines.forEach((k, v) -> l.put(k, List.copyOf(v)));
        this.lines = Map.copyOf(l);
    }

    /** The release lines of {@code service}'s packages; empty when it is one package. */
    public List<Line> lines(String service) {
        return lines.getOrDefault(service, List.of());
    }

    /**
     * Which package's releases {@code version} is, in words, where {@code service} is several
     * packages: a note for the finding. Null when the service is one package or the version unread.
     */
    public @Nullable String readAs(String service, String version, VersionScheme scheme) {
        List<Line> ls = lines(service);
        Version v = scheme.reported(version);
        if (ls.isEmpty() || v == null) {
            return null;
        }
        List<String> in = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (Line l : ls) {
            all.add(l.name() + " (" + l.releases().stream().map(Interval::describe).reduce((a, b) -> a + " || " + b).orElse("") + ")");
            if (inside(l.releases(), v, scheme)) {
                in.add(l.name());
            }
        }
        return in.isEmpty()
                ? "version " + version + " is a release of none of " + String.join(", ", all) + ": their records were not compared"
                : "version " + version + " read as " + String.join(" or ", in) + "'s release (the lines are " + String.join(", ", all)
                        + "); records of the other packages were not compared";
    }

    public static CveCatalog empty() {
        return new CveCatalog(List.of());
    }

    public List<Advisory> forService(String service) {
        return byService.getOrDefault(service, List.of());
    }

    public List<Advisory> all() {
        return byService.values().stream().flatMap(List::stream).sorted(Comparator.comparing(Advisory::service)
                .thenComparing(Advisory::id)).toList();
    }

    public int size() {
        return byService.values().stream().mapToInt(List::size).sum();
    }

    /** The advisories whose ranges hold {@code version} of {@code service}, read in the product's scheme. */
    public List<CveMatch> matches(String service, String version, VersionScheme scheme) {
        Version v = scheme.reported(version);
        List<CveMatch> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        for (Advisory a : forService(service)) {
            if (ofLine(a, v, scheme) && affects(a, v, scheme)) {
                out.add(new CveMatch(a.id(), a.severity(), a.summary(), a.affected(), a.checked()));
            }
        }
        return out;
    }

    /**
     * Whether the record reads on the version's release line: it names no package with a line, or
     * one whose line holds {@code v}.
     */
    private boolean ofLine(Advisory a, Version v, VersionScheme scheme) {
        List<Line> ls = lines(a.service());
        if (ls.isEmpty() || a.packages().isEmpty()) {
            return true;
        }
        for (String p : a.packages()) {
            Line l = ls.stream().filter(x -> x.packageKey().equals(p)).findFirst().orElse(null);
            if (l == null || inside(l.releases(), v, scheme)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inside(List<Interval> stretches, Version v, VersionScheme scheme) {
        for (Interval i : stretches) {
            if (inside(i, v, scheme)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code v} lies in one of the advisory's stretches or is one of its listed versions. */
    public static boolean affects(Advisory a, Version v, VersionScheme scheme) {
        for (String listed : a.versions()) {
            Version l = scheme.bound(listed);
            if (l != null && l.compareTo(v) == 0) {
                return true;
            }
        }
        return inside(a.intervals(), v, scheme);
    }

    /** Whether {@code v} lies in the stretch, its bounds read in {@code scheme}. */
    static boolean inside(Interval i, Version v, VersionScheme scheme) {
        Version lo = i.introduced() == null || i.introduced().equals("0") ? null : scheme.bound(i.introduced());
        if (lo != null && v.compareTo(lo) < 0) {
            return false;
        }
        if (i.fixed() != null) {
            Version hi = scheme.bound(i.fixed());
            return hi != null && v.compareTo(hi) < 0;
        }
        if (i.lastAffected() != null) {
            Version hi = scheme.bound(i.lastAffected());
            return hi != null && v.compareTo(hi) <= 0;
        }
        return true;
    }

    /**
     * Reads the OSV records of one file (an array, or a single record). Problems are added to
     * {@code problems}; a record with one is left out. {@code service} is the file's own service id
     * (null for an import, where each record names or is mapped to its service).
     */
    public static List<Advisory> read(@Nullable JsonNode root, String file, String service, List<Problem> problems) {
        List<Advisory> out = new ArrayList<>();
        List<JsonNode> records = new ArrayList<>();
        if (root instanceof ArrayNode arr) {
            arr.forEach(records::add);
        } else if (root != null && root.isObject()) {
            records.add(root);
        } else {
            problems.add(new Problem(file, null, "not an OSV record or an array of them"));
            return out;
        }
        for (JsonNode r : records) {
            Advisory a = record(r, file, service, problems);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    private static @Nullable Advisory record(JsonNode r, String file, @Nullable String fileService, List<Problem> problems) {
        String id = text(r, "id");
        if (id == null || !ID.matcher(id).matches()) {
            problems.add(new Problem(file, id, "missing or malformed id"));
            return null;
        }
        JsonNode mine = r.path("database_specific").path("aiscan");
        String service = text(mine, "service");
        if (service == null) {
            service = fileService;
        } else if (fileService != null && !service.equals(fileService)) {
            problems.add(new Problem(file, id, "database_specific.aiscan.service is " + service + " in the file of " + fileService));
            return null;
        }
        if (service == null) {
            problems.add(new Problem(file, id, "no service: set database_specific.aiscan.service"));
            return null;
        }
        String severity = text(r.path("database_specific"), "severity");
        severity = severity == null ? null : severity.toLowerCase(Locale.ROOT).replace("moderate", "medium");
        if (severity == null || !SEVERITIES.contains(severity)) {
            problems.add(new Problem(file, id, "database_specific.severity must be one of critical, high, medium (moderate), low"));
            return null;
        }
        List<Interval> intervals = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        for (JsonNode aff : r.path("affected")) {
            String eco = text(aff.path("package"), "ecosystem");
            String name = text(aff.path("package"), "name");
            if (eco != null && name != null && !packages.contains(OsvImport.key(eco, name))) {
                packages.add(OsvImport.key(eco, name));
            }
            for (JsonNode range : aff.path("ranges")) {
                String type = text(range, "type");
                if (type != null && type.equals("GIT")) {
                    continue; // commit ranges cannot be judged from a reported version
                }
                if (!readEvents(range.path("events"), intervals)) {
                    problems.add(new Problem(file, id, "events must alternate introduced and fixed/last_affected"));
                    return null;
                }
            }
            for (JsonNode v : aff.path("versions")) {
                versions.add(v.asText());
            }
        }
        if (intervals.isEmpty() && versions.isEmpty()) {
            problems.add(new Problem(file, id, "no affected version range or version"));
            return null;
        }
        List<String> aliases = new ArrayList<>();
        r.path("aliases").forEach(x -> aliases.add(x.asText()));
        String source = text(mine, "source");
        if (source == null) {
            problems.add(new Problem(file, id, "database_specific.aiscan.source must say where the range comes from"));
            return null;
        }
        JsonNode checked = mine.path("checked");
        String check = checked.isTextual() ? checked.asText() : null;
        return new Advisory(id, aliases, service, severity, text(r, "summary"), intervals, versions, source, check, packages);
    }

    /** OSV events in order: introduced opens a stretch, fixed / last_affected / limit closes it. */
    private static boolean readEvents(JsonNode events, List<Interval> out) {
        String open = null;
        boolean inside = false;
        for (JsonNode e : events) {
            if (e.has("introduced")) {
                if (inside) {
                    out.add(new Interval(open, null, null));
                }
                open = e.get("introduced").asText();
                inside = true;
            } else if (e.has("fixed") || e.has("last_affected") || e.has("limit")) {
                if (!inside) {
                    return false;
                }
                String fixed = e.has("fixed") ? e.get("fixed").asText() : e.has("limit") ? e.get("limit").asText() : null;
                String last = e.has("last_affected") ? e.get("last_affected").asText() : null;
                out.add(new Interval(open, fixed, last));
                inside = false;
            }
        }
        if (inside) {
            out.add(new Interval(open, null, null));
        }
        return true;
    }

    private static @Nullable String text(@Nullable JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    /** The shared JSON reader (strict about duplicates, lenient about OSV fields aiscan does not use). */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
}
