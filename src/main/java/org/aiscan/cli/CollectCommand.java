package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aiscan.console.Console;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.host.SnapshotFile;
import org.aiscan.model.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aiscan collect}: snapshot this host's listeners and firewall for {@code aiscan audit}. */
@Command(name = "collect", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Snapshot this host's listeners and firewall for 'aiscan audit'.",
            "Run it on the host, as root for the full picture: listening sockets (ss), iptables and",
            "ip6tables (legacy and nft), nftables, ufw, Docker's published ports, fail2ban, sysctl,",
            "AI service units. Raw output is kept beside the parsed form; a missing tool or a",
            "permission problem is noted in the snapshot, not fatal."})
public final class CollectCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write the snapshot (default: aiscan-snapshot-HOSTNAME.json; '-' for stdout).")
    String output;

    @Option(names = "--from", paramLabel = "DIR",
            description = "Build the snapshot from files collected elsewhere (ss.txt, iptables-save.txt, ufw-status-verbose.txt, nft-ruleset.txt, …).")
    Path from;

    @Option(names = "--rules", paramLabel = "DIR",
            description = "Fingerprint rules folder whose 'units' name the AI service units to record (default: the installed rulesets/).")
    Path rulesDir;

    @Option(names = {"-q", "--quiet"}, description = "Only problems on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
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
        long ok = s.sources().stream().filter(x -> x.ok() || x.status().equals("empty")).count();
        int rules = v.iptables.stream().mapToInt(d -> d.dump().ruleCount()).sum();
        console.say(String.format(Locale.ROOT, "%s: %d of %d sources read; %d listeners, %d iptables rules, %s, %s, %d Docker ports%s; %d unreadable lines",
                    s.hostname(), ok, s.sources().size(), v.listeners.size(), rules,
                    v.ufw != null ? "ufw " + (v.ufw.active() ? "active with " + v.ufw.rules().size() + " rules" : "inactive")
                            : absent(s, "ufw-verbose", "ufw"),
                    v.nft != null ? v.nft.tables().size() + " nft tables" : absent(s, "nft", "nft"), v.docker.size(),
                    target == null ? "" : " -> " + target, v.problems.size()));
        return ExitCodes.OK;
    }

    /** "no ufw" only when the tool is not installed; "ufw unread (denied)" when it is there but did not answer. */
    private static String absent(Snapshot s, String source, String what) {
        Snapshot.Source src = s.source(source);
        return src == null || src.status().equals("missing") ? "no " + what : what + " unread (" + src.status() + ")";
    }
}
