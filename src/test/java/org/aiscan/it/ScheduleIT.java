package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.aiscan.lab.GroundTruthCheck;
import org.aiscan.lab.Lab;
import org.aiscan.lab.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aiscan unattended: state folder, accepted exposures and exit codes, diff, resume after Ctrl-C,
 * SIGTERM and kill -9, the lock, shards merged, and the unit files and manifest it ships.
 */
class ScheduleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lab targets with many results: half the AnyIP /24 and a part of the all-open /18. */
    private static final List<String> LAB = List.of("198.18.1.0/24", "198.18.64.0/22", "-p", "7777,8000,8188,9090,11434");

    @TempDir
    Path tmp;

    static Lab.Run aiscan(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString()));
        cmd.addAll(List.of(args));
        return Lab.run(cmd, 180);
    }

    static List<String> args(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    /** What the lab listens on (its ss, not our scan) within targets followed by "-p PORTS", as ip:port. */
    static Set<String> openInTruth(Lab lab, List<String> scan) throws Exception {
        int p = scan.indexOf("-p");
        GroundTruthCheck.Space space = GroundTruthCheck.Space.of(scan.subList(0, p), scan.get(p + 1));
        Set<String> s = new TreeSet<>();
        space.truth(lab.truth()).open().forEach(e -> s.add(e.toString()));
        return s;
    }

    static Set<String> open(Path jsonl) throws Exception {
        Set<String> s = new TreeSet<>();
        int lines = 0;
        for (String l : Files.readAllLines(jsonl)) {
            JsonNode n = JSON.readTree(l);
            if (n.path("type").asText().equals("port") && n.path("state").asText().equals("open")) {
                s.add(n.path("ip").asText() + ":" + n.path("port").asInt());
                lines++;
            }
        }
        assertEquals(s.size(), lines, "no endpoint written twice in " + jsonl);
        return s;
    }

    static Path lastRun(Path state) throws Exception {
        return state.resolve("last").toRealPath();
    }

    @Test
    void baselineNewListenerExpiryAndDiff() throws Exception {
        try (Scenario s = Scenario.up("nofw")) {
            Path state = tmp.resolve("state");
            Path baseline = tmp.resolve("accepted.yaml");
            String[] scan = {"-q", "--mode", "connect", "-p", "ai-default,22", s.v4(), s.v6(), "--state-dir", state.toString()};

            Lab.Run first = aiscan(scan);
            assertEquals(3, first.code(), "a first run without a baseline: everything open is new: " + first.err());
            Lab.Run accept = aiscan("accept", "--baseline", baseline.toString(), "--reason", "lab services, reviewed by the test",
                    "--from", lastRun(state).resolve("scan.jsonl").toString());
            assertEquals(0, accept.code(), accept.err());
            Lab.Run ok = aiscan(args(List.of(scan), "--baseline", baseline.toString()).toArray(String[]::new));
            assertEquals(0, ok.code(), "every open endpoint accepted: " + ok.err());
            Path before = lastRun(state);

            // a new listener appears on the host: ComfyUI on 8188
            Process p = new ProcessBuilder("ip", "netns", "exec", s.namespace(), "/usr/bin/python3",
                    Lab.ROOT.resolve("test-fixtures/lab/listen.py").toString(), "0.0.0.0:8188=comfyui/open-0.3.40")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("listen.log").toFile()).start();
            try {
                Lab.await("ComfyUI listening on 8188", 10, () -> s.exec(10, "ss", "-Htln", "sport = :8188").out().contains("8188"));
                Lab.Run found = aiscan(args(List.of(scan), "--baseline", baseline.toString()).toArray(String[]::new));
                assertEquals(3, found.code(), found.err());
                assertTrue(found.err().contains(s.v4() + ":8188") && found.err().contains("not accepted"), found.err());
                Lab.Run diff = aiscan("diff", before.toString(), lastRun(state).toString());
                assertEquals(1, diff.code(), diff.err());
                assertEquals(List.of("+ " + s.v4() + ":8188  comfyui 0.3.40, auth none (open)"), diff.out().lines().toList());
                Lab.Run same = aiscan("diff", before.toString(), before.toString());
                assertEquals(0, same.code());
                assertEquals("", same.out());
                // without a baseline, the same run is "new since the last run"
                Lab.Run newer = aiscan(scan);
                assertEquals(0, newer.code(), "nothing new since the previous run: " + newer.err());
            } finally {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }

            // an acceptance that expired yesterday counts as not accepted
            String expired = Files.readString(baseline).replaceFirst("(reason: [^\n]*\n)", "$1    expires: " + LocalDate.now().minusDays(1) + "\n");
            Path old = tmp.resolve("expired.yaml");
            Files.writeString(old, expired);
            Lab.Run exp = aiscan(args(List.of(scan), "--baseline", old.toString()).toArray(String[]::new));
            assertEquals(3, exp.code(), exp.err());
            assertTrue(exp.err().contains("review it again"), exp.err());
            Lab.Run bad = aiscan(args(List.of(scan), "--baseline", tmp.resolve("nope.yaml").toString()).toArray(String[]::new));
            assertEquals(2, bad.code(), bad.err());
        }
    }

    /** Starts a slow stateful scan of the lab in the background. */
    /** A scan of {@link #LAB} (6,400 probes) paced at {@code rate} probes a second, so that it is still running when a test interrupts it. */
    private Process slowScan(Path state, long seed, int rate) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "-q", "--no-fingerprint", "--state-dir",
                state.toString(), "--checkpoint-every", "800", "--rate", String.valueOf(rate), "--seed", String.valueOf(seed)));
        cmd.addAll(LAB);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("slow-" + seed + ".log").toFile()).start();
    }

    private static long chunksDone(Path state) throws Exception {
        if (!Files.isDirectory(state.resolve("runs"))) {
            return 0;
        }
        try (var runs = Files.list(state.resolve("runs"))) {
            for (Path r : runs.toList()) {
                Path cp = r.resolve("checkpoint.json");
                if (Files.exists(cp)) {
                    try {
                        return JSON.readTree(cp.toFile()).path("chunks_done").asLong();
                    } catch (java.io.IOException e) {
                        return 0; // being replaced right now (it is renamed into place, but be safe)
                    }
                }
            }
        }
        return 0;
    }

    @Test
    void interruptedRunsResumeToTheSameResults() throws Exception {
        try (Lab lab = Lab.up()) {
            Set<String> expected = openInTruth(lab, LAB);
            assertTrue(expected.size() > 1000, "a scan worth interrupting: " + expected.size());

            for (String how : List.of("KILL", "TERM")) {
                Path state = tmp.resolve("state-" + how);
                Process p = slowScan(state, 11, 1200);
                Lab.await("two checkpointed slices", 60, () -> chunksDone(state) >= 2 || !p.isAlive());
                assertTrue(p.isAlive(), "still scanning when interrupted");
                Lab.run(List.of("kill", "-" + how, String.valueOf(p.pid())), 10);
                assertTrue(p.waitFor(20, TimeUnit.SECONDS));
                if (how.equals("TERM")) {
                    assertEquals(4, p.exitValue(), "SIGTERM: a clean stop, results kept, exit 4");
                }
                assertFalse(Files.exists(state.resolve("last")), "the interrupted run is not finished");
                List<String> resume = new ArrayList<>(List.of("-q", "--no-fingerprint", "--state-dir", state.toString(), "--resume",
                        "--checkpoint-every", "800"));
                resume.addAll(LAB);
                Lab.Run r = aiscan(resume.toArray(String[]::new));
                assertEquals(3, r.code(), how + ": " + r.err());
                assertEquals(expected, open(lastRun(state).resolve("scan.jsonl")), how + ": the resumed run finds exactly what the lab listens on");
                JsonNode summary = null;
                int runRecords = 0;
                for (String l : Files.readAllLines(lastRun(state).resolve("scan.jsonl"))) {
                    JsonNode n = JSON.readTree(l);
                    runRecords += n.path("type").asText().equals("run") ? 1 : 0;
                    summary = n.path("type").asText().equals("summary") ? n : summary;
                }
                assertEquals(1, runRecords);
                assertTrue(summary != null && summary.path("complete").asBoolean(), "one complete summary at the end");
                assertEquals(expected.size(), summary.path("open").asInt(), "counters carried over the interruption");
                Lab.Run again = aiscan(resume.toArray(String[]::new));
                assertEquals(1, again.code(), "nothing left to resume (the state folder's, not a usage error): " + again.err());
            }
        }
    }

    @Test
    void aSecondRunOnTheSameStateFolderIsRefused() throws Exception {
        try (Lab lab = Lab.up()) {
            Path state = tmp.resolve("state");
            // 6,400 probes at 300/s: ~21 s, far longer than the second run's start on a loaded CI machine (at 1200/s the
            // first run once finished before the second was refused, and there was nothing left to resume)
            Process p = slowScan(state, 12, 300);
            try {
                Lab.await("the first run's lock", 30, () -> Files.exists(state.resolve("lock")) && !Files.readString(state.resolve("lock")).isEmpty());
                Lab.Run second = aiscan(args(List.of("-q", "--state-dir", state.toString()), LAB.toArray(String[]::new)).toArray(String[]::new));
                assertEquals(1, second.code(), second.err());
                assertTrue(second.err().startsWith("aiscan: another aiscan run holds " + state.resolve("lock") + " (pid " + p.pid()), second.err());
                assertEquals(1, second.err().strip().lines().count(), "one line");
                assertTrue(p.isAlive(), "the first run is still scanning when stopped");
            } finally {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            // the stopped run released the lock with its process
            Lab.Run after = aiscan(args(List.of("-q", "--no-fingerprint", "--state-dir", state.toString(), "--resume", "--checkpoint-every", "800"),
                    LAB.toArray(String[]::new)).toArray(String[]::new));
            assertEquals(3, after.code(), after.err());
        }
    }

    @Test
    void shardsMergedEqualOneScanWithNoProbeSentTwice() throws Exception {
        try (Lab lab = Lab.up()) {
            List<String> base = List.of("198.18.0.0/24", "198.18.1.0/24", "-p", "ai-default", "--seed", "99", "--no-fingerprint", "-q");
            Path whole = tmp.resolve("whole.jsonl");
            assertEquals(0, aiscan(args(base, "--jsonl", whole.toString()).toArray(String[]::new)).code());
            Set<String> planned = new HashSet<>();
            long plannedTotal = 0;
            List<String> parts = new ArrayList<>(List.of("merge", "-o", tmp.resolve("merged.jsonl").toString()));
            for (int i = 0; i < 4; i++) {
                Lab.Run dry = aiscan(args(base, "--shard", i + "/4", "--dry-run").toArray(String[]::new));
                for (String l : probes(dry.out())) {
                    assertTrue(planned.add(l), "probe " + l + " planned in two shards");
                    plannedTotal++;
                }
                Path part = tmp.resolve("part-" + i + ".jsonl");
                assertEquals(0, aiscan(args(base, "--shard", i + "/4", "--jsonl", part.toString()).toArray(String[]::new)).code());
                parts.add(part.toString());
            }
            Lab.Run all = aiscan(args(base, "--dry-run").toArray(String[]::new));
            assertEquals(new HashSet<>(probes(all.out())), planned, "the shards cover the whole scan");
            Lab.Run m = aiscan(parts.toArray(String[]::new));
            assertEquals(0, m.code(), m.err());
            assertEquals(open(whole), open(tmp.resolve("merged.jsonl")));
            assertEquals(openInTruth(lab, List.of("198.18.0.0/24", "198.18.1.0/24", "-p", "ai-default")), open(tmp.resolve("merged.jsonl")),
                    "the merged shards find exactly what the lab listens on");
            long probes = 0;
            for (String l : Files.readAllLines(tmp.resolve("merged.jsonl"))) {
                JsonNode n = JSON.readTree(l);
                if (n.path("type").asText().equals("summary")) {
                    probes = n.path("probes").asLong();
                    assertTrue(n.path("complete").asBoolean());
                }
            }
            assertEquals(plannedTotal, probes, "each probe sent by exactly one shard");
            Lab.Run missing = aiscan("merge", "-o", tmp.resolve("m2.jsonl").toString(), parts.get(3), parts.get(4));
            assertEquals(2, missing.code());
            assertTrue(missing.err().contains("shards [2, 3] of 4 are missing"), missing.err());
        }
    }

    @Test
    void unitFilesVerifyAndTheManifestShardsTheScan() throws Exception {
        Path d = tmp.resolve("units");
        Files.createDirectories(d);
        Files.writeString(d.resolve("aiscan.service"), Files.readString(Lab.ROOT.resolve("scanner/systemd/aiscan.service"))
                .replace("/opt/aiscan", Lab.ROOT.toString()));
        Files.copy(Lab.ROOT.resolve("scanner/systemd/aiscan.timer"), d.resolve("aiscan.timer"));
        Lab.Run v = Lab.run(List.of("sh", "-c", "cd " + d + " && systemd-analyze verify aiscan.service aiscan.timer"), 60);
        assertEquals(0, v.code(), v.out() + v.err());
        assertEquals("", (v.out() + v.err()).strip(), "no warning either");

        JsonNode job = new YAMLMapper().readTree(Lab.ROOT.resolve("scanner/k8s/aiscan-shards.yaml").toFile());
        assertEquals("Job", job.path("kind").asText());
        JsonNode spec = job.path("spec");
        assertEquals("Indexed", spec.path("completionMode").asText());
        int n = spec.path("completions").asInt();
        List<String> a = new ArrayList<>();
        spec.path("template").path("spec").path("containers").get(0).path("args").forEach(x -> a.add(x.asText()));
        assertEquals("scan", a.get(0));
        assertEquals("$(JOB_COMPLETION_INDEX)/" + n, a.get(a.indexOf("--shard") + 1), "each pod one of the N shards");
        assertTrue(a.contains("--seed"), "one seed for every pod");
        assertTrue(a.get(a.indexOf("--jsonl") + 1).contains("$(JOB_COMPLETION_INDEX)"), "a part file per pod");
        // the shard spec the pods get is one aiscan accepts
        Lab.Run dry = aiscan("198.18.0.0/30", "-p", "80", "--seed", a.get(a.indexOf("--seed") + 1), "--shard", "3/" + n, "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        String cron = Files.readString(Lab.ROOT.resolve("scanner/cron/aiscan"));
        assertTrue(cron.lines().anyMatch(l -> l.matches("\\d+ \\d+ \\* \\* \\* aiscan flock -n \\S+ /opt/aiscan/scanner/aiscan scan .*")), cron);
    }

    @Test
    void linesCarryJournalPrioritiesUnderSystemd() throws Exception {
        File err = tmp.resolve("err.txt").toFile();
        Process p = new ProcessBuilder(Lab.ROOT.resolve("scanner/aiscan").toString(), "127.0.0.1", "-p", "1", "--mode", "connect")
                .redirectError(err).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.readString(err.toPath()).lines().allMatch(l -> l.startsWith("aiscan: ")), "plain without the journal");
        ProcessBuilder j = new ProcessBuilder(Lab.ROOT.resolve("scanner/aiscan").toString(), "127.0.0.1", "-p", "1", "--mode", "connect")
                .redirectError(err).redirectOutput(tmp.resolve("out.txt").toFile());
        j.environment().put("JOURNAL_STREAM", "8:12345");
        Process q = j.start();
        assertTrue(q.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = Files.readString(err.toPath()).lines().toList();
        assertFalse(lines.isEmpty());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("<6>aiscan: ") || l.startsWith("<4>aiscan: ") || l.startsWith("<3>aiscan: ")), lines.toString());
        ProcessBuilder e = new ProcessBuilder(Lab.ROOT.resolve("scanner/aiscan").toString(), "10.1.2.3", "-p", "1").redirectError(err)
                .redirectOutput(tmp.resolve("out.txt").toFile());
        e.environment().put("JOURNAL_STREAM", "8:12345");
        Process r = e.start();
        assertTrue(r.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, r.exitValue());
        assertTrue(Files.readString(err.toPath()).startsWith("<3>aiscan: refusing to scan"), Files.readString(err.toPath()));
    }

    /** A dry run's probes: each line begins with ADDRESS PORT, then what would be sent (a SYN frame whose source port depends on the shard, a connect). */
    private static List<String> probes(String dryRunOut) {
        return dryRunOut.lines().map(l -> {
            String[] f = l.split(" ");
            return f[0] + " " + f[1];
        }).toList();
    }
}
