package org.aiscan.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.aiscan.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Runs the host's own tools with {@code LC_ALL=C} and a timeout each, and reads a few files. A tool
 * that is not installed, a permission problem or a timeout is recorded in the snapshot with one line
 * saying so; it never fails the collection.
 */
public final class Collector {
    /** Longest any one source may run. */
    static final long TIMEOUT_MILLIS = 15_000;
    /** Most bytes kept of any one output. */
    static final int MAX_BYTES = 32 << 20;
    private final List<String> unitWords;
    private final Shell shell;

    /**
     * @param unitWords words of AI service unit names (the fingerprint rules' {@code units}); the
     *     units whose names hold one have their limits recorded
     */
    public Collector(List<String> unitWords) {
        this(unitWords, new LocalShell());
    }

    /** A collector that runs the tools through {@code shell} (this machine, or another over ssh). */
    public Collector(List<String> unitWords, Shell shell) {
        this.unitWords = unitWords.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
        this.shell = shell;
    }

    /**
     * Collects everything the host offers. An {@link IOException} only when the shell loses the host
     * (an ssh connection that drops); a tool's own failure is a note in its source.
     */
    public Snapshot collect(String version) throws IOException, InterruptedException {
        List<Snapshot.Source> s = new ArrayList<>();
        boolean root = shell.isRoot();
        s.add(run("hostname", "hostname"));
        s.add(run("ip-addr", "ip", "-o", "addr", "show"));
        s.add(run("ip-route-v4", "ip", "route", "show"));
        s.add(run("ip-route-v6", "ip", "-6", "route", "show"));
        s.add(run("ss-tcp", "ss", "-tlnpH"));
        s.add(run("ss-udp", "ss", "-ulnpH"));
        boolean split = which("iptables-nft-save") != null || which("iptables-legacy-save") != null;
        if (split) {
            for (String flavour : List.of("nft", "legacy")) {
                s.add(run("iptables-" + flavour + "-v4", "iptables-" + flavour + "-save"));
                s.add(run("iptables-" + flavour + "-v6", "ip6tables-" + flavour + "-save"));
            }
        } else {
            s.add(run("iptables-v4", "iptables-save"));
            s.add(run("iptables-v6", "ip6tables-save"));
        }
        s.add(run("nft", "nft", "list", "ruleset"));
        s.add(run("nft-json", "nft", "-j", "list", "ruleset"));
        s.add(run("ufw-verbose", "ufw", "status", "verbose"));
        s.add(run("ufw-numbered", "ufw", "status", "numbered"));
        s.add(hostFile("ufw-defaults", "/etc/default/ufw"));
        s.add(run("firewalld", "firewall-cmd", "--list-all-zones"));
        s.add(run("tailscale", "tailscale", "status", "--json"));
        s.add(run("docker-ps", "docker", "ps", "--no-trunc", "--format", "{{json .}}"));
        s.add(hostFile("docker-daemon-json", "/etc/docker/daemon.json"));
        s.add(fail2ban());
        s.add(run("sysctl", "sysctl", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv4.conf.all.route_localnet"));
        s.add(units());
        return new Snapshot(Snapshot.SCHEMA, hostname(s), Instant.now(), version, root, s);
    }

    static String hostname(List<Snapshot.Source> s) {
        for (Snapshot.Source x : s) {
            if (x.name().equals("hostname") && x.ok()) {
                return x.stdout().trim();
            }
        }
        return "unknown";
    }

    /** The note of a fail2ban source when the client is installed but no server answers: no jail protects anything. */
    public static final String NOT_RUNNING = "fail2ban is installed but its server is not running";

    private Snapshot.Source fail2ban() throws IOException, InterruptedException {
        Snapshot.Source st = run("fail2ban", "fail2ban-client", "status");
        if (!st.ok()) {
            if ((st.stderr() + st.stdout()).contains("Is fail2ban running")) {
                return new Snapshot.Source("fail2ban", st.command(), "error", st.exitCode(), st.millis(), st.stdout(), st.stderr(),
                        NOT_RUNNING);
            }
            return st;
        }
        StringBuilder all = new StringBuilder(st.stdout());
        java.util.regex.Matcher m = Pattern.compile("Jail list:\\s*(.*)").matcher(st.stdout());
        if (m.find()) {
            for (String jail : m.group(1).split(",")) {
                if (!jail.isBlank() && jail.trim().matches("[\\w.-]+")) {
                    Snapshot.Source j = run("fail2ban-jail", "fail2ban-client", "status", jail.trim());
                    all.append('\n').append(j.stdout());
                }
            }
        }
        return new Snapshot.Source("fail2ban", st.command(), "ok", 0, st.millis(), all.toString(), st.stderr(), st.note());
    }

    private Snapshot.Source units() throws IOException, InterruptedException {
        Snapshot.Source list = run("systemd-units", "systemctl", "list-units", "--type=service", "--all", "--plain", "--no-legend", "--no-pager");
        if (!list.ok()) {
            return list;
        }
        List<String> units = aiUnits(list.stdout(), unitWords);
        if (units.isEmpty()) {
            return new Snapshot.Source("systemd-units", list.command(), "empty", 0, list.millis(), "", "", "no AI service units");
        }
        List<String> cmd = new ArrayList<>(List.of("systemctl", "show", "--no-pager", "-p", "Id,LoadState,ActiveState,User,MemoryMax,"
                + "Environment,ExecStart,IPAddressDeny,IPAddressAllow"));
        cmd.addAll(units);
        return run("systemd-units", cmd.toArray(String[]::new));
    }

    /** The service units of a {@code systemctl list-units --plain --no-legend} listing whose names hold one of the words. */
    static List<String> aiUnits(String listing, List<String> words) {
        List<String> units = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String u = line.trim().split("\\s+")[0];
            String name = u.toLowerCase(Locale.ROOT);
            if (name.endsWith(".service") && words.stream().anyMatch(name::contains)) {
                units.add(u);
            }
        }
        return units;
    }

    /** A file of the host (through the shell); missing or unreadable is recorded, not thrown. */
    private Snapshot.Source hostFile(String name, String path) throws IOException, InterruptedException {
        List<String> cmd = List.of("cat", path);
        byte[] b;
        try {
            b = shell.read(path, MAX_BYTES);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("ssh")) {
                throw e;
            }
            return new Snapshot.Source(name, cmd, "denied", -1, 0, "", String.valueOf(e.getMessage()), "cannot read " + path + ": " + e.getMessage());
        }
        if (b == null) {
            return new Snapshot.Source(name, cmd, "missing", -1, 0, "", "", path + " does not exist");
        }
        boolean cut = b.length > MAX_BYTES;
        String text = new String(b, 0, Math.min(b.length, MAX_BYTES), StandardCharsets.UTF_8);
        return new Snapshot.Source(name, cmd, text.isBlank() ? "empty" : "ok", 0, 0, text, "", cut ? path + " cut at " + (MAX_BYTES >> 20) + " MiB" : null);
    }

    static Snapshot.Source file(String name, Path p) {
        List<String> cmd = List.of("cat", p.toString());
        if (!Files.exists(p)) {
            return new Snapshot.Source(name, cmd, "missing", -1, 0, "", "", p + " does not exist");
        }
        try {
            byte[] b;
            try (java.io.InputStream in = Files.newInputStream(p)) {
                b = in.readNBytes(MAX_BYTES + 1);
            }
            boolean cut = b.length > MAX_BYTES;
            String text = new String(b, 0, Math.min(b.length, MAX_BYTES), StandardCharsets.UTF_8);
            return new Snapshot.Source(name, cmd, text.isBlank() ? "empty" : "ok", 0, 0, text, "",
                    cut ? p + " cut at " + (MAX_BYTES >> 20) + " MiB" : null);
        } catch (IOException e) {
            return new Snapshot.Source(name, cmd, "denied", -1, 0, "", e.toString(), "cannot read " + p + ": " + e.getMessage());
        }
    }

    /** Runs one command; never throws for a missing tool, a refusal or a timeout (only for a lost host). */
    Snapshot.Source run(String name, String... command) throws IOException, InterruptedException {
        List<String> cmd = List.of(command);
        String exe = shell.which(command[0]);
        if (exe == null) {
            return new Snapshot.Source(name, cmd, "missing", -1, 0, "", "", command[0] + " is not installed");
        }
        List<String> argv = new ArrayList<>(cmd);
        argv.set(0, exe);
        Shell.Result r;
        try {
            r = shell.exec(argv, TIMEOUT_MILLIS);
        } catch (IOException e) {
            if (shell instanceof LocalShell) {
                return new Snapshot.Source(name, cmd, "error", -1, 0, "", e.getMessage(), "could not run " + command[0] + ": " + e.getMessage());
            }
            throw e;
        }
        long millis = r.millis();
        String stdout = new String(r.out(), StandardCharsets.UTF_8);
        String stderr = new String(r.err(), StandardCharsets.UTF_8);
        if (r.timedOut()) {
            return new Snapshot.Source(name, cmd, "timeout", -1, millis, stdout, stderr, command[0] + " did not finish in "
                    + TIMEOUT_MILLIS / 1000 + " s");
        }
        int code = r.code();
        String note = stdout.length() >= MAX_BYTES ? "output cut at " + (MAX_BYTES >> 20) + " MiB" : null;
        if (code != 0) {
            String e = (stderr + " " + stdout).toLowerCase(Locale.ROOT);
            boolean denied = e.contains("permission denied") || e.contains("must be root") || e.contains("operation not permitted")
                    || e.contains("you need to be root") || e.contains("are you root");
            String first = firstLine(stderr.isBlank() ? stdout : stderr);
            return new Snapshot.Source(name, cmd, denied ? "denied" : "error", code, millis, stdout, stderr,
                    denied ? command[0] + (command[0].equals("docker") ? " needs root or the docker group" : " needs root") : command[0] + " exited " + code + (first.isEmpty() ? "" : ": " + first));
        }
        return new Snapshot.Source(name, cmd, stdout.isBlank() ? "empty" : "ok", code, millis, stdout, stderr, note);
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        t = nl < 0 ? t : t.substring(0, nl);
        return t.length() > 160 ? t.substring(0, 157) + "..." : t;
    }

    @Nullable String which(String tool) throws IOException, InterruptedException {
        return shell.which(tool);
    }

    /** Whether this process runs with effective uid 0. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * A snapshot from files collected by hand or by another tool, or pasted from somewhere. Files named
     * as in research/host-samples are taken by their name: {@code ss-tulnpH.txt} (or {@code ss.txt}),
     * {@code iptables-save.txt}, {@code ip6tables-save.txt}, {@code iptables-S.txt}, {@code iptables-nat-S.txt},
     * {@code nft-ruleset.txt}, {@code ufw-status-verbose.txt}, {@code netstat-tlnp.txt}, {@code ip-addr.txt},
     * {@code ip-route.txt}, … ({@link #NAMES}); any other {@code .txt} file is recognised by its content
     * ({@link Formats}), and its source's note says what it was taken for (or that it was not recognised).
     */
    public static Snapshot fromFiles(Path dir, String version) throws IOException {
        List<Snapshot.Source> s = new ArrayList<>();
        java.util.Set<Path> used = new java.util.HashSet<>();
        for (Map.Entry<String, List<String>> e : NAMES.entrySet()) {
            for (String f : e.getValue()) {
                Path p = dir.resolve(f);
                if (Files.isRegularFile(p)) {
                    s.add(file(e.getKey(), p));
                    used.add(p);
                    break;
                }
            }
        }
        List<Path> others;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            others = files.filter(p -> Files.isRegularFile(p) && !used.contains(p) && (p.toString().endsWith(".txt") || p.toString().endsWith(".log")))
                    .sorted().toList();
        }
        java.util.Set<String> taken = new java.util.HashSet<>();
        s.forEach(x -> taken.add(x.name()));
        for (Path p : others) {
            Snapshot.Source raw = file("unrecognised", p);
            Formats.Guess g = Formats.guess(raw.stdout());
            if (g == null) {
                s.add(new Snapshot.Source("unrecognised", raw.command(), "error", -1, 0, "", "", p.getFileName()
                        + ": not recognised as any output aiscan reads (first line: " + firstLine(raw.stdout()) + ")"));
                continue;
            }
            if ("firewalld".equals(g.source()) && taken.contains("firewalld")) {
                appendZones(s, p, raw.stdout()); // one zone per file (firewall-cmd --zone=X --list-all): the zones together
                continue;
            }
            if (g.source() == null || !taken.add(g.source())) {
                s.add(new Snapshot.Source("unrecognised", raw.command(), "error", -1, 0, "", "", p.getFileName() + ": recognised as "
                        + g.what() + (g.source() == null ? ", which aiscan does not evaluate" + (g.instead() == null ? "" : " (give " + g.instead() + ")")
                        : ", but another file already gave that")));
                continue;
            }
            s.add(new Snapshot.Source(g.source(), raw.command(), raw.status(), raw.exitCode(), 0, raw.stdout(), "",
                    p.getFileName() + ": recognised as " + g.what()));
        }
        preferDumps(s);
        if (s.isEmpty()) {
            throw new InvalidInputException(dir + ": no snapshot files (expected raw outputs such as ss.txt, iptables-save.txt, "
                    + "ufw-status-verbose.txt, or snapshot .json files from 'aiscan collect')");
        }
        return new Snapshot(Snapshot.SCHEMA, dir.getFileName().toString(), Instant.now(), version, true, s);
    }

    /** Another file of firewalld zones, after those already read: one source, its files' lines in order, said in its note. */
    private static void appendZones(List<Snapshot.Source> s, Path p, String text) {
        for (int i = 0; i < s.size(); i++) {
            Snapshot.Source f = s.get(i);
            if (f.name().equals("firewalld")) {
                String before = f.stdout().endsWith("\n") || f.stdout().isEmpty() ? f.stdout() : f.stdout() + "\n";
                int from = before.split("\n", -1).length;
                s.set(i, new Snapshot.Source("firewalld", f.command(), f.status(), f.exitCode(), 0, before + text, "",
                        (f.note() == null ? "" : f.note() + "; ") + p.getFileName() + " from line " + from));
                return;
            }
        }
    }

    private static final java.util.regex.Pattern LISTED = java.util.regex.Pattern.compile(
            "^iptables-(l|s)-(?:(nft|legacy)-)?(?:(nat|raw|mangle|security)-)?(v[46])$");
    private static final java.util.regex.Pattern SAVED = java.util.regex.Pattern.compile("^iptables-(?:(nft|legacy)-)?(v[46])$");

    /**
     * An {@code iptables -L} paste of a table that an iptables-save dump or an {@code iptables -S}
     * listing of the same stack also gives is not read: those keep every match of every rule (the
     * interfaces {@code -L} hides without {@code -v}); its source says so.
     */
    private static void preferDumps(List<Snapshot.Source> s) {
        for (int i = 0; i < s.size(); i++) {
            Snapshot.Source l = s.get(i);
            java.util.regex.Matcher m = LISTED.matcher(l.name());
            if (!m.matches() || !m.group(1).equals("l")) {
                continue;
            }
            String flavour = m.group(2) == null ? "" : m.group(2);
            String table = m.group(3) == null ? "filter" : m.group(3);
            String family = m.group(4);
            String better = null;
            for (Snapshot.Source o : s) {
                java.util.regex.Matcher x = LISTED.matcher(o.name());
                java.util.regex.Matcher y = SAVED.matcher(o.name());
                if (x.matches() && x.group(1).equals("s") && flavour.equals(x.group(2) == null ? "" : x.group(2))
                        && table.equals(x.group(3) == null ? "filter" : x.group(3)) && family.equals(x.group(4))
                        || y.matches() && flavour.equals(y.group(1) == null ? "" : y.group(1)) && family.equals(y.group(2))
                        && o.stdout() != null && o.stdout().contains("*" + table)) {
                    better = o.name();
                    break;
                }
            }
            if (better != null) {
                String file = l.command().size() > 1 ? Path.of(l.command().get(l.command().size() - 1)).getFileName().toString() : l.name();
                s.set(i, new Snapshot.Source("unrecognised", l.command(), "error", -1, 0, "", "", file + ": iptables -L output of the "
                        + table + " table, not read: " + better + " gives the same table with every match of every rule"));
            }
        }
    }

    /** File names taken for each source, first match wins. */
    static final Map<String, List<String>> NAMES = names();

    private static Map<String, List<String>> names() {
        Map<String, List<String>> names = new java.util.LinkedHashMap<>();
        names.put("ss-tcp", List.of("ss-tulnpH.txt", "ss-tlnpH.txt", "ss-tulnp.txt", "ss-tlnp.txt", "ss-lntup.txt", "ss.txt"));
        names.put("ss-udp", List.of("ss-udp.txt"));
        names.put("netstat", List.of("netstat-tlnp.txt", "netstat-tulnp.txt", "netstat-tulpn.txt", "netstat-lnp.txt", "netstat-lntp.txt",
                "netstat-antp.txt", "netstat.txt"));
        names.put("iptables-v4", List.of("iptables-save.txt"));
        names.put("iptables-v6", List.of("ip6tables-save.txt"));
        names.put("iptables-nft-v4", List.of("iptables-nft-save.txt"));
        names.put("iptables-nft-v6", List.of("ip6tables-nft-save.txt"));
        names.put("iptables-legacy-v4", List.of("iptables-legacy-save.txt"));
        names.put("iptables-legacy-v6", List.of("ip6tables-legacy-save.txt"));
        names.put("iptables-s-v4", List.of("iptables-S.txt", "iptables-s.txt"));
        names.put("iptables-s-legacy-v4", List.of("iptables-legacy-S.txt"));
        names.put("iptables-s-nat-v4", List.of("iptables-nat-S.txt", "iptables-t-nat-S.txt"));
        names.put("iptables-s-raw-v4", List.of("iptables-raw-S.txt", "iptables-t-raw-S.txt"));
        names.put("iptables-s-mangle-v4", List.of("iptables-mangle-S.txt", "iptables-t-mangle-S.txt"));
        names.put("iptables-s-v6", List.of("ip6tables-S.txt", "ip6tables-s.txt"));
        names.put("iptables-s-nat-v6", List.of("ip6tables-nat-S.txt", "ip6tables-t-nat-S.txt"));
        // iptables -L as people paste it: read, though iptables-save or -S is preferred when both are given (fromFiles)
        names.put("iptables-l-v4", List.of("iptables-L-n-v.txt", "iptables-L-v-n.txt", "iptables-nvL.txt", "iptables-vnL.txt", "iptables-L-nv.txt",
                "iptables-L-n-v-line-numbers.txt", "iptables-L-n-v-x.txt", "iptables-L-v.txt", "iptables-L-n.txt", "iptables-nL.txt", "iptables-L.txt"));
        names.put("iptables-l-nft-v4", List.of("iptables-nft-L-n-v.txt", "iptables-nft-L-v.txt", "iptables-nft-L-n.txt", "iptables-nft-L.txt"));
        names.put("iptables-l-legacy-v4", List.of("iptables-legacy-L-n-v.txt", "iptables-legacy-L-v.txt", "iptables-legacy-L-n.txt",
                "iptables-legacy-L.txt"));
        names.put("iptables-l-nat-v4", List.of("iptables-nat-L-n-v.txt", "iptables-t-nat-L-n-v.txt", "iptables-nat-nvL.txt", "iptables-t-nat-nvL.txt",
                "iptables-nat-L-v.txt", "iptables-nat-L-n.txt", "iptables-nat-L.txt", "iptables-t-nat-L.txt"));
        names.put("iptables-l-raw-v4", List.of("iptables-raw-L-n-v.txt", "iptables-t-raw-L-n-v.txt", "iptables-raw-L.txt"));
        names.put("iptables-l-mangle-v4", List.of("iptables-mangle-L-n-v.txt", "iptables-t-mangle-L-n-v.txt", "iptables-mangle-L-v-line-numbers.txt",
                "iptables-mangle-L-v.txt", "iptables-mangle-L.txt"));
        names.put("iptables-l-v6", List.of("ip6tables-L-n-v.txt", "ip6tables-nvL.txt", "ip6tables-L-v.txt", "ip6tables-L-n.txt", "ip6tables-L.txt"));
        names.put("iptables-l-nat-v6", List.of("ip6tables-nat-L-n-v.txt", "ip6tables-t-nat-L-n-v.txt", "ip6tables-nat-L.txt"));
        names.put("nft", List.of("nft-ruleset.txt", "nft-list-ruleset.txt"));
        names.put("ufw-verbose", List.of("ufw-status-verbose.txt"));
        names.put("ufw-numbered", List.of("ufw-status-numbered.txt"));
        names.put("ufw-plain", List.of("ufw-status.txt"));
        names.put("docker-ps", List.of("docker-ps-format-json.synthetic.txt", "docker-ps.synthetic.txt", "docker-ps.txt"));
        names.put("ip-addr", List.of("ip-addr-o.txt", "ip-addr.txt", "ip-br-addr.txt", "ip-addr-br.txt"));
        names.put("ip-route-v4", List.of("ip-route.txt", "ip-route-v4.txt"));
        names.put("ip-route-v6", List.of("ip-6-route.txt", "ip6-route.txt", "ip-route-v6.txt"));
        names.put("firewalld", List.of("firewall-cmd-list-all-zones.txt", "firewall-cmd-list-all.txt"));
        names.put("tailscale", List.of("tailscale-status.json"));
        names.put("sysctl", List.of("sysctl-forwarding.txt", "sysctl.txt"));
        names.put("fail2ban", List.of("fail2ban.txt"));
        names.put("systemd-units", List.of("systemd-units.txt"));
        return java.util.Collections.unmodifiableMap(names);
    }
}
