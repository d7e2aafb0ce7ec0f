package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.aiscan.lab.Lab;
import org.aiscan.lab.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collect --ssh} against a real OpenSSH server in two host scenarios: keys and the host key
 * are made by the test, sshd runs inside each scenario's namespace on port 2222. The nofw host is
 * reachable; the ufw-docker host's firewall (default deny incoming) drops 2222, so ssh times out
 * there. The reachable host's snapshot must hold what a local collect in the same namespace sees;
 * the unreachable one is one line on stderr, and the command exits 1 with the other snapshot written.
 */
class CollectSshIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 2222;

    @TempDir
    Path tmp;

    private final List<Process> daemons = new ArrayList<>();

    private Process sshd(Scenario s, Path keys) throws Exception {
        Path cfg = tmp.resolve("sshd-" + s.name() + ".conf");
        Files.writeString(cfg, String.join("\n", "Port " + PORT, "ListenAddress 0.0.0.0", "ListenAddress ::",
                "HostKey " + keys.resolve("host_ed25519"), "AuthorizedKeysFile " + keys.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
                "StrictModes no", "PidFile none", "LogLevel ERROR", "") );
        Lab.Run check = s.exec(20, "/usr/sbin/sshd", "-t", "-f", cfg.toString());
        assertEquals(0, check.code(), "sshd -t: " + check.err());
        Process p = new ProcessBuilder("ip", "netns", "exec", s.namespace(), "/usr/sbin/sshd", "-D", "-e", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd-" + s.name() + ".log").toFile()).start();
        daemons.add(p);
        Lab.await("sshd listening in " + s.namespace(), 20,
                () -> s.exec(5, "ss", "-Htln", "sport = :" + PORT).out().contains(":" + PORT));
        return p;
    }

    private static boolean reaches(String ip) {
        try (Socket so = new Socket()) {
            so.connect(new InetSocketAddress(ip, PORT), 1500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> sorted(JsonNode snapshot, String source) {
        for (JsonNode s : snapshot.path("sources")) {
            if (s.path("name").asText().equals(source)) {
                return new ArrayList<>(new TreeSet<>(s.path("stdout").asText().lines().map(String::strip).toList()));
            }
        }
        return List.of("(no source " + source + ")");
    }

    @Test
    void oneSnapshotPerReachableHostAndOneLinePerFailure() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "openssh-server is not installed (.ci/run installs it)");
        Path runSshd = Path.of("/run/sshd");
        boolean madeRunDir = !Files.isDirectory(runSshd);
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        assertEquals(0, Lab.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("host_ed25519").toString()), 30).code());
        assertEquals(0, Lab.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("id_ed25519").toString()), 30).code());
        Files.copy(keys.resolve("id_ed25519.pub"), keys.resolve("authorized_keys"));
        try (Scenario open = Scenario.up("nofw"); Scenario closed = Scenario.up("ufw-docker")) {
            if (madeRunDir) {
                Files.createDirectories(runSshd);
            }
            sshd(open, keys);
            sshd(closed, keys);
            assertTrue(reaches(open.v4()), "sshd answers in nofw");
            assertFalse(reaches(closed.v4()), "ufw drops 2222 in ufw-docker");

            Path out = Files.createDirectories(tmp.resolve("fleet"));
            String a = "ssh://root@" + open.v4() + ":" + PORT;
            String b = "ssh://root@" + closed.v4() + ":" + PORT;
            Lab.Run r = Lab.run(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "collect", "--ssh", a, b, "-o", out.toString(),
                    "--connect-timeout", "3", "--ssh-option", "IdentityFile=" + keys.resolve("id_ed25519"),
                    "--ssh-option", "UserKnownHostsFile=" + keys.resolve("known_hosts"), "--ssh-option", "StrictHostKeyChecking=accept-new",
                    "--ssh-option", "IdentitiesOnly=yes"), 120);
            assertEquals(1, r.code(), r.out() + r.err());
            assertFalse((r.out() + r.err()).contains("Exception"), r.err());
            List<String> about = r.err().lines().filter(l -> l.contains(closed.v4())).toList();
            assertEquals(1, about.size(), "one line for the unreachable host: " + r.err());
            assertTrue(about.get(0).contains("not collected") && about.get(0).toLowerCase().contains("timed out"), about.get(0));
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(open.v4() + "-" + PORT + ".json"), files.map(f -> f.getFileName().toString()).sorted().toList());
            }
            JsonNode remote = JSON.readTree(out.resolve(open.v4() + "-" + PORT + ".json").toFile());
            assertTrue(remote.path("root").asBoolean(), "logged in as root");
            assertEquals("[]", remote.path("problems").toString(), "the ssh-collected snapshot parses cleanly");

            Path local = tmp.resolve("local.json");
            Lab.Run lr = open.exec(90, Lab.ROOT.resolve("scanner/aiscan").toString(), "collect", "-q", "-o", local.toString());
            assertEquals(0, lr.code(), lr.err());
            JsonNode here = JSON.readTree(local.toFile());
            for (String src : List.of("ip-addr", "ss-tcp", "iptables-nft-v4", "iptables-nft-v6", "nft", "sysctl")) {
                assertEquals(sorted(here, src), sorted(remote, src), src + ": over ssh as in a local collect");
            }
            assertTrue(sorted(remote, "ip-addr").stream().anyMatch(l -> l.contains(open.v4() + "/24")), "the namespace's own addresses");

            Lab.Run audit = Lab.run(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "audit", "--snapshot", out.toString(), "-q",
                    "--json", tmp.resolve("fleet-audit.json").toString()), 60);
            assertEquals(3, audit.code(), audit.err());
            JsonNode fa = JSON.readTree(tmp.resolve("fleet-audit.json").toFile());
            assertEquals(1, fa.path("hosts").size());
            assertTrue(fa.path("diagnoses").toString().contains("FIREWALL_INACTIVE"), "the folder of ssh snapshots audits: " + fa.path("diagnoses"));
        } finally {
            for (Process p : daemons) {
                p.destroy();
                p.waitFor();
            }
            if (madeRunDir) {
                Files.deleteIfExists(runSshd);
            }
        }
    }
}
