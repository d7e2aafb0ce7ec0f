package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.aiscan.console.Console;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.host.SnapshotFile;
import org.aiscan.host.SshShell;
import org.aiscan.model.InvalidInputException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** {@code aiscan collect}: snapshot this host's listeners and firewall for {@code aiscan audit}. */
public final class CollectCommand implements Callable<Integer> {
    @Nullable String output;
    @Nullable Path from;
    @Nullable Path rulesDir;
    boolean quiet;
    List<String> ssh = new ArrayList<>();
    List<String> sshOptions = new ArrayList<>();
    boolean sudo;
    int connectTimeout;
    int parallel;

    /** This command's command line, declared in code ({@link OptionTable}). */
    static CommandLine commandLine() {
        CollectCommand c = new CollectCommand();
        OptionTable t = OptionTable.command(c, "collect")
                .description("Snapshot this host's listeners and firewall for 'aiscan audit'.",
                        "Run it on the host, as root for the full picture: listening sockets (ss), iptables and",
                        "ip6tables (legacy and nft), nftables, ufw, Docker's published ports, fail2ban, sysctl,",
                        "AI service units. Raw output is kept beside the parsed form; a missing tool or a",
                        "permission problem is noted in the snapshot, not fatal.",
                        "With --ssh, the same commands run on each host over the system OpenSSH client (its keys,",
                        "agent, known hosts and config; aiscan stores no credentials), one snapshot per host in",
                        "the -o folder; a host that fails is one line and never stops the others.")
                .footer("", "Exit codes: 0 every snapshot written, 1 a host could not be collected (the others are written),",
                        "2 bad input.");
        t.option("-o", "--output").label("FILE")
                .about("Where to write the snapshot (default: aiscan-snapshot-HOSTNAME.json; '-' for stdout).")
                .value(String.class, v -> c.output = v);
        t.option("--from").label("DIR")
                .about("Build the snapshot from files collected elsewhere (ss.txt, iptables-save.txt, ufw-status-verbose.txt, nft-ruleset.txt, …).")
                .value(Path.class, v -> c.from = v);
        t.option("--rules").label("DIR")
                .about("Fingerprint rules folder whose 'units' name the AI service units to record (default: the installed rulesets/).")
                .value(Path.class, v -> c.rulesDir = v);
        t.option("-q", "--quiet").about("Only problems on stderr.").flag(v -> c.quiet = v);
        t.option("--ssh").label("DEST").arity("1..*")
                .about("Collect on these hosts over ssh ([user@]host or ssh://[user@]host[:port]), each into -o DIR "
                        + "(default: the current folder) as <host>.json.")
                .list(String.class, () -> c.ssh, v -> c.ssh = v);
        t.option("--ssh-option").label("OPT")
                .about("An ssh -o option for every host (repeatable), e.g. IdentityFile=~/.ssh/audit or Port=2222.")
                .list(String.class, () -> c.sshOptions, v -> c.sshOptions = v);
        t.option("--sudo").about("With --ssh: run the tools through 'sudo -n' (for a login that is not root; never prompts).")
                .flag(v -> c.sudo = v);
        t.option("--connect-timeout").label("SECONDS").defaultValue("10")
                .about("With --ssh: how long to wait for each host to answer (default: ${DEFAULT-VALUE}).")
                .value(int.class, v -> c.connectTimeout = v);
        t.option("--parallel").label("N").defaultValue("8")
                .about("With --ssh: hosts collected at the same time (default: ${DEFAULT-VALUE}).")
                .value(int.class, v -> c.parallel = v);
        return t.commandLine();
    }

    @Override
    public Integer call() throws Exception {
        if (!ssh.isEmpty()) {
            return fleet();
        }
        Snapshot s;
        if (from != null) {
            if (!Files.isDirectory(from)) {
                throw new InvalidInputException("--from " + from + ": not a folder");
            }
            s = Collector.fromFiles(from, VersionProvider.version());
        } else {
            s = new Collector(RuleLoader.usable(rulesDir).unitWords()).collect(VersionProvider.version());
        }
        HostView v = HostView.of(s);
        try (Console console = Console.system(quiet)) {
            return write(s, v, console);
        }
    }

    private int write(Snapshot s, HostView v, Console console) throws IOException {
        if (!s.root() && from == null) {
            console.warn("not root: collected what is possible; iptables-save, nft, ufw and ss -p need root for the full picture");
        }
        for (String note : v.notes) {
            console.say(note);
        }
        v.problems.forEach(p -> console.warn("unreadable: " + p));
        Path target = output != null && !output.equals("-") ? Path.of(output)
                : output == null ? Path.of("aiscan-snapshot-" + s.hostname().replaceAll("[^A-Za-z0-9._-]", "_") + ".json") : null;
        if (target == null) {
            System.out.println(SnapshotFile.toJsonText(s, v));
        } else {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new InvalidInputException("cannot write '" + target + "': folder " + parent + " does not exist");
            }
            SnapshotFile.write(s, v, target);
        }
        console.say(summary(s, v, target));
        return ExitCodes.OK;
    }

    private static String summary(Snapshot s, HostView v, @Nullable Path target) {
        long ok = s.sources().stream().filter(x -> x.ok() || x.status().equals("empty")).count();
        int rules = v.iptables.stream().mapToInt(d -> d.dump().ruleCount()).sum();
        return String.format(Locale.ROOT, "%s: %d of %d sources read; %d listeners, %d iptables rules, %s, %s, %d Docker ports%s; %d unreadable lines",
                s.hostname(), ok, s.sources().size(), v.listeners.size(), rules,
                v.ufw != null ? "ufw " + (v.ufw.active() ? "active with " + v.ufw.rules().size() + " rules" : "inactive")
                        : absent(s, "ufw-verbose", "ufw"),
                v.nft != null ? v.nft.tables().size() + " nft tables" : absent(s, "nft", "nft"), v.docker.size(),
                target == null ? "" : " -> " + target, v.problems.size());
    }

    /**
     * {@code --ssh}: every host in parallel (at most {@code --parallel}), each snapshot written as it
     * completes; a host that cannot be reached or collected is one error line.
     */
    private int fleet() throws Exception {
        if (from != null) {
            throw new InvalidInputException("--ssh and --from: collect over ssh or from files, not both");
        }
        if (parallel < 1 || connectTimeout < 1) {
            throw new InvalidInputException("--parallel and --connect-timeout take a positive number");
        }
        Path dir = Path.of(output == null ? "." : output);
        if (output != null && output.equals("-") || !Files.isDirectory(dir)) {
            throw new InvalidInputException("-o " + dir + ": with --ssh, -o names an existing folder (one snapshot per host)");
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String d : ssh) {
            SshTargets.check(d);
            String file = SshTargets.fileName(d);
            if (files.containsValue(file)) {
                throw new InvalidInputException("--ssh " + d + ": named twice (its snapshot would be " + file + ")");
            }
            files.put(d, file);
        }
        List<String> words = RuleLoader.usable(rulesDir).unitWords();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(parallel, ssh.size()));
        try (Console console = Console.system(quiet)) {
            List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
            for (Map.Entry<String, String> e : files.entrySet()) {
                jobs.add(pool.submit(() -> {
                    try (SshShell sh = new SshShell(e.getKey(), sshOptions, sudo, connectTimeout)) {
                        Snapshot s = new Collector(words, sh).collect(VersionProvider.version());
                        Path target = dir.resolve(e.getValue());
                        HostView v = HostView.of(s);
                        SnapshotFile.write(s, v, target);
                        if (!s.root()) {
                            console.warn(e.getKey() + ": not root there: collected what is possible (pass --sudo, or log in as root)");
                        }
                        console.say(summary(s, v, target));
                    } catch (IOException | RuntimeException x) {
                        failed.incrementAndGet();
                        console.error(e.getKey() + ": not collected: " + x.getMessage());
                    } catch (InterruptedException x) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : jobs) {
                f.get();
            }
            if (failed.get() > 0) {
                console.error(failed.get() + " of " + files.size() + " hosts not collected; the other snapshots are in " + dir);
            }
        } finally {
            pool.shutdownNow();
        }
        return failed.get() > 0 ? ExitCodes.RUNTIME_ERROR : ExitCodes.OK;
    }

    /** "no ufw" only when the tool is not installed; "ufw unread (denied)" when it is there but did not answer. */
    private static String absent(Snapshot s, String source, String what) {
        Snapshot.Source src = s.source(source);
        return src == null || src.status().equals("missing") ? "no " + what : what + " unread (" + src.status() + ")";
    }
}
