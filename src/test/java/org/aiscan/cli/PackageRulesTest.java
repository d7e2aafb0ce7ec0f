package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §2 read from the sources: {@code model} depends on nothing ({@code model.audit} on model only); nothing depends on {@code
 * cli}; only {@code probe.syn} uses pcap4j; the stages do not reach backwards (probe → console, grab →
 * probe, report → target); the writers (report, remediate) read the model only ({@link #ONLY}); and the package
 * graph has no cycle. References count whether imported or
 * written fully qualified in code (comments and string literals are not code); a name of another
 * package is imported, never written out inline. Every package is {@code @NullMarked}.
 */
class PackageRulesTest {
    private static final Path MAIN = Path.of("src/main/java/org/aiscan");
    private static final Pattern REF = Pattern.compile("\\borg\\.aiscan\\.((?:[a-z][a-z0-9]*\\.)*[a-z][a-z0-9]*)\\.[A-Z]");
    private static final Pattern PCAP = Pattern.compile("\\borg\\.pcap4j\\.");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*(?:import|package)\\s[^;]*;");

    /**
     * Dependencies the pipeline forbids although they would make no cycle today: a stage does not
     * print (probe → console), the grabber does not reach into the prober (grab → probe), and a report
     * renders the model, not the target parser (report → target). A sub-package counts as its parent.
     */
    static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "probe", Set.of("console"),
            "grab", Set.of("probe"),
            "report", Set.of("target"));

    /**
     * Packages that may depend on these (top-level) packages only, besides their own sub-packages: the writers render the
     * model (model and model.audit: the scan, the audit's result, the diagnoses, the fixes) and find the install's files
     * (home); they do not reach into what computed it (audit, host, scan, probe, grab, target, fingerprint): what a
     * bundle needs of the host's firewall comes as the audit's {@code model.audit.HostSummary}.
     */
    static final Map<String, Set<String>> ONLY = Map.of(
            "report", Set.of("model", "home"),
            "remediate", Set.of("model", "home"));

    /** package -> the packages its code refers to; "" is the root (Main). */
    static Map<String, Set<String>> graph(Map<String, Set<String>> pcap) throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(MAIN)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            Path dir = MAIN.relativize(f).getParent();
            String pkg = dir == null ? "" : dir.toString().replace('/', '.');
            String code = code(Files.readString(f));
            Set<String> refs = g.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = REF.matcher(code);
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    refs.add(m.group(1));
                }
            }
            if (PCAP.matcher(code).find()) {
                pcap.computeIfAbsent(pkg, k -> new TreeSet<>()).add(f.getFileName().toString());
            }
        }
        return g;
    }

    /** The source without comments and string or character literals (text blocks included). */
    static String code(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? s.length() : end + 3;
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char q = s.charAt(i++);
                while (i < s.length() && s.charAt(i) != q) {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                b.append(s.charAt(i++));
            }
        }
        return b.toString();
    }

    @Test
    void theCodeStripperKeepsCodeAndDropsText() {
        String src = "import org.aiscan.model.A; // org.aiscan.cli.X\n/* org.aiscan.cli.Y */ String s = \"org.aiscan.cli.Z\\\"\"; "
                + "org.aiscan.report.B.run();";
        String c = code(src);
        assertTrue(c.contains("org.aiscan.model.A") && c.contains("org.aiscan.report.B"), c);
        assertTrue(!c.contains("cli"), c);
    }

    @Test
    void designSection2Holds() throws IOException {
        Map<String, Set<String>> pcap = new TreeMap<>();
        Map<String, Set<String>> g = graph(pcap);
        assertTrue(g.size() > 10 && g.get("cli").size() > 5, "the walk found the packages: " + g.keySet());
        assertEquals(Set.of(), g.get("model"), "model depends on nothing");
        assertEquals(Set.of("model"), g.get("model.audit"), "the audit's result depends on model only");
        List<String> onCli = new ArrayList<>();
        g.forEach((p, refs) -> {
            if (!p.equals("cli") && !p.isEmpty() && refs.contains("cli")) {
                onCli.add(p);
            }
        });
        assertEquals(List.of(), onCli, "nothing depends on cli (but Main)");
        assertEquals(Set.of("probe.syn"), pcap.keySet(), "only probe.syn uses pcap4j: " + pcap);
        List<String> cycle = cycle(g);
        assertEquals(List.of(), cycle, "the package graph has no cycle");
    }

    /**
     * Nullness is declared, not described: every package of src/main has a package-info.java that
     * is {@code @NullMarked} (JSpecify: what is not {@code @Nullable} is never null), and no package
     * doc says in prose what may or may not be null.
     */
    @Test
    void everyPackageIsNullMarked() throws IOException {
        List<String> unmarked = new ArrayList<>();
        List<String> prose = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(MAIN)) {
            dirs = s.filter(Files::isDirectory).toList();
        }
        for (Path d : dirs) {
            boolean hasCode;
            try (Stream<Path> s = Files.list(d)) {
                hasCode = s.anyMatch(f -> f.toString().endsWith(".java") && !f.endsWith("package-info.java"));
            }
            Path info = d.resolve("package-info.java");
            String pkg = MAIN.getParent().getParent().relativize(d).toString().replace('/', '.');
            if (!hasCode) {
                continue;
            }
            if (!Files.exists(info) || !NULL_MARKED.matcher(code(Files.readString(info))).find()) {
                unmarked.add(pkg);
            } else if (NULLNESS_PROSE.matcher(Files.readString(info)).find()) {
                prose.add(pkg);
            }
        }
        assertTrue(dirs.size() > 10, "the walk found the packages: " + dirs);
        assertEquals(List.of(), unmarked, "packages without @NullMarked in their package-info.java");
        assertEquals(List.of(), prose, "package docs describing nullness in prose: declare it with @Nullable instead");
    }

    private static final Pattern NULL_MARKED =
            Pattern.compile("@(?:org\\.jspecify\\.annotations\\.)?NullMarked\\s+package\\s");
    private static final Pattern NULLNESS_PROSE =
            Pattern.compile("(?i)\\b(?:may|might|can|could) be null\\b|\\bnever null\\b|\\bnon-?null\\b|\\bnot null\\b|\\bnullable\\b");

    @Test
    void aPackageWithoutNullMarkedIsFound() {
        assertTrue(NULL_MARKED.matcher(code("/** Doc. */\n@NullMarked\npackage org.aiscan.x;\n")).find());
        assertTrue(!NULL_MARKED.matcher(code("/** Doc. @NullMarked */\npackage org.aiscan.x;\n")).find());
        assertTrue(NULLNESS_PROSE.matcher("/** Its result may be null. */").find());
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of());
        List<String> c = cycle(g);
        assertTrue(c.size() == 4 && c.get(0).equals(c.get(3)), c.toString());
    }

    @Test
    void noStageReachesBackwards() throws IOException {
        List<String> wrong = wrongWay(graph(new TreeMap<>()));
        assertEquals(List.of(), wrong, "forbidden dependencies " + FORBIDDEN);
    }

    @Test
    void aWrongWayDependencyIsFound() {
        Map<String, Set<String>> g = Map.of("probe.syn", Set.of("console", "model"), "grab", Set.of("model"), "report", Set.of("target"));
        assertEquals(List.of("probe.syn -> console", "report -> target"), wrongWay(g));
    }

    @Test
    void theWritersDependOnTheModelOnly() throws IOException {
        assertEquals(List.of(), outside(graph(new TreeMap<>())), "dependencies outside " + ONLY);
    }

    @Test
    void aWriterReachingIntoTheAuditIsFound() {
        Map<String, Set<String>> g = Map.of("report", Set.of("model", "model.audit", "home"), "report.html", Set.of("audit", "report"),
                "remediate", Set.of("model"), "audit", Set.of("host", "model"));
        assertEquals(List.of("report.html -> audit"), outside(g));
    }

    /** Edges from a package of {@link #ONLY} (or a sub-package) to a package it does not allow, as "from -> to", sorted. */
    static List<String> outside(Map<String, Set<String>> g) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(g).forEach((p, refs) -> {
            Set<String> allowed = ONLY.get(top(p));
            if (allowed == null) {
                return;
            }
            for (String r : new TreeSet<>(refs)) {
                if (!top(r).equals(top(p)) && !allowed.contains(top(r))) {
                    out.add(p + " -> " + r);
                }
            }
        });
        return out;
    }

    /** Edges of the graph that {@link #FORBIDDEN} names, as "from -> to", sorted. */
    static List<String> wrongWay(Map<String, Set<String>> g) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(g).forEach((p, refs) -> {
            for (String r : new TreeSet<>(refs)) {
                if (FORBIDDEN.getOrDefault(top(p), Set.of()).contains(top(r))) {
                    out.add(p + " -> " + r);
                }
            }
        });
        return out;
    }

    private static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    @Test
    void namesOfOtherPackagesAreImportedNotWrittenInline() throws IOException {
        List<String> inline = new ArrayList<>();
        try (Stream<Path> s = Files.walk(MAIN)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Path dir = MAIN.relativize(f).getParent();
                String pkg = dir == null ? "" : dir.toString().replace('/', '.');
                for (String name : inlineNames(Files.readString(f), pkg)) {
                    inline.add(MAIN.relativize(f) + ": " + name);
                }
            }
        }
        assertEquals(List.of(), inline, "fully qualified names of another package written in code; import them");
    }

    @Test
    void anInlineNameIsFoundAndAnImportIsNot() {
        String src = "package org.aiscan.probe;\nimport org.aiscan.model.Address;\n// org.aiscan.console.Trace\n"
                + "class A { org.aiscan.model.Cidr c; org.aiscan.probe.Timing t; String s = \"org.aiscan.cli.X\"; }";
        assertEquals(List.of("org.aiscan.model.Cidr"), inlineNames(src, "probe"));
    }

    /** The fully qualified names of other packages' types written in the code of a file of {@code pkg}. */
    static List<String> inlineNames(String source, String pkg) {
        String code = IMPORT.matcher(code(source)).replaceAll("");
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(REF.pattern() + "\\w*").matcher(code);
        while (m.find()) {
            if (!m.group(1).equals(pkg)) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** One cycle as a path that ends where it starts, or empty. */
    static List<String> cycle(Map<String, Set<String>> g) {
        Map<String, Integer> state = new TreeMap<>();
        for (String start : new TreeSet<>(g.keySet())) {
            List<String> path = new ArrayList<>();
            List<String> found = dfs(start, g, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> dfs(String n, Map<String, Set<String>> g, Map<String, Integer> state, List<String> path) {
        Integer st = state.get(n);
        if (st != null && st == 2) {
            return List.of();
        }
        if (st != null && st == 1) {
            List<String> c = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
            c.add(n);
            return c;
        }
        state.put(n, 1);
        path.add(n);
        for (String m : new TreeSet<>(g.getOrDefault(n, Set.of()))) {
            List<String> c = dfs(m, g, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        state.put(n, 2);
        return List.of();
    }
}
