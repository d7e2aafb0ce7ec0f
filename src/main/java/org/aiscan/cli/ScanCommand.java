package org.aiscan.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.aiscan.console.Console;
import org.aiscan.trace.Trace;
import org.aiscan.fingerprint.Fingerprinter;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.grab.Limits;
import org.aiscan.grab.TcpTransport;
import org.aiscan.model.Address;
import org.aiscan.model.Utf8;
import org.aiscan.model.Endpoint;
import org.aiscan.model.CannotProceedException;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.HostAddresses;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.SplitEngine;
import org.aiscan.target.TargetGuard;
import org.aiscan.probe.syn.RouteTable;
import org.aiscan.probe.connect.ConnectEngine;
import org.aiscan.probe.syn.SynSupport;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.AuditResult;
import org.aiscan.audit.Correlator;
import org.aiscan.report.AtomicFile;
import org.aiscan.report.CollectingWriter;
import org.aiscan.report.PromTextfile;
import org.aiscan.schedule.Accepted;
import org.aiscan.schedule.Checkpoint;
import org.aiscan.schedule.ScanDiff;
import org.aiscan.schedule.StateDir;
import org.aiscan.report.JsonLinesWriter;
import org.aiscan.report.Report;
import org.aiscan.model.ScanResult;
import org.aiscan.report.ScanFile;
import org.aiscan.report.ResultWriter;
import org.aiscan.report.TableWriter;
import org.aiscan.scan.ScanJob;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.Shard;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;
import org.aiscan.host.Collector;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aiscan scan}: probe targets × ports and report what is open. */
public final class ScanCommand implements Callable<Integer> {
    /** Scans larger than this many addresses (a /8) need --allow-large. */
    static final long LARGE = 1L << 24;

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
    String iface;
    List<String> sourceIps = new ArrayList<>();
    String routerMac;
    int sendThreads;
    long rate;
    int timeout;
    Integer minTimeout;
    int retries;
    int concurrency;
    Long seed;
    String shard;
    boolean noFingerprint;
    int fingerprintThreads;
    int requestTimeout;
    int endpointBudget;
    int hostBudget;
    Path rulesDir;
    String jsonl;
    boolean allStates;
    boolean dryRun;
    boolean quiet;
    ReportOptions reports = new ReportOptions();
    Path stateDir;
    boolean resume;
    Path baseline;
    int keep;
    long checkpointEvery;

    /**
     * The command line of a scan, declared in code ({@link OptionTable}: an annotated command costs a
     * scan's start-up about 65 ms of reflection). The order here is the order of the help.
     */
    static CommandLine commandLine() {
        ScanCommand c = new ScanCommand();
        OptionTable t = OptionTable.of(c);
        CommandSpec spec = t.spec().name("scan").versionProvider(new VersionProvider());
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .description("Probe TARGETs on the AI port set (or -p PORTS) and report open endpoints.",
                        "TARGET: an address (198.18.0.10, 2001:2::10), CIDR (198.18.0.0/24), range (198.18.0.1-20,",
                        "198.18.0.1-198.18.1.5) or host name (all its addresses).")
                .footer("", "Examples:",
                        "  aiscan 198.18.0.0/24                      AI port set, human table on stdout",
                        "  aiscan -p 22,8000-8100 --jsonl out.jsonl 198.18.0.10",
                        "  aiscan -iL targets.txt --shard 0/4 --seed 42 --jsonl part0.jsonl",
                        "", "Exit codes: 0 complete, 1 runtime error, 2 usage error, 4 incomplete (interrupted).");
        t.positional("TARGET").arity("0..*").about("What to scan.").list(String.class, () -> c.targets, v -> c.targets = v);
        t.option("-h", "--help").usageHelp().about("Show this help message and exit.").flag(v -> { });
        t.option("-V", "--version").versionHelp().about("Print version information and exit.").flag(v -> { });
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
        t.option("--min-timeout").label("MS").about("Shortest wait once round trips are measured. Default: 50 (connect), 20 (SYN).")
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
        t.option("--request-timeout").label("MS").defaultValue("5000")
                .about("Longest time for one fingerprint request, however slowly the answer trickles. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.requestTimeout = v);
        t.option("--endpoint-budget").label("MS").defaultValue("10000")
                .about("Longest time spent identifying one endpoint, all requests together. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.endpointBudget = v);
        t.option("--host-budget").label("MS").defaultValue("20000")
                .about("Longest time spent identifying one host's endpoints, from its first; what is unfinished then is written "
                        + "with what was learnt. Default: ${DEFAULT-VALUE}.")
                .value(int.class, v -> c.hostBudget = v);
        t.option("--rules").label("DIR").about("Fingerprint rules folder (default: the installed rulesets/).")
                .value(Path.class, v -> c.rulesDir = v);
        t.option("--jsonl").label("FILE").about("Stream results as JSON Lines to FILE ('-' for stdout).").value(String.class, v -> c.jsonl = v);
        t.option("--all-states").about("Report closed and filtered endpoints too, not only open ones.").flag(v -> c.allStates = v);
        t.option("--dry-run").about("Print every planned probe ('ADDRESS PORT', in order) and exit; nothing is sent.")
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
        return new CommandLine(spec);
    }

    @Override
    public Integer call() throws Exception {
        Trace.mark("scan command parsed");
        if (System.getenv("AISCAN_CDS_TRAINING") != null) {
            SynSupport.warmUp();
        }
        validateNumbers();
        reports.check();
        if (!noFingerprint && !dryRun) {
            loadingPipeline(); // while targets are read and probes go out
        }
        accepted = baseline == null ? null : Accepted.load(baseline); // a broken baseline fails now, not after the scan
        PortList portList = PortSpec.parse(ports);
        Shard sh = shard == null ? Shard.WHOLE : Shard.parse(shard);
        Trace.mark("ports parsed");
        TargetSet set = buildTargets();
        Trace.mark("targets built");
        long s = seed != null ? seed : new SecureRandom().nextLong();
        Trace.mark("seed");
        ScanPlan plan = new ScanPlan(set, portList, s, sh);
        TargetGuard guard = TargetGuard.fromEnvironment();
        checkGuard(set, guard, !dryRun);
        Trace.mark("targets and plan ready");

        try (Console console = Console.system(quiet)) {
            reportExclusions(set, console);
            if (dryRun) {
                return dryRun(plan, console);
            }
            boolean stateful = stateDir != null || resume;
            try (StateDir state = stateful ? StateDir.open(stateDir != null ? stateDir : StateDir.defaultDir(Collector.isRoot())) : null) {
                return scan(console, set, portList, sh, s, plan, guard, state);
            }
        }
    }

    /** The scan itself: with a state folder, in a run folder of its own, checkpointed, resumable. */
    private int scan(Console console, TargetSet set, PortList portList, Shard sh, long s, ScanPlan plan, TargetGuard guard, StateDir state)
            throws Exception {
        Path runDir = null;
        Checkpoint cp = null;
        Set<String> written = Set.of();
        Optional<Path> previous = state == null ? Optional.empty() : state.last();
        if (resume) {
            runDir = state.resumable().orElseThrow(() -> new CannotProceedException("nothing to resume in " + state.dir()
                    + ": its last run finished; start a new run without --resume"));
            cp = Checkpoint.read(runDir);
            if (!cp.targets().equals(describeTargets()) || !cp.ports().equals(portList.toSpec()) || !cp.shard().equals(sh.toString())) {
                throw new InvalidInputException("the interrupted run " + runDir.getFileName() + " scanned " + String.join(" ", cp.targets())
                        + " -p " + cp.ports() + " shard " + cp.shard() + "; resume it with the same targets, ports and shard");
            }
            if (seed != null && seed != cp.seed()) {
                throw new InvalidInputException("the interrupted run used --seed " + cp.seed() + "; a resume continues that order");
            }
            s = cp.seed();
            plan = new ScanPlan(set, portList, s, sh);
            written = keysWritten(runDir.resolve("scan.jsonl"));
            if (written == null) { // stopped before its first line: start the file again
                written = Set.of();
                Files.deleteIfExists(runDir.resolve("scan.jsonl"));
            }
            console.say(String.format(Locale.ROOT, "resuming %s: %,d of %,d slices done, %,d results written", runDir.getFileName(),
                    cp.chunksDone(), (plan.probes() + cp.chunk() - 1) / Math.max(1, cp.chunk()), written.size()));
        } else if (state != null) {
            runDir = state.newRun(Instant.now());
            cp = new Checkpoint(describeTargets(), portList.toSpec(), s, sh.toString(), checkpointEvery, 0, new long[5]);
            cp.write(runDir);
        }
        ProbeEngine engine = chooseEngine(set, portList.size(), guard, console);
        Trace.mark("engine chosen: " + engine.name());
        Predicate<PortState> shown = allStates ? st -> true : st -> st == PortState.OPEN;
        List<ResultWriter> writers = new ArrayList<>();
        boolean jsonOnStdout = "-".equals(jsonl);
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        try {
            if (runDir != null) {
                Path f = runDir.resolve("scan.jsonl");
                writers.add(resume && Files.exists(f)
                        ? JsonLinesWriter.continuing(Utf8.writer(f, StandardOpenOption.APPEND), shown)
                        : new JsonLinesWriter(Utf8.writer(f), true, shown));
            }
            if (jsonl != null && (jsonOnStdout || runDir == null)) {
                writers.add(new JsonLinesWriter(openOutput(jsonl), !jsonOnStdout, shown));
            }
            if (!jsonOnStdout) {
                writers.add(new TableWriter(stdout, shown));
            }
            CollectingWriter collected = reports.any() || baseline != null || state != null ? new CollectingWriter(shown) : null;
            if (collected != null) {
                writers.add(collected);
            }
            ScanRun run = new ScanRun(VersionProvider.version(), Instant.now(), engine.name(), describeTargets(),
                    portList.toSpec(), set.size(), plan.probes(), s, sh.toString(), rate, sourceAddressFor(set), allStates);
            console.say(String.format(Locale.ROOT, "%s scan of %,d address%s × %,d port%s = %,d probes%s at %s, seed %d",
                    engine.name(), set.size(), set.size() == 1 ? "" : "es", portList.size(), portList.size() == 1 ? "" : "s",
                    plan.probes(), sh.count() > 1 ? " (shard " + sh + ")" : "",
                    rate == 0 ? "unlimited rate" : String.format(Locale.ROOT, "%,d pps", rate), s));
            Cancellation cancel = new Cancellation();
            Signals.cancelOn(cancel);
            ScanJob job = new ScanJob(plan, engine, writers, console, shown, fingerprinter(guard), fingerprintThreads);
            if (runDir != null) {
                Path dir = runDir;
                Checkpoint base = cp;
                job.withChunks(new ScanJob.Chunks(base.chunk(), base.chunksDone(), (n, counters) -> base.advanced(n, counters).write(dir),
                        written));
            }
            ScanSummary summary = job.run(run, cancel, resume ? cp.counters() : null);
            Trace.mark("scan finished");
            summary.warnings().forEach(console::warn);
            summary.notes().forEach(console::say);
            console.say(String.format(Locale.ROOT, "%s in %.2f s: %,d of %,d probes decided, %,d open, %,d closed, %,d filtered",
                    summary.complete() ? "done" : "stopped (" + summary.stopReason() + ")", summary.elapsedSeconds(),
                    summary.decided(), summary.probes(), summary.open(), summary.closed(), summary.filtered()));
            for (ResultWriter w : writers) {
                w.close();
            }
            writers.clear();
            ScanResult whole = collected == null ? null : runDir != null ? ScanFile.read(runDir.resolve("scan.jsonl")) : collected.scan();
            if (runDir != null && jsonl != null && !jsonOnStdout) {
                Path target = Path.of(jsonl);
                Path from = runDir.resolve("scan.jsonl");
                AtomicFile.write(target, w -> w.write(Files.readString(from, StandardCharsets.UTF_8)));
            }
            ReportOptions.RenderFailure renderFailure = null;
            if (whole != null && reports.any()) {
                try {
                    writeReports(whole, console);
                } catch (ReportOptions.RenderFailure e) {
                    renderFailure = e; // the run record, metrics and exit-code checks still happen; the failure ends the command
                }
            }
            boolean exposed = false;
            if (whole != null && (baseline != null || state != null)) {
                if (summary.complete()) {
                    exposed = exposures(whole, previous, console);
                } else {
                    console.say("exposures are compared once the scan is complete");
                }
            }
            if (state != null) {
                writeStateMetrics(state, whole, exposed);
                if (summary.complete()) {
                    state.finished(runDir);
                    state.prune(keep);
                } else {
                    console.error("the run stopped; continue it with --resume (" + runDir + ")");
                }
            }
            if (renderFailure != null) {
                throw renderFailure;
            }
            if (exposed) {
                return ExitCodes.NEW_EXPOSURE;
            }
            if (!summary.complete()) {
                console.error("scan incomplete: " + (summary.probes() - summary.decided())
                        + " probes undecided; results found so far were written (exit 4)");
                return ExitCodes.INCOMPLETE;
            }
            return ExitCodes.OK;
        } finally {
            for (ResultWriter w : writers) {
                w.close();
            }
            stdout.flush();
        }
    }

    /**
     * Endpoints an interrupted run already wrote (a partial last line, cut by a crash, is dropped
     * first), or null when the file does not even hold the run record.
     */
    private static Set<String> keysWritten(Path jsonl) throws IOException {
        if (!Files.exists(jsonl)) {
            return null;
        }
        byte[] b = Files.readAllBytes(jsonl);
        int end = b.length;
        while (end > 0 && b[end - 1] != '\n') {
            end--;
        }
        if (end != b.length) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(jsonl, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
        }
        if (end == 0) {
            return null;
        }
        Set<String> keys = new HashSet<>();
        for (Endpoint e : ScanFile.read(jsonl).endpoints()) {
            keys.add(ScanJob.key(e.port()));
        }
        return keys;
    }

    /**
     * Exit code 3's test: with --baseline, every open endpoint must be accepted (listed, not expired,
     * still the same service); without it, nothing may be new since the last finished run.
     */
    private boolean exposures(ScanResult whole, Optional<Path> previous, Console console) throws IOException {
        List<Endpoint> open = whole.endpoints().stream().filter(e -> e.port().state() == PortState.OPEN).toList();
        if (baseline != null) {
            List<Accepted.Finding> bad = accepted.unaccepted(open, java.time.LocalDate.now(java.time.ZoneOffset.UTC));
            for (Accepted.Finding f : bad) {
                console.warn("exposure " + f.endpoint().port().endpoint() + " " + ScanDiff.describe(f.endpoint().service()) + ": " + f.why());
            }
            return !bad.isEmpty();
        }
        if (previous.isEmpty()) {
            if (!open.isEmpty()) {
                console.warn(open.size() + " open endpoint(s) and no earlier run to compare with: all are new (accept the expected ones "
                        + "with 'aiscan accept' and --baseline)");
            }
            return !open.isEmpty();
        }
        List<ScanDiff.Change> changes = ScanDiff.diff(ScanFile.read(previous.get().resolve("scan.jsonl")), whole);
        boolean any = false;
        for (ScanDiff.Change c : changes) {
            if (c.kind() == ScanDiff.Kind.NEW || c.kind() == ScanDiff.Kind.CHANGED) { // gone or not looked at again: no exposure
                console.warn(c.kind() + " since " + previous.get().getFileName() + ": " + c.endpoint() + " " + c.what());
                any = true;
            }
        }
        return any;
    }

    /** DIR/aiscan.prom for node_exporter's textfile collector: the report's counts and whether this run found an exposure. */
    private void writeStateMetrics(StateDir state, ScanResult whole, boolean exposed) throws IOException {
        if (whole == null) {
            return;
        }
        Report report = report(whole);
        AtomicFile.write(state.dir().resolve("aiscan.prom"), w -> {
            PromTextfile.write(report, w);
            w.write("# HELP aiscan_unaccepted_exposures 1 when the last run found an exposure that is new or not accepted.\n"
                    + "# TYPE aiscan_unaccepted_exposures gauge\naiscan_unaccepted_exposures " + (exposed ? 1 : 0) + "\n");
        });
    }

    /** The report files asked for, from the scan alone: service findings, no firewall explanation (that is 'aiscan audit'). */
    private void writeReports(ScanResult scan, Console console) throws IOException {
        pipeline().render(scan, report(scan).audit(), null, reports, console);
    }

    private CompletableFuture<AuditPipeline> pipeline;
    private Accepted accepted;
    private Report report;

    /**
     * The rules and policy, read once per command (the fingerprinter and the reports both need them).
     * The shipped ones load on a thread of their own while the probing starts (about 0.4 s of CPU);
     * a --rules folder of the user's is read first, so that its mistakes are said before anything is
     * sent.
     */
    private CompletableFuture<AuditPipeline> loadingPipeline() throws IOException {
        if (pipeline == null) {
            if (rulesDir != null) {
                pipeline = CompletableFuture.completedFuture(AuditPipeline.load(null, rulesDir));
            } else {
                CompletableFuture<AuditPipeline> f = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try {
                        f.complete(AuditPipeline.load(null, null));
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                }, "aiscan-rules");
                t.setDaemon(true);
                t.start();
                pipeline = f;
            }
        }
        return pipeline;
    }

    private AuditPipeline pipeline() throws IOException {
        try {
            return loadingPipeline().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while loading the rules");
        }
    }

    /** The scan's findings from its fingerprints alone ('aiscan audit' adds the firewall), made once for every output. */
    private Report report(ScanResult scan) throws IOException {
        if (report == null || report.scan() != scan) {
            AuditPipeline p = pipeline();
            report = new Report(scan, p.audit(scan, List.of(), List.of()), java.util.Map.of(), VersionProvider.version(), Instant.now());
        }
        return report;
    }

    /** The fingerprinter, ready once the rules are (see {@link #loadingPipeline()}); null with --no-fingerprint. */
    private Future<Fingerprinter> fingerprinter(TargetGuard guard) throws IOException {
        if (noFingerprint) {
            return null;
        }
        Limits d = Limits.DEFAULT;
        Limits limits = new Limits(Math.min(d.connectMillis(), requestTimeout), Math.min(d.headerMillis(), requestTimeout), requestTimeout,
                d.bannerMillis(), Math.min(d.rawMillis(), requestTimeout), endpointBudget, hostBudget, d.maxBytes(), d.maxHeaderBytes());
        TcpTransport transport = new TcpTransport(limits, guard, VersionProvider.version());
        return loadingPipeline().thenApply(p -> new Fingerprinter(p.rules(), transport, limits));
    }

    private EngineOptions options(int defaultMinTimeout) {
        int min = minTimeout != null ? minTimeout : defaultMinTimeout;
        return new EngineOptions(rate, timeout, Math.min(min, timeout), retries, concurrency);
    }

    private ProbeEngine chooseEngine(TargetSet set, int ports, TargetGuard guard, Console console) {
        if (mode == Mode.connect) {
            return new ConnectEngine(options(50), guard, 0);
        }
        SynSupport.Decision d = SynSupport.decide(set, ports, synOverrides(), guard);
        if (d.usable()) {
            ProbeEngine syn = SynSupport.engine(d, options(20), guard, sendThreads);
            if (d.near().isEmpty()) {
                return syn;
            }
            List<String> names = d.near().stream().map(r -> r.first().equals(r.last()) ? r.first().toString() : r.toString()).toList();
            console.say("connect for this host's own address" + (names.size() == 1 ? " " : "es ") + String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "")
                    + " (injected frames cannot reach them; --exclude-self skips them), SYN for the rest");
            return new SplitEngine(syn, new ConnectEngine(options(50), guard, 0), d.near());
        }
        if (mode == Mode.syn) {
            throw new InvalidInputException("--mode syn is not possible here: " + d.reason());
        }
        console.say("connect scan: " + d.reason());
        return new ConnectEngine(options(50), guard, 0);
    }

    private SynSupport.Overrides synOverrides() {
        Address v4 = null;
        Address v6 = null;
        for (String s : sourceIps) {
            Address a;
            try {
                a = Address.parse(s);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("bad --source-ip '" + s + "': expected an IPv4 or IPv6 address");
            }
            if (a.isV6()) {
                v6 = a;
            } else {
                v4 = a;
            }
        }
        if (routerMac != null) {
            SynSupport.parseMacOption(routerMac); // validate early: a usage error, not a fallback
        }
        return new SynSupport.Overrides(iface, v4, v6, routerMac);
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
            SynSupport.prefetch();
        } catch (RuntimeException | LinkageError e) {
            // the scan itself will report any problem
        }
    }

    private void validateNumbers() {
        if (rate < 0) {
            throw new InvalidInputException("--rate must be 0 (unlimited) or more, not " + rate);
        }
        if (timeout < 1 || timeout > 600_000) {
            throw new InvalidInputException("--timeout must be 1-600000 ms, not " + timeout);
        }
        if (minTimeout != null && minTimeout < 1) {
            throw new InvalidInputException("--min-timeout must be at least 1 ms, not " + minTimeout);
        }
        if (retries < 0 || retries > 10) {
            throw new InvalidInputException("--retries must be 0-10, not " + retries);
        }
        if (fingerprintThreads < 1 || fingerprintThreads > 1024) {
            throw new InvalidInputException("--fingerprint-threads must be 1-1024, not " + fingerprintThreads);
        }
        if (requestTimeout < 100 || endpointBudget < requestTimeout || hostBudget < endpointBudget) {
            throw new InvalidInputException("--request-timeout must be at least 100 ms, --endpoint-budget at least as long, "
                    + "and --host-budget at least as long as that");
        }
        if (concurrency < 1 || concurrency > 1_000_000) {
            throw new InvalidInputException("--concurrency must be 1-1000000, not " + concurrency);
        }
    }

    private TargetSet buildTargets() {
        if (targets.isEmpty() && inputFiles.isEmpty()) {
            throw new InvalidInputException("no targets; give addresses, CIDR blocks, ranges or host names, or -iL FILE");
        }
        TargetParser parser = new TargetParser(TargetParser.SYSTEM, true);
        List<AddressRange> ranges = new ArrayList<>();
        for (String t : targets) {
            ranges.addAll(parser.parse(t));
        }
        for (String f : inputFiles) {
            ranges.addAll(parser.parseFile(f, System.in));
        }
        ExclusionList excl = noDefaultExcludes ? ExclusionList.empty() : ExclusionList.defaults();
        excl = excl.plus(ExclusionList.fromSpecs(excludes));
        for (Path p : excludeFiles) {
            excl = excl.plus(ExclusionList.fromFile(p));
        }
        if (excludeSelf) {
            List<ExclusionList.Entry> self = new ArrayList<>();
            for (AddressRange r : HostAddresses.loopback()) {
                self.add(new ExclusionList.Entry(r, "loopback (--exclude-self)"));
            }
            for (Address a : HostAddresses.interfaceAddresses()) {
                if (!a.isLoopback()) {
                    self.add(new ExclusionList.Entry(new AddressRange(a, a, a.toString()), "this host's own address (--exclude-self)"));
                }
            }
            excl = excl.plus(ExclusionList.of(self));
        }
        TargetSet set = TargetSet.build(ranges, excl);
        if (set.isEmpty()) {
            StringBuilder why = new StringBuilder("nothing to scan: every target address is excluded");
            if (!set.exclusionHits().isEmpty()) {
                TargetSet.ExclusionHit h = set.exclusionHits().get(0);
                why.append(": ").append(h.entry().range().source()).append(" is ").append(h.entry().reason());
                if (!noDefaultExcludes && h.entry().reason().contains(ExclusionList.DEFAULT_FILE)) {
                    why.append("; --no-default-excludes lifts the shipped list");
                }
            }
            throw new InvalidInputException(why.toString());
        }
        if (set.size() > LARGE && !allowLarge) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "the targets hold %,d addresses, more than a /8 (%,d); pass --allow-large to confirm", set.size(), LARGE));
        }
        return set;
    }

    private static void checkGuard(TargetSet set, TargetGuard guard, boolean sending) {
        if (!guard.restricted()) {
            return;
        }
        for (AddressRange r : set.ranges()) {
            if (!guard.allows(r.first()) || !guard.allows(r.last())) {
                throw new InvalidInputException("refusing to scan " + r + ": outside " + TargetGuard.ENV + "=" + guard.describe());
            }
        }
        if (!sending) {
            return; // a dry run sends nothing
        }
        try {
            checkRoutes(set, RouteTable.read());
        } catch (java.io.IOException e) {
            throw new CannotProceedException("refusing to scan: " + TargetGuard.ENV + " is set and the routing table cannot be read ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * Inside the allowed nets a target must also stay on this machine: an address of the lab ranges
     * whose lab is not up would follow the default route out. Loopback is not in the main table.
     */
    static void checkRoutes(TargetSet set, RouteTable routes) {
        for (AddressRange r : set.ranges()) {
            if (r.first().isLoopback() && r.last().isLoopback()) {
                continue;
            }
            for (RouteTable.Route route : routes.usedBy(r)) {
                if (route != null && route.net().prefix() == 0) {
                    throw new InvalidInputException("refusing to scan " + r + ": " + TargetGuard.ENV + " is set and part of it is routed by "
                            + route + ", which leaves this machine (is the lab up?)");
                }
            }
        }
    }

    private void reportExclusions(TargetSet set, Console console) {
        for (TargetSet.ExclusionHit h : set.exclusionHits()) {
            console.say(String.format(Locale.ROOT, "excluded %,d address%s: %s is %s", h.removed(),
                    h.removed().intValue() == 1 ? "" : "es", h.entry().range().source(), h.entry().reason()));
        }
    }

    private List<String> describeTargets() {
        List<String> all = new ArrayList<>(targets);
        for (String f : inputFiles) {
            all.add("-iL " + f);
        }
        return all;
    }

    private int dryRun(ScanPlan plan, Console console) {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        ScanPlan.Cursor c = plan.cursor();
        while (c.hasNext()) {
            Probe p = c.next();
            out.print(p.address());
            out.print(' ');
            out.println(p.port());
        }
        out.flush();
        console.say(String.format(Locale.ROOT, "dry run: %,d probes over %,d addresses (shard %s, seed %d); nothing sent",
                plan.probes(), plan.targets().size(), plan.shard(), plan.seed()));
        return ExitCodes.OK;
    }

    private static Writer openOutput(String name) throws IOException {
        if (name.equals("-")) {
            return new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        }
        Path p = Path.of(name);
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new InvalidInputException("cannot write '" + name + "': folder " + parent + " does not exist");
        }
        if (Files.isDirectory(p)) {
            throw new InvalidInputException("cannot write '" + name + "': it is a folder");
        }
        return Utf8.writer(p);
    }

    /** The local address the kernel would use towards the first target (a UDP connect sends nothing). */
    /**
     * The local address the kernel would send from, per family, for the first target of each
     * family: a connected UDP socket asks the routing table and sends nothing.
     */
    static List<String> sourceAddressFor(TargetSet set) {
        List<String> out = new ArrayList<>();
        boolean v4 = false;
        boolean v6 = false;
        for (AddressRange r : set.ranges()) {
            if (r.isV6() ? v6 : v4) {
                continue;
            }
            if (r.isV6()) {
                v6 = true;
            } else {
                v4 = true;
            }
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(new InetSocketAddress(r.first().toInetAddress(), 9));
                java.net.InetAddress local = s.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) {
                    out.add(Address.of(local).toString());
                }
            } catch (IOException | RuntimeException e) {
                // no route: nothing to record for this family
            }
        }
        return out;
    }
}
