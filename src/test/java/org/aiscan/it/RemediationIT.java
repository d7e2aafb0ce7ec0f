package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.aiscan.lab.Lab;
import org.aiscan.lab.Scenario;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verification loop of the remediation bundle, per host scenario: scan from outside, collect,
 * audit with {@code --remediation --trusted}; check every file of the bundle with its own checker
 * (ufw --dry-run, iptables-restore --test, nft -c, nginx -t, fail2ban-client -t, YAML); apply the
 * firewall part inside the scenario's namespace; scan again. Each port a diagnosis named must be
 * closed to the scanner, SSH must still answer, and the trusted address must still get in; a new
 * audit must not name those ports again.
 */
class RemediationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTRICT = Set.of("FIREWALL_INACTIVE", "ALLOW_FROM_ANYWHERE", "DOCKER_BYPASSES_FIREWALL",
            "KUBERNETES_SERVICE_EXPOSED", "DNAT_BYPASSES_FIREWALL",
            "IPV6_UNFILTERED", "RULE_SHADOWED", "UNAUTHENTICATED_AI_API", "SETUP_TAKEOVER", "PLAINTEXT_BASIC_AUTH",
            "ADMIN_ENDPOINT_EXPOSED", "NO_RATE_LIMIT", "RATE_LIMIT_INEFFECTIVE", "KNOWN_CVE");
    private static final int TRUSTED = 200;

    @TempDir
    Path tmp;

    record Endpoint(String ip, int port) {
        @Override
        public String toString() {
            return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
        }
    }

    private Path scan(Scenario s, String name) throws Exception {
        Path out = tmp.resolve(name + ".jsonl");
        Lab.Run r = Lab.run(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "-q", "--mode", "connect", "-p", s.scanPorts(),
                "--jsonl", out.toString(), s.v4(), s.v6()), 120);
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private Path collect(Scenario s, String name) throws Exception {
        Path out = tmp.resolve(name + ".json");
        Lab.Run r = s.exec(90, "unshare", "--uts", "sh", "-c", "hostname " + s.namespace() + " && exec "
                + Lab.ROOT.resolve("scanner/aiscan") + " collect -q -o " + out);
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private JsonNode audit(Path scan, Path snap, Path bundle, String trusted) throws Exception {
        Path json = tmp.resolve("audit-" + System.nanoTime() + ".json");
        List<String> cmd = new ArrayList<>(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "audit", "-q", "--scan", scan.toString(),
                "--snapshot", snap.toString(), "--json", json.toString()));
        if (bundle != null) {
            cmd.addAll(List.of("--remediation", bundle.toString(), "--trusted", trusted));
        }
        Lab.Run r = Lab.run(cmd, 120);
        assertTrue(r.code() == 0 || r.code() == 3, r.err());
        return JSON.readTree(json.toFile());
    }

    private static Set<String> open(Path jsonl) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("type").asText().equals("port") && n.path("state").asText().equals("open")) {
                out.add(new Endpoint(n.path("ip").asText(), n.path("port").asInt()).toString());
            }
        }
        return out;
    }

    /** The endpoints the diagnoses ask to close (not SSH). */
    private static Set<Endpoint> targeted(JsonNode audit) {
        Set<Endpoint> out = new LinkedHashSet<>();
        for (JsonNode d : audit.path("diagnoses")) {
            if (RESTRICT.contains(d.path("code").asText()) && d.path("port").isInt() && d.path("port").asInt() != 22
                    && !d.path("ip").isNull()) {
                out.add(new Endpoint(d.path("ip").asText(), d.path("port").asInt()));
            }
        }
        return out;
    }

    private static boolean connects(String from, Endpoint to) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(to.ip(), to.port()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs every file's checker; the firewall files inside the scenario's namespace (their chains must exist). */
    private void check(Scenario s, Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(f).toString();
                Lab.Run r;
                if (name.equals("firewalld.sh")) { // firewall-offline-cmd on a throwaway copy of the namespace's /etc/firewalld
                    r = s.exec(60, "sh", "-c", "cd " + dir + " && C=$(mktemp -d) && cp -a /etc/firewalld/. \"$C\" && FWCMD=\"firewall-offline-cmd "
                            + "--system-config $C\" sh -e firewalld.sh; rc=$?; rm -rf \"$C\"; exit $rc");
                } else if (name.endsWith(".sh")) {
                    r = s.exec(60, "sh", "-c", "UFW='ufw --dry-run' sh " + f);
                } else if (name.equals("iptables.rules") || name.equals("ip6tables.rules")) {
                    r = s.exec(60, "sh", "-c", (name.startsWith("ip6") ? "ip6" : "ip") + "tables-restore --test --noflush < " + f);
                } else if (name.endsWith(".nft")) {
                    r = s.exec(60, "nft", "-c", "-f", f.toString());
                } else if (name.startsWith("nginx/")) {
                    r = nginxTest(s, f);
                } else if (name.startsWith("fail2ban/")) {
                    r = fail2banTest(f);
                } else if (name.endsWith(".yml")) {
                    new YAMLMapper().readTree(f.toFile());
                    continue;
                } else {
                    assertTrue(name.equals("README.md"), "a file the test does not know how to check: " + name);
                    continue;
                }
                assertEquals(0, r.code(), name + ": " + r.out() + r.err());
            }
        }
    }

    /**
     * nginx -t binds the listen addresses, so it runs in a namespace of its own holding the host's
     * public addresses on its loopback (nothing listens there); certificate, key and password file
     * are made for the check.
     */
    private Lab.Run nginxTest(Scenario s, Path conf) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("nginx-" + System.nanoTime()));
        assertEquals(0, Lab.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=aiscan", "-keyout",
                d.resolve("tls.key").toString(), "-out", d.resolve("tls.crt").toString(), "-days", "1"), 60).code());
        Files.writeString(d.resolve("htpasswd"), "check:" + Lab.run(List.of("openssl", "passwd", "-apr1", "check"), 10).out().trim() + "\n");
        Files.writeString(d.resolve("site.conf"), Files.readString(conf).replace("/etc/nginx/aiscan", d.toString()));
        Files.writeString(d.resolve("nginx.conf"), "pid " + d + "/nginx.pid;\nerror_log " + d + "/error.log;\nevents {}\nhttp {\n"
                + "access_log off;\ninclude " + d + "/site.conf;\n}\n");
        String ns = "aisr-nginx";
        Lab.run(List.of("ip", "netns", "del", ns), 10);
        try {
            Lab.run(List.of("ip", "netns", "add", ns), 10);
            Lab.run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"), 10);
            Lab.run(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", s.v4() + "/32", "dev", "lo"), 10);
            Lab.run(List.of("ip", "netns", "exec", ns, "ip", "-6", "addr", "add", s.v6() + "/128", "dev", "lo", "nodad"), 10);
            return Lab.run(List.of("ip", "netns", "exec", ns, "nginx", "-t", "-c", d.resolve("nginx.conf").toString(), "-p", d + "/"), 60);
        } finally {
            Lab.run(List.of("ip", "netns", "del", ns), 10);
        }
    }

    /** fail2ban-client -t on a copy of /etc/fail2ban with the bundle's jail file in jail.d. */
    private Lab.Run fail2banTest(Path jail) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("f2b-" + System.nanoTime()));
        assertEquals(0, Lab.run(List.of("cp", "-a", "/etc/fail2ban", d.toString()), 30).code());
        Files.copy(jail, d.resolve("fail2ban/jail.d/aiscan.local"));
        return Lab.run(List.of("fail2ban-client", "-c", d.resolve("fail2ban").toString(), "-t"), 60);
    }

    private void apply(Scenario s, Path dir) throws Exception {
        if (Files.exists(dir.resolve("firewalld.sh"))) {
            Lab.Run r = s.exec(60, "sh", dir.resolve("firewalld.sh").toString());
            assertEquals(0, r.code(), r.out() + r.err());
        }
        if (Files.exists(dir.resolve("ufw.sh"))) {
            Lab.Run r = s.exec(60, "sh", dir.resolve("ufw.sh").toString());
            assertEquals(0, r.code(), r.out() + r.err());
        }
        for (String f : List.of("iptables.rules", "ip6tables.rules")) {
            if (Files.exists(dir.resolve(f))) {
                Lab.Run r = s.exec(60, "sh", "-c", (f.startsWith("ip6") ? "ip6" : "ip") + "tables-restore --noflush < " + dir.resolve(f));
                assertEquals(0, r.code(), f + ": " + r.err());
            }
        }
        if (Files.exists(dir.resolve("nftables.nft"))) {
            Lab.Run r = s.exec(60, "nft", "-f", dir.resolve("nftables.nft").toString());
            assertEquals(0, r.code(), r.err());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nofw", "ufw-subnet", "ufw-docker", "ufw-docker-fixed", "v6open", "nft-only", "ratelimit", "shadowed",
        "loopback", "webapps", "ratelimit-docker", "stack-split", "jupyter-token", "ufw-docker-gap", "kube-iptables", "kube-nft", "firewalld", "podman"})
    void bundleChecksAppliesAndClosesWhatItTargets(String name) throws Exception {
        try (Scenario s = Scenario.up(name)) {
            s.addRootAddresses(TRUSTED);
            String trusted = s.rootAddress(4, TRUSTED) + "/32," + s.rootAddress(6, TRUSTED) + "/128";
            Path before = scan(s, "before");
            JsonNode audit = audit(before, collect(s, "before"), tmp.resolve("bundle"), trusted);
            Path dir = tmp.resolve("bundle").resolve(s.namespace());
            assertTrue(Files.exists(dir.resolve("README.md")), "bundle for " + s.namespace());
            check(s, dir);
            Set<Endpoint> targets = targeted(audit);
            Set<String> openBefore = open(before);
            boolean sshV4 = openBefore.contains(s.v4() + ":22");
            boolean sshV6 = openBefore.contains("[" + s.v6() + "]:22");

            apply(s, dir);
            Path after = scan(s, "after");
            Set<String> openAfter = open(after);
            for (Endpoint t : targets) {
                assertFalse(openAfter.contains(t.toString()), t + " is still open to the scanner: " + openAfter);
                String from = s.rootAddress(t.ip().contains(":") ? 6 : 4, TRUSTED);
                assertTrue(connects(from, t), "the trusted " + from + " no longer reaches " + t);
            }
            Path page = tmp.resolve("compare.html");
            Lab.Run rep = Lab.run(List.of(Lab.ROOT.resolve("scanner/aiscan").toString(), "report", "-q", after.toString(), "--compare",
                    before.toString(), "--html", page.toString()), 120);
            assertEquals(0, rep.code(), rep.err());
            org.jsoup.nodes.Document html = org.jsoup.Jsoup.parse(Files.readString(page));
            Set<String> fixed = new TreeSet<>(html.select("table.changes tr.fixed td:nth-child(2)").eachText());
            for (Endpoint t : targets) {
                if (openBefore.contains(t.toString())) {
                    assertTrue(fixed.contains(t.toString()), "report --compare lists the closed " + t + " as fixed: " + fixed);
                }
            }
            for (String f : fixed) {
                assertTrue(openBefore.contains(f) && !openAfter.contains(f), "fixed means open before, not after: " + f);
            }
            assertEquals(sshV4, openAfter.contains(s.v4() + ":22"), "SSH over IPv4 as before: " + openAfter);
            assertEquals(sshV6, openAfter.contains("[" + s.v6() + "]:22"), "SSH over IPv6 as before: " + openAfter);
            Set<String> targetedAgain = new TreeSet<>();
            JsonNode again = audit(after, collect(s, "after"), null, null);
            for (Endpoint t : targeted(again)) {
                targetedAgain.add(t.toString());
            }
            assertEquals(Set.of(), targetedAgain, "a new audit still names these");
            for (JsonNode d : again.path("diagnoses")) {
                assertFalse(d.path("code").asText().equals("SSH_NOT_RATE_LIMITED"), "SSH is rate limited now: " + d);
            }
        }
    }
}
