package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.aiscan.lab.Chromium;
import org.aiscan.lab.Lab;
import org.aiscan.lab.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user feeds aiscan by mistake, and what a real host gives it: every file-taking option
 * with a binary file, a folder, an empty file, a truncated and a reordered real input, and a
 * 50 MB one. Input problems are one line naming the file, exit 2, no stack trace; a report that
 * cannot be rendered exits 1 and leaves the other reports written; a silent listener's HTML report
 * opens in chromium.
 */
class InputErrorsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path scan;
    static Path snapshot;
    static Path binary;
    static Path empty;
    static Path folder;

    static Lab.Run aiscan(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString()));
        cmd.addAll(Arrays.asList(args));
        return Lab.run(cmd, 120);
    }

    /** One real scan and one real snapshot (the nofw scenario), the inputs the mutations start from. */
    @BeforeAll
    static void realInputs() throws Exception {
        binary = tmp.resolve("random.bin");
        byte[] b = new byte[4096];
        new Random(1).nextBytes(b);
        Files.write(binary, b);
        empty = Files.createFile(tmp.resolve("empty.txt"));
        folder = Files.createDirectory(tmp.resolve("folder"));
        try (Scenario s = Scenario.up("nofw")) {
            scan = tmp.resolve("scan.jsonl");
            Lab.Run r = aiscan("-q", "--mode", "connect", "-p", "22,8000,9090,11434", "--jsonl", scan.toString(), s.v4(), s.v6());
            assertEquals(0, r.code(), r.err());
            snapshot = tmp.resolve("host.json");
            Lab.Run c = s.exec(90, Lab.ROOT.resolve("scanner/aiscan").toString(), "collect", "-q", "-o", snapshot.toString());
            assertEquals(0, c.code(), c.err());
        }
        assertEquals("[]", JSON.readTree(snapshot.toFile()).path("problems").toString(), "the real snapshot parses with no unreadable line");
    }

    /** Exit 2, one line on stderr that names {@code file}, no stack trace. */
    static void oneLine(Lab.Run r, Path file, String what) {
        oneLine(r, 2, file, what);
    }

    static void oneLine(Lab.Run r, int code, Path file, String what) {
        assertEquals(code, r.code(), what + ": " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("Exception") || err.contains("\tat "), what + ": no stack trace: " + err);
        assertEquals(1, err.lines().count(), what + ": one line: " + err);
        assertTrue(err.startsWith("aiscan: ") && err.contains(file.getFileName().toString()), what + ": names the file: " + err);
    }

    @Test
    void everyFileOptionRejectsBinaryFoldersAndEmptyFilesInOneLine() throws Exception {
        Path out = tmp.resolve("out.html");
        for (Path bad : List.of(binary, folder)) {
            oneLine(aiscan("report", bad.toString(), "--html", out.toString()), bad, "report " + bad);
            oneLine(aiscan("audit", "--scan", bad.toString(), "--snapshot", snapshot.toString()), bad, "audit --scan " + bad);
            oneLine(aiscan("diff", bad.toString(), scan.toString()), bad, "diff " + bad);
            oneLine(aiscan("merge", bad.toString(), "-o", tmp.resolve("m.jsonl").toString()), bad, "merge " + bad);
            oneLine(aiscan("accept", "--from", bad.toString(), "--reason", "x", "--baseline", tmp.resolve("b.yaml").toString()), bad,
                    "accept --from " + bad);
            oneLine(aiscan("-iL", bad.toString(), "-p", "1", "--dry-run"), bad, "-iL " + bad);
            oneLine(aiscan("--exclude-file", bad.toString(), "198.18.0.1", "-p", "1", "--dry-run"), bad, "--exclude-file " + bad);
            oneLine(aiscan("198.18.0.1", "-p", "1", "--baseline", bad.toString(), "--dry-run"), bad, "--baseline " + bad);
            oneLine(aiscan("audit", "--scan", scan.toString(), "--snapshot", snapshot.toString(), "--policy", bad.toString()), bad,
                    "--policy " + bad);
        }
        oneLine(aiscan("audit", "--scan", scan.toString(), "--snapshot", binary.toString()), binary, "--snapshot binary");
        oneLine(aiscan("audit", "--scan", scan.toString(), "--snapshot", folder.toString()), folder, "--snapshot empty folder");
        oneLine(aiscan("audit", "--scan", empty.toString(), "--snapshot", snapshot.toString()), empty, "--scan empty");
        oneLine(aiscan("audit", "--scan", scan.toString(), "--snapshot", empty.toString()), empty, "--snapshot empty");
        oneLine(aiscan("audit", "--scan", scan.toString(), "--snapshot", snapshot.toString(), "--rules", folder.toString()), folder,
                "--rules empty folder");
        oneLine(aiscan("report", scan.toString(), "--html", folder.toString()), folder, "--html a folder");
        oneLine(aiscan("report", scan.toString(), "--html", tmp.resolve("no/such/r.html").toString()), tmp.resolve("no/such"), "--html no folder");
    }

    /**
     * The shipped rules load while the probing starts; rules that turn out broken (an install edited
     * by hand) still end the scan with one line naming the file, exit 1 (a broken installation, not
     * a usage error), whether an open endpoint waited for them or none did.
     */
    @Test
    void brokenShippedRulesFailTheScanInOneLineEvenThoughTheyLoadBesideIt() throws Exception {
        Path home = tmp.resolve("home");
        try (var files = Files.walk(Lab.ROOT.resolve("rulesets"))) {
            for (Path f : files.toList()) {
                Path to = home.resolve("rulesets").resolve(Lab.ROOT.resolve("rulesets").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path ollama = home.resolve("rulesets/fingerprints/ollama.yaml");
        Files.writeString(ollama, Files.readString(ollama).replace("id: ollama", "id: Ollama!"));
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread t = new Thread(() -> {
                while (!open.isClosed()) {
                    try (Socket s = open.accept()) {
                        s.getInputStream().read();
                    } catch (Exception e) {
                        // closed at the end of the test
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            for (String ports : List.of(String.valueOf(open.getLocalPort()), "9")) {
                Lab.Run r = Lab.run(List.of("env", "AISCAN_HOME=" + home, Lab.ROOT.resolve("scanner/aiscan").toString(), "127.0.0.1",
                        "-p", ports, "-q", "--jsonl", tmp.resolve("broken-rules.jsonl").toString()), 120);
                oneLine(r, 1, ollama, "broken rules, port " + ports);
                assertTrue(r.err().contains("aiscan rules lint"), r.err());
            }
        }
    }

    @Test
    void truncatedRealInputsAreOneLine() throws Exception {
        byte[] s = Files.readAllBytes(scan);
        byte[] j = Files.readAllBytes(snapshot);
        Path cutScan = tmp.resolve("cut-scan.jsonl");
        Files.write(cutScan, Arrays.copyOf(s, s.length / 3));
        Lab.Run r = aiscan("audit", "--scan", cutScan.toString(), "--snapshot", snapshot.toString());
        // a scan cut between lines is an interrupted scan (read as far as it goes, exit 4 or 3); cut inside a line it names the line
        assertTrue(r.code() == 2 && r.err().strip().lines().count() == 1 && r.err().contains("cut-scan.jsonl:") || r.code() == 3 || r.code() == 4,
                r.code() + " " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        Path cutSnap = tmp.resolve("cut-host.json");
        Files.write(cutSnap, Arrays.copyOf(j, j.length / 2));
        oneLine(aiscan("audit", "--scan", scan.toString(), "--snapshot", cutSnap.toString()), cutSnap, "truncated snapshot");
    }

    @Test
    void aReorderedRealSnapshotGivesTheSameAudit() throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(snapshot.toFile());
        List<JsonNode> sources = new ArrayList<>();
        o.path("sources").forEach(sources::add);
        Collections.reverse(sources);
        ArrayNode a = o.putArray("sources");
        sources.forEach(a::add);
        o.remove("parsed"); // rebuilt from the sources when read
        Path re = tmp.resolve("reordered.json");
        JSON.writeValue(re.toFile(), o);
        Path ja = tmp.resolve("a.json");
        Path jb = tmp.resolve("b.json");
        Lab.Run x = aiscan("audit", "-q", "--scan", scan.toString(), "--snapshot", snapshot.toString(), "--json", ja.toString());
        Lab.Run y = aiscan("audit", "-q", "--scan", scan.toString(), "--snapshot", re.toString(), "--json", jb.toString());
        assertEquals(x.code(), y.code(), y.err());
        assertEquals(JSON.readTree(ja.toFile()).path("diagnoses"), JSON.readTree(jb.toFile()).path("diagnoses"),
                "the order of the sources does not change a diagnosis");
    }

    @Test
    void aFiftyMegabyteSnapshotSourceIsAuditedWithALine() throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(snapshot.toFile());
        StringBuilder big = new StringBuilder(50 << 20);
        String rule = "-A INPUT -s 198.18.0.0/15 -p tcp -m tcp --dport 9 -j ACCEPT\n";
        big.append("*filter\n:INPUT ACCEPT [0:0]\n");
        while (big.length() < 50 << 20) {
            big.append(rule);
        }
        for (JsonNode n : o.path("sources")) {
            if (n.path("name").asText().equals("iptables-nft-v4") || n.path("name").asText().equals("iptables-v4")) {
                ((ObjectNode) n).put("stdout", big.toString()).put("status", "ok");
            }
        }
        o.remove("parsed");
        Path huge = tmp.resolve("huge.json");
        JSON.writeValue(huge.toFile(), o);
        Lab.Run r = Lab.run(List.of("env", "AISCAN_JAVA_OPTS=-Xmx512m", Lab.ROOT.resolve("scanner/aiscan").toString(), "audit", "-q", "--scan",
                scan.toString(), "--snapshot", huge.toString(), "--json", tmp.resolve("huge-audit.json").toString()), 240);
        assertFalse(r.err().contains("Exception") || r.err().contains("OutOfMemory"), r.err());
        assertTrue(r.code() == 0 || r.code() == 3, "audited: exit " + r.code() + " " + r.err());
        JsonNode a = JSON.readTree(tmp.resolve("huge-audit.json").toFile());
        assertTrue(a.path("hosts").get(0).path("notes").toString().contains("too large")
                || a.path("hosts").get(0).path("notes").toString().contains("cut"), "says the source was cut: " + a.path("hosts").get(0).path("notes"));
    }

    @Test
    void aSilentListenersHtmlReportOpensInChromium() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // accept and never answer
                    }
                } catch (java.io.IOException e) {
                    held.forEach(x -> {
                        try {
                            x.close();
                        } catch (java.io.IOException ignored) {
                            // closing
                        }
                    });
                }
            });
            t.setDaemon(true);
            t.start();
            Path html = tmp.resolve("silent.html");
            Lab.Run r = aiscan("127.0.0.1", "-p", String.valueOf(silent.getLocalPort()), "--html", html.toString(), "--request-timeout", "1000");
            assertEquals(0, r.code(), r.err());
            try (Chromium c = Chromium.start(tmp.resolve("chrome"))) {
                Chromium.Page p = c.open(html, "({rows: document.querySelectorAll('table.endpoints > tbody > tr').length, "
                        + "service: document.querySelector('table.endpoints > tbody > tr > td:nth-child(2)').textContent})");
                assertEquals(List.of(), p.console());
                assertEquals(List.of(), p.requests());
                assertEquals(1, p.value().path("rows").asInt());
                assertEquals("unidentified", p.value().path("service").asText());
            }
        }
    }

    @Test
    void aReportThatCannotRenderExitsOneAndTheOthersAreWritten() throws Exception {
        Path templates = Files.createDirectories(tmp.resolve("templates"));
        Files.writeString(templates.resolve("report.ftlh"), "<html>${no.such.value}</html>\n", StandardCharsets.UTF_8);
        Path html = tmp.resolve("broken.html");
        Path csv = tmp.resolve("ok.csv");
        Path md = tmp.resolve("ok.md");
        Lab.Run r = aiscan("report", scan.toString(), "--templates", templates.toString(), "--html", html.toString(), "--csv", csv.toString(),
                "--md", md.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--html " + html) && r.err().contains("report.ftlh:1"), r.err());
        assertTrue(r.err().contains("the other reports were written"), r.err());
        assertFalse(Files.exists(html), "no half-written HTML");
        assertTrue(Files.size(csv) > 0 && Files.size(md) > 0, "the CSV and the Markdown were written");
    }
}
