package org.aiscan.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aiscan.grab.Limits;
import org.aiscan.probe.syn.Libpcap;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.PortSpec;
import org.aiscan.trace.Trace;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code aiscan scan}: probe targets × ports and report what is open. This class is the command
 * line; {@link ScanConfig} checks it and {@link ScanSession} runs the scan.
 */
public final class ScanCommand implements Callable<Integer> {
    /** How probes are sent. */
    enum Mode { auto, syn, connect }

    List<String> targets = new ArrayList<>();
    String ports;
    List<String> inputFiles = new ArrayList<>();
    List<String> excludes = new ArrayList<>();
    List<Path> excludeFiles = new ArrayList<>();
    boolean noDefaultExcludes;
    boolean excludeSelf;
    boolean allowLarge;
    Mode mode;
    @Nullable String iface;
    List<String> sourceIps = new ArrayList<>();
    @Nullable String routerMac;
    int sendThreads;
    long rate;
    int timeout;
    @Nullable Integer minTimeout;
    int retries;
    int concurrency;
    @Nullable Long seed;
    @Nullable String shard;
    boolean noFingerprint;
    int fingerprintThreads;
    int requestTimeout;
    int endpointBudget;
    int hostBudget;
    @Nullable Path rulesDir;
    @Nullable String jsonl;
    boolean allStates;
    boolean dryRun;
    boolean quiet;
    ReportOptions reports = new ReportOptions();
    @Nullable Path stateDir;
    boolean resume;
    @Nullable Path baseline;
    int keep;
    long checkpointEvery;

    /**
     * The command line of a scan, declared in code ({@link OptionTable}: an annotated command costs a
     * scan's start-up about 65 ms of reflection). The order here is the order of the help ({@code -h}
     * and {@code -V} first).
     */
    static CommandLine commandLine() {
        ScanCommand c = new ScanCommand();
        OptionTable t = OptionTable.command(c, "scan");
        CommandSpec spec = t.spec();
        spec.usageMessage().sortOptions(false)
                .description("Probe TARGETs on the AI port set (or -p PORTS) and report open endpoints.",
                        "TARGET: an address (198.18.0.10, 2001:2::10), CIDR (198.18.0.0/24), range (198.18.0.1-20,",
                        "198.18.0.1-198.18.1.5) or host name (all its addresses).")
                .footer("", "Examples:",
                        "  aiscan 198.18.0.0/24                      AI port set, human table on stdout",
                        "  aiscan -p 22,8000-8100 --jsonl out.jsonl 198.18.0.10",
                        "  aiscan -iL targets.txt --shard 0/4 --seed 42 --jsonl part0.jsonl",
                        "", "Exit codes: 0 complete, 1 runtime error, 2 usage error, 4 incomplete (interrupted).");
        t.positional("TARGET").arity("0..*").about("What to scan.").list(String.class, () -> c.targets, v -> c.targets = v);
        t.option("-p", "--ports").label("PORTS").defaultValue(PortSpec.DEFAULT_GROUP)
                .about("Ports in nmap syntax and/or group names: 22,8000-8100,ai-default. Default: ${DEFAULT-VALUE}.")
                .value(String.class, v -> c.ports = v);
        t.option("-iL").label("FILE").about("Read targets from FILE, '-' for stdin (repeatable).")
                .list(String.class, () -> c.inputFiles, v -> c.inputFiles = v);
        t.option("--exclude").label("SPEC[,SPEC…]").about("Never probe these addresses (repeatable).")
                .list(String.class, () -> c.excludes, v -> c.excludes = v);
        t.option("--exclude-file").label("FILE").about("Never probe the addresses in FILE (exclude.conf format).")
                .list(Path.class, () -> c.excludeFiles, v -> c.excludeFiles = v);
        t.option("--no-default-excludes").about("Do not apply scanner/exclude.conf (reserved, documentation and multicast ranges).")
                .flag(v -> c.noDefaultExcludes = v);
        t.option("--exclude-self").about("Skip this host's own addresses (and loopback) when the targets hold them; "
                + "by default they are probed by connect while the rest goes by SYN.").flag(v -> c.excludeSelf = v);
        t.option("--allow-large").about("Allow a scan of more than a /8 (16,777,216 addresses).").flag(v -> c.allowLarge = v);
        t.option("--mode").label("MODE").defaultValue("auto")
                .about("auto (SYN when raw frames can reach the targets, else connect), syn or connect. Default: ${DEFAULT-VALUE}.")
                .value(Mode.class, v -> c.mode = v);
        t.option("--interface").label("IFACE").about("SYN: send on this interface (default: the route to the targets).")
                .value(String.class, v -> c.iface = v);
        t.option("--source-ip").label("ADDR").about("SYN: source address (one IPv4 and/or one IPv6; default: the kernel's choice).")
                .list(String.class, () -> c.sourceIps, v -> c.sourceIps = v);
        t.option("--router-mac").label("MAC").about("SYN: send every frame to this next-hop MAC (default: the route's gateway).")
                .value(String.class, v -> c.routerMac = v);
        t.option("--send-threads").label("N").defaultValue("0").hidden().about("SYN: sending threads (0 = one, two above 300k pps).")
                .value(int.class, v -> c.sendThreads = v);
        t.option("--rate").label("PPS").defaultValue("5000")
                .about("Probes per second, retries included; 0 = unlimited. Default: ${DEFAULT-VALUE}.").value(long.class, v -> c.rate = v);
        t.option("--timeout").label("MS").defaultValue("1500").about("Longest wait for an answer. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.timeout = v);
        t.option("--min-timeout").label("MS").about("Shortest wait once round trips are measured. Default: " + ScanConfig.CONNECT_MIN_TIMEOUT + " (connect), "
                        + ScanConfig.SYN_MIN_TIMEOUT + " (SYN).")
                .value(Integer.class, v -> c.minTimeout = v);
        t.option("--retries").label("N").defaultValue("1").about("Extra attempts for probes that got no answer. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.retries = v);
        t.option("--concurrency").label("N").defaultValue("4096")
                .about("Most probes in flight (capped by the open-files limit). Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.concurrency = v);
        t.option("--seed").label("N").about("Seed of the probe order; same seed, same order. Default: random.")
                .value(Long.class, v -> c.seed = v);
        t.option("--shard").label("I/N").about("Scan only part I of N (0-based); all parts must use the same --seed.")
                .value(String.class, v -> c.shard = v);
        t.option("--no-fingerprint").about("Only find open ports; do not identify the services behind them.")
                .flag(v -> c.noFingerprint = v);
        t.option("--fingerprint-threads").label("N").defaultValue("32").about("Open endpoints identified at once. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.fingerprintThreads = v);
        t.option("--request-timeout").label("MS").defaultValue(String.valueOf(Limits.DEFAULT.requestMillis()))
                .about("Longest time for one fingerprint request, however slowly the answer trickles. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.requestTimeout = v);
        t.option("--endpoint-budget").label("MS").defaultValue(String.valueOf(Limits.DEFAULT.endpointMillis()))
                .about("Longest time spent identifying one endpoint, all requests together. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.endpointBudget = v);
        t.option("--host-budget").label("MS").defaultValue(String.valueOf(Limits.DEFAULT.hostMillis()))
                .about("Longest time spent identifying one host's endpoints, from its first; what is unfinished then is written "
                        + "with what was learnt. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.hostBudget = v);
        t.option("--rules").label("DIR").about("Fingerprint rules folder (default: the installed rulesets/).")
                .value(Path.class, v -> c.rulesDir = v);
        t.option("--jsonl").label("FILE").about("Stream results as JSON Lines to FILE ('-' for stdout).").value(String.class, v -> c.jsonl = v);
        t.option("--all-states").about("Report closed and filtered endpoints too, not only open ones.").flag(v -> c.allStates = v);
        t.option("--dry-run").about("Print what the scan would send, in order, one line each ('ADDRESS PORT' first, then the SYN frame "
                + "in hex or 'connect'), and exit; nothing is sent.")
                .flag(v -> c.dryRun = v);
        t.option("-q", "--quiet").about("No progress or informational lines on stderr.").flag(v -> c.quiet = v);
        c.reports.addTo(spec);
        t.option("--state-dir").label("DIR")
                .about("Keep each run in DIR/runs/ with a checkpoint, one run at a time (a lock); DIR/last is the last finished run, "
                        + "DIR/aiscan.prom its counts. Default with --resume: /var/lib/aiscan as root, else the XDG state folder.")
                .value(Path.class, v -> c.stateDir = v);
        t.option("--resume").about("Continue the state folder's interrupted run (Ctrl-C, SIGTERM, kill -9) where it stopped.")
                .flag(v -> c.resume = v);
        t.option("--baseline").label("FILE")
                .about("Accepted exposures (YAML, see 'aiscan accept'): exit 3 when an open endpoint is not accepted or its acceptance "
                        + "expired. Without it, a state folder run exits 3 when something is new since the last run.")
                .value(Path.class, v -> c.baseline = v);
        t.option("--keep").label("N").defaultValue("30").about("Finished runs to keep in the state folder (default: ${DEFAULT-VALUE}).")
                .value(int.class, v -> c.keep = v);
        t.option("--checkpoint-every").label("PROBES").defaultValue("1000000").hidden()
                .about("Probes per checkpointed slice when a state folder is used.").value(long.class, v -> c.checkpointEvery = v);
        return t.commandLine();
    }

    @Override
    public Integer call() throws Exception {
        Trace.mark("scan command parsed");
        ScanConfig config = ScanConfig.of(this, System.getenv());
        if (config.cdsTraining()) {
            Libpcap.warmUp();
        }
        return new ScanSession(config).run();
    }

    /** Work a scan will need, done early on another thread (see {@code Main}); safe to skip. */
    public static void prefetch() {
        try {
            // the first UDP socket initialises the JDK's socket classes (~15 ms): the engine choice asks
            // the kernel for source addresses through one
            try (DatagramSocket s = new DatagramSocket()) {
                s.getLocalPort();
            } catch (IOException e) {
                // only a warm-up
            }
            ExclusionList.defaults();
            new SecureRandom().nextLong(); // its first use seeds from the system (~10 ms); the seed and the SYN cookies use one
        } catch (RuntimeException | LinkageError e) {
            // the scan itself will report any problem
        }
    }

    /** Loads libpcap and the SYN engine's bindings to it (the longest part of a SYN scan's start). */
    public static void prefetchCapture() {
        try {
            Libpcap.prefetch();
        } catch (RuntimeException | LinkageError e) {
            // the scan itself will report any problem
        }
    }
}
