package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiscan.model.CveMatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vulnerability catalog (rulesets/cves/, OSV): every record loads, says where its range comes
 * from, and every range holds a version and leaves one out, read in its product's version scheme.
 */
class CveCatalogTest {
    static Ruleset rules;

    @BeforeAll
    static void load() throws Exception {
        RuleLoader.Result r = RuleLoader.load(Path.of("rulesets"));
        assertTrue(r.ok(), "rulesets load cleanly: " + r.problems());
        rules = r.ruleset();
    }

    @Test
    void moreThanSevenHundredRecordsEachNamingItsSource() {
        CveCatalog c = rules.cves();
        assertTrue(c.size() >= 700, "records: " + c.size());
        for (CveCatalog.Advisory a : c.all()) {
            assertNotNull(rules.get(a.service()), a.id());
            assertTrue(a.source() != null && a.source().length() > 10, a.id() + " has no source");
            assertTrue(CveCatalog.SEVERITIES.contains(a.severity()), a.id());
        }
    }

    private static final Pattern BUILD = Pattern.compile("^b(\\d+)(.*)$");

    /** Versions just below {@code v} to try, most natural first. */
    static List<String> below(String v) {
        List<String> out = new ArrayList<>();
        Matcher b = BUILD.matcher(v);
        if (b.matches()) {
            long n = Long.parseLong(b.group(1));
            out.add("b" + (n - 1));
            return out;
        }
        String num = v.replaceFirst("^[vV]", "").replaceFirst("[^0-9.].*$", "").replaceFirst("\\.$", "");
        String[] p = num.split("\\.");
        for (int i = p.length - 1; i >= 0; i--) {
            long x = Long.parseLong(p[i]);
            if (x > 0) {
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < p.length; j++) {
                    sb.append(j == 0 ? "" : ".").append(j < i ? p[j] : j == i ? String.valueOf(x - 1) : "999");
                }
                out.add(sb.toString());
                break;
            }
        }
        out.add(num + "rc0");
        out.add(num + ".dev0");
        return out;
    }

    /** Versions just above {@code v}. */
    static List<String> above(String v) {
        List<String> out = new ArrayList<>();
        Matcher b = BUILD.matcher(v);
        if (b.matches()) {
            out.add("b" + (Long.parseLong(b.group(1)) + 1));
            return out;
        }
        String num = v.replaceFirst("^[vV]", "").replaceFirst("[^0-9.].*$", "").replaceFirst("\\.$", "");
        String[] p = num.split("\\.");
        p[p.length - 1] = String.valueOf(Long.parseLong(p[p.length - 1]) + 1);
        out.add(String.join(".", p));
        out.add(num + ".1");
        return out;
    }

    /** The bound as a reported version: a Triton container release becomes the server version it ships. */
    static String reported(String bound, VersionScheme s) {
        Version v = s.bound(bound);
        return v == null ? bound : s == VersionScheme.TRITON ? v.toString() : bound;
    }

    static boolean affected(CveCatalog.Advisory a, String version, VersionScheme s) {
        Version v = s.reported(version);
        return v != null && CveCatalog.affects(a, v, s);
    }

    @Test
    void everyRangeHoldsAVersionAndLeavesOneOut() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (CveCatalog.Advisory a : rules.cves().all()) {
            VersionScheme s = rules.get(a.service()).scheme();
            List<String> outsideCandidates = new ArrayList<>();
            for (CveCatalog.Interval i : a.intervals()) {
                boolean fromStart = i.introduced() == null || i.introduced().equals("0");
                String lo = fromStart ? null : reported(i.introduced(), s);
                String hi = i.fixed() != null ? reported(i.fixed(), s) : i.lastAffected() != null ? reported(i.lastAffected(), s) : null;
                List<String> inside = new ArrayList<>();
                if (lo != null) {
                    inside.add(lo);
                    outsideCandidates.addAll(below(lo));
                }
                if (i.fixed() != null) {
                    inside.addAll(below(hi));
                    outsideCandidates.add(hi);
                } else if (i.lastAffected() != null) {
                    inside.add(hi);
                    outsideCandidates.addAll(above(hi));
                }
                if (inside.isEmpty()) {
                    wrong.add(a.service() + " " + a.id() + ": " + i.describe() + " holds every version");
                    continue;
                }
                boolean any = inside.stream().anyMatch(v -> affected(a, v, s)
                        && (lo == null || s.reported(v).compareTo(s.reported(lo)) >= 0));
                if (!any) {
                    wrong.add(a.service() + " " + a.id() + ": no version inside " + i.describe() + " (tried " + inside + ")");
                }
            }
            for (String v : a.versions()) {
                if (!affected(a, v, s)) {
                    wrong.add(a.service() + " " + a.id() + ": listed version " + v + " is not affected");
                }
                outsideCandidates.addAll(above(v));
            }
            if (outsideCandidates.stream().noneMatch(v -> s.reported(v) != null && !affected(a, v, s))) {
                wrong.add(a.service() + " " + a.id() + ": no version outside " + a.affected() + " (tried " + outsideCandidates + ")");
            }
            checked++;
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + checked + " records: " + wrong.subList(0, Math.min(15, wrong.size())));
        assertTrue(checked >= 700);
    }

    @Test
    void aLlamaCppSourceBuildMatchesNoReleaseRange() {
        CveCatalog c = rules.cves();
        VersionScheme s = rules.get("llama-cpp").scheme();
        assertEquals(VersionScheme.LLAMA_BUILD, s);
        assertTrue(c.matches("llama-cpp", "b1-de3ff81", s).isEmpty(), "node-llama-cpp's bundle build says b1: no release, no CVE");
        assertNotNull(s.unknownBecause("b1-de3ff81"));
        List<String> old = c.matches("llama-cpp", "b3000-abcdef0", s).stream().map(CveMatch::id).toList();
        assertTrue(old.contains("CVE-2024-42479"), "a real old build is vulnerable: " + old);
        assertTrue(c.matches("llama-cpp", "b99999", s).isEmpty(), "a build after every fix");
    }

    @Test
    void tritonContainerReleasesReadAsTheServerVersionTheyShip() {
        VersionScheme t = VersionScheme.TRITON;
        assertEquals("2.46.0", t.bound("24.05").toString(), "NVIDIA's release notes: 24.05 ships 2.46.0");
        assertEquals("2.43.0", t.bound("24.02").toString());
        assertEquals("2.54.0", t.bound("25.01").toString());
        assertEquals("2.59.0", t.bound("25.06").toString());
        assertEquals("2.59.1", t.bound("25.07").toString(), "25.07 shipped a patch release");
        assertEquals("2.60.0", t.bound("25.08").toString());
        assertEquals("2.65.0", t.bound("26.01").toString());
        assertEquals("2.72.0", t.bound("26.08").toString());
        CveCatalog.Advisory a = new CveCatalog.Advisory("CVE-2024-0087", List.of(), "triton", "high", null,
                List.of(new CveCatalog.Interval("0", "24.05", null)), List.of(), "test", null, List.of());
        CveCatalog c = new CveCatalog(List.of(a));
        assertEquals(1, c.matches("triton", "2.45.0", t).size(), "server 2.45 is the 24.04 container: before the fix");
        assertEquals(0, c.matches("triton", "2.46.0", t).size());
    }

    /**
     * Advisories of other packages raised KNOWN_CVE on hosts they do not concern (a jupyter-server-proxy,
     * jupyter-core or nbconvert CVE on every Jupyter Server; Starlette's on Open WebUI); checked against
     * the PyPA and GitHub advisory databases and left out, with the reason, in CORRECTIONS.md.
     */
    @Test
    void otherPackagesAdvisoriesAreNotFiledUnderAProduct() throws Exception {
        List<String> jupyter = rules.cves().matches("jupyter", "2.7.0", rules.get("jupyter").scheme()).stream().map(CveMatch::id).toList();
        for (String other : List.of("CVE-2022-21697", "CVE-2024-22421", "CVE-2025-30167", "CVE-2025-53000")) {
            assertFalse(jupyter.contains(other), other + " is another package's: " + jupyter);
        }
        assertTrue(jupyter.contains("CVE-2023-40170"), "Jupyter Server's own advisories still match 2.7.0: " + jupyter);
        String corrections = java.nio.file.Files.readString(Path.of("rulesets/cves/CORRECTIONS.md"));
        for (String id : List.of("CVE-2022-21697", "CVE-2024-47874", "CVE-2025-32381", "CVE-2024-7033")) {
            assertTrue(corrections.contains("| " + id + " |"), id + " is listed with its reason");
        }
    }

    /**
     * The hidden lab's question: a product at a release above every published range gets no known
     * vulnerability. Per service, a version above the highest bound of its records matches only the
     * records an advisory leaves open (introduced, never fixed), which must say so by being checked.
     */
    @Test
    void aReleaseAboveEveryRangeGetsNoKnownVulnerability() {
        List<String> wrong = new ArrayList<>();
        int services = 0;
        for (Rule r : rules.rules()) {
            List<CveCatalog.Advisory> records = rules.cves().forService(r.id());
            VersionScheme s = r.scheme();
            Version top = null;
            String topText = null;
            for (CveCatalog.Advisory a : records) {
                List<String> bounds = new ArrayList<>(a.versions());
                for (CveCatalog.Interval i : a.intervals()) {
                    for (String b : new String[] {i.introduced(), i.fixed(), i.lastAffected()}) {
                        if (b != null && !b.equals("0")) {
                            bounds.add(b);
                        }
                    }
                }
                for (String b : bounds) {
                    Version v = s.bound(b);
                    if (v != null && (top == null || v.compareTo(top) > 0)) {
                        top = v;
                        topText = reported(b, s);
                    }
                }
            }
            if (top == null) {
                continue;
            }
            final Version max = top;
            String above = above(topText).stream().filter(v -> s.reported(v) != null && s.reported(v).compareTo(max) > 0).findFirst()
                    .orElse(null);
            if (above == null) {
                wrong.add(r.id() + ": no version above " + topText + " reads in its scheme");
                continue;
            }
            services++;
            for (CveMatch m : rules.cves().matches(r.id(), above, s)) {
                CveCatalog.Advisory a = records.stream().filter(x -> x.id().equals(m.id())).findFirst().orElseThrow();
                boolean unfixed = a.intervals().stream().anyMatch(i -> i.fixed() == null && i.lastAffected() == null);
                if (!unfixed || !m.verified()) {
                    wrong.add(r.id() + " " + above + ": " + m.id() + " (" + m.affected() + ")");
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(services >= 50, "services with records: " + services);
    }

    /**
     * A record names only its own product's packages (packages.yaml maps each to the service whose
     * file holds it), and nine in ten records or more were checked against an advisory.
     */
    @Test
    void everyRecordIsItsProductsAndMostAreChecked() throws Exception {
        java.util.Map<String, String> services = new java.util.HashMap<>();
        for (OsvImport.Package p : OsvImport.readPackages(Path.of("rulesets/cves/packages.yaml"))) {
            services.put(OsvImport.key(p.ecosystem(), p.name()), p.service());
        }
        List<String> foreign = new ArrayList<>();
        long checked = 0;
        for (CveCatalog.Advisory a : rules.cves().all()) {
            for (String p : a.packages()) {
                if (!a.service().equals(services.get(p))) {
                    foreign.add(a.service() + " " + a.id() + " names " + p);
                }
            }
            checked += a.checked() != null ? 1 : 0;
        }
        assertEquals(List.of(), foreign);
        double share = (double) checked / rules.cves().size();
        assertTrue(share >= 0.9, "records checked against an advisory: " + checked + " of " + rules.cves().size());
    }

    /**
     * Jupyter's /api reports the classic notebook's version (4.x to 6.x) or jupyter-server's (0.x to
     * 2.x; notebook 7 and JupyterLab run on it): packages.yaml gives each package's line, and a record
     * is compared only with a version of its own package (the PyPA advisory database's ranges).
     */
    @Test
    void jupyterRecordsAreComparedOnlyWithTheirOwnPackagesReleases() {
        VersionScheme scheme = rules.get("jupyter").scheme();
        List<String> server = rules.cves().matches("jupyter", "2.14.0", scheme).stream().map(CveMatch::id).toList();
        assertFalse(server.contains("CVE-2019-9644"), "notebook < 5.7.6 (PYSEC-2019-159) is not a jupyter-server 2.14.0 advisory: " + server);
        assertTrue(server.contains("CVE-2024-35178"), "jupyter-server < 2.14.1 (PYSEC-2024-165): " + server);
        List<String> classic = rules.cves().matches("jupyter", "5.7.4", scheme).stream().map(CveMatch::id).toList();
        assertEquals(List.of("CVE-2019-9644"), classic, "notebook 5.7.4 is read on the notebook line only");
        assertTrue(rules.cves().readAs("jupyter", "2.14.0", scheme).contains("read as jupyter-server"));
        assertTrue(rules.cves().readAs("jupyter", "5.7.4", scheme).contains("read as notebook"));
        assertTrue(rules.cves().readAs("jupyter", "9.1.0", scheme).startsWith("version 9.1.0 is a release of none"));
        assertTrue(rules.cves().matches("jupyter", "9.1.0", scheme).isEmpty());
        assertNull(rules.cves().readAs("ollama", "0.5.7", rules.get("ollama").scheme()), "a one-package service needs no line");

        // a jupyter_core range filed on jupyter-server (CVE-2025-30167, < 5.8.1) would have fired on every
        // classic notebook: with the lines it reads on jupyter-server's releases only
        CveCatalog.Advisory misfiled = new CveCatalog.Advisory("CVE-2025-30167", List.of(), "jupyter", "medium", null,
                List.of(new CveCatalog.Interval("0", "5.8.1", null)), List.of(), "test", null, List.of("pypi:jupyter-server"));
        CveCatalog one = new CveCatalog(List.of(misfiled), java.util.Map.of("jupyter", rules.cves().lines("jupyter")));
        assertTrue(one.matches("jupyter", "5.7.4", scheme).isEmpty());
        assertEquals(1, one.matches("jupyter", "2.0.0", scheme).size());
        assertFalse(one.matches("jupyter", "2.0.0", scheme).get(0).verified(), "an unchecked record says so");
    }

    @Test
    void aReleaseLineIsReadInTheServicesScheme() {
        VersionScheme scheme = rules.get("jupyter").scheme();
        assertEquals(List.of(new CveCatalog.Interval("4", "7", null)), RuleLoader.stretches(">= 4, < 7", scheme));
        assertEquals(2, RuleLoader.stretches("< 1 || >= 2, <= 3", scheme).size());
        assertNull(RuleLoader.stretches("~> 4", scheme));
        assertNull(RuleLoader.stretches("< 4, <= 5", scheme));
        List<RuleProblem> problems = new ArrayList<>();
        RuleLoader.releaseLines("- {ecosystem: PyPI, name: notebook, service: jupyter, reports: \"four\"}\n", "p.yaml",
                List.of(rules.get("jupyter")), problems);
        assertEquals(1, problems.size(), "an unreadable line is a problem: " + problems);
    }

    /**
     * OpenClaw's records (rulesets/cves/openclaw.json) come from the GitHub advisory database, each
     * checked against its advisory; the control UI's build id reports the npm package's calendar
     * version (2026.9.6), compared with the advisories' ranges, bounded below where an advisory says so.
     */
    @Test
    void openClawVersionsAreComparedWithTheGatewayAdvisories() {
        VersionScheme s = rules.get("openclaw").scheme();
        List<CveCatalog.Advisory> records = rules.cves().forService("openclaw");
        assertTrue(records.size() >= 50, "records: " + records.size());
        for (CveCatalog.Advisory a : records) {
            assertTrue(a.checked() != null && (a.checked().startsWith("https://github.com/advisories/GHSA-")
                    || a.checked().startsWith("https://www.cve.org/CVERecord?id=CVE-")), a.id() + " is checked");
        }
        List<String> march = rules.cves().matches("openclaw", "2026.3.10", s).stream().map(CveMatch::id).toList();
        assertTrue(march.contains("CVE-2026-22172") && march.contains("CVE-2026-32916"), march.toString());
        List<String> before = rules.cves().matches("openclaw", "2026.3.6", s).stream().map(CveMatch::id).toList();
        assertTrue(before.contains("CVE-2026-22172") && !before.contains("CVE-2026-32916"),
                "CVE-2026-32916 affects 2026.3.7 to 2026.3.10 only: " + before);
        assertTrue(rules.cves().matches("openclaw", "2026.2.21-2", s).stream().anyMatch(m -> m.id().equals("GHSA-5847-rm3g-23mw")),
                "a -N republish is its release");
        List<String> june = rules.cves().matches("openclaw", "2026.6.6", s).stream().map(CveMatch::id).toList();
        assertTrue(june.contains("CVE-2026-62191") && june.contains("CVE-2026-62202") && !june.contains("CVE-2026-62196"),
                "ranges read in the CVE records, not the peer's commit bounds: " + june);
        assertTrue(rules.cves().matches("openclaw", "2026.5.14-beta.2", s).stream().anyMatch(m -> m.id().equals("CVE-2026-62217")),
                "a beta after the introducing beta is affected");
        assertTrue(rules.cves().matches("openclaw", "2026.9.6", s).isEmpty(), "the release run in the real-product test is past every fix");
    }

    @Test
    void nvidiaServersAreComparedWithTheirCveRecordsInclusiveBounds() {
        VersionScheme d = rules.get("nvidia-dynamo").scheme();
        assertEquals(5, rules.cves().matches("nvidia-dynamo", "1.1.0", d).size(), "\"0 to v1.1.0\" includes 1.1.0");
        assertTrue(rules.cves().matches("nvidia-dynamo", "1.2.0", d).isEmpty());
        VersionScheme t = rules.get("tensorrt-llm").scheme();
        List<String> rc15 = rules.cves().matches("tensorrt-llm", "1.3.0rc15", t).stream().map(CveMatch::id).toList();
        assertTrue(rc15.contains("CVE-2026-47475") && rc15.contains("CVE-2026-24234") && !rc15.contains("CVE-2026-24271"), rc15.toString());
        assertTrue(rules.cves().matches("tensorrt-llm", "1.3.0", t).isEmpty(), "the release is past every rc bound");
        VersionScheme f = rules.get("fastgpt").scheme();
        List<String> old = rules.cves().matches("fastgpt", "4.13.2", f).stream().map(CveMatch::id).toList();
        assertTrue(old.contains("CVE-2026-40351") && !old.contains("CVE-2026-61644"), old.toString());
        assertEquals(List.of("CVE-2026-61644", "CVE-2026-61646", "CVE-2026-61684"),
                rules.cves().matches("fastgpt", "4.15.0-beta4", f).stream().map(CveMatch::id).sorted().toList());
        assertTrue(rules.cves().matches("fastgpt", "4.15.0", f).isEmpty());
        VersionScheme e = rules.get("elasticsearch").scheme();
        List<String> es = rules.cves().matches("elasticsearch", "8.9.0", e).stream().map(CveMatch::id).toList();
        assertTrue(es.contains("CVE-2023-31419") && !es.contains("CVE-2023-31418") && !es.contains("CVE-2022-23712"), es.toString());
        for (String svc : List.of("nvidia-dynamo", "tensorrt-llm", "tensorzero", "fastgpt", "langfuse", "maxkb")) {
            for (CveCatalog.Advisory a : rules.cves().forService(svc)) {
                assertEquals("https://www.cve.org/CVERecord?id=" + a.id(), a.checked(), a.id());
            }
        }
    }

    @Test
    void aCommitIsNoRelease() {
        VersionScheme s = rules.get("librechat").scheme();
        assertEquals(VersionScheme.RELEASE_OR_COMMIT, s);
        assertNull(s.reported("3a4b5c6d"));
        assertTrue(rules.cves().matches("librechat", "3a4b5c6d", s).isEmpty());
        assertFalse(rules.cves().matches("librechat", "v0.7.0", s).isEmpty(), "an old release still matches");
    }

    @Test
    void importingAnAdvisoryReplacesTheCopiedRangeAndSkipsUnknownPackages(@TempDir Path dir) throws Exception {
        Path cves = dir.resolve("rulesets/cves");
        Files.createDirectories(cves);
        Files.copy(Path.of("rulesets/cves/packages.yaml"), cves.resolve("packages.yaml"));
        // vllm.json holds CVE-2025-24357 with the advisory's range (< 0.7.0, PYSEC-2025-58) since the PyPI check;
        // the copy gets back the peer's "< 0.8.0" that the record had before, so the import has a copied range to replace
        com.fasterxml.jackson.databind.JsonNode vllm = CveCatalog.JSON.readTree(Path.of("rulesets/cves/vllm.json").toFile());
        int copied = 0;
        for (com.fasterxml.jackson.databind.JsonNode rec : vllm) {
            if (rec.path("id").asText().equals("CVE-2025-24357")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) rec.path("affected").get(0).path("ranges").get(0).path("events").get(1))
                        .put("fixed", "0.8.0");
                copied++;
            }
        }
        assertEquals(1, copied, "vllm.json holds CVE-2025-24357");
        CveCatalog.JSON.writeValue(cves.resolve("vllm.json").toFile(), vllm);
        OsvImport imp = new OsvImport(OsvImport.readPackages(cves.resolve("packages.yaml")));
        OsvImport.Outcome o = imp.run(List.of(Path.of("test-fixtures/cves")), cves, java.time.Instant.parse("2026-12-05T10:00:00Z"));
        assertEquals(1, o.replaced().get("vllm"), "the peer's CVE-2025-24357 gives way to the advisory");
        assertTrue(o.changed().contains("vllm CVE-2025-24357 -> GHSA-rh4j-5rhw-hr54"), o.changed().toString());
        assertEquals(1, o.skipped().get("PyPI:some-other-package"));
        List<CveCatalog.Problem> problems = new ArrayList<>();
        List<CveCatalog.Advisory> read = CveCatalog.read(CveCatalog.JSON.readTree(cves.resolve("vllm.json").toFile()), "vllm.json", "vllm",
                problems);
        assertTrue(problems.isEmpty(), problems.toString());
        CveCatalog.Advisory ghsa = read.stream().filter(a -> a.id().equals("GHSA-rh4j-5rhw-hr54")).findFirst().orElseThrow();
        assertEquals("GHSA-rh4j-5rhw-hr54", ghsa.checked());
        assertEquals("< 0.7.0", ghsa.affected(), "the advisory's range, not the peer's < 0.8.0");
        assertTrue(read.stream().noneMatch(a -> a.id().equals("CVE-2025-24357")), "no duplicate under the old id");
        CveCatalog c = new CveCatalog(read);
        assertTrue(c.matches("vllm", "0.7.2", VersionScheme.RELEASE).stream().noneMatch(m -> m.id().equals("GHSA-rh4j-5rhw-hr54")));
        assertTrue(c.matches("vllm", "0.6.9", VersionScheme.RELEASE).stream().anyMatch(m -> m.id().equals("GHSA-rh4j-5rhw-hr54")));
    }
}
