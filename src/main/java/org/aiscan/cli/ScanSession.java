package org.aiscan.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.aiscan.console.Console;
import org.aiscan.fingerprint.Fingerprinter;
import org.aiscan.grab.TcpTransport;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.model.Utf8;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.report.CollectingWriter;
import org.aiscan.report.JsonLinesWriter;
import org.aiscan.report.ResultWriter;
import org.aiscan.report.TableWriter;
import org.aiscan.scan.ScanJob;
import org.aiscan.scan.ServiceIdentifier;
import org.aiscan.schedule.StateDir;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetSet;
import org.aiscan.trace.Trace;
import org.jspecify.annotations.Nullable;

/**
 * One scan, from its configuration to its exit status: the targets and plan, refused up front when
 * they would leave the allowed nets ({@link RouteGuard}); a dry run ({@link DryRun}) or the scan,
 * in a state folder's run when asked ({@link ResumableRun}), by the engine that can reach the
 * targets ({@link EngineChooser}); then the reports, the exposure test ({@link ExposureGate}) and the
 * exit status. The results at the end are the ones the collecting writer kept while they were
 * written, never read back from a file.
 */
final class ScanSession {
    private final ScanConfig config;
    private final ScanReports reports;

    ScanSession(ScanConfig config) {
        this.config = config;
        this.reports = new ScanReports(config.identify().rulesDir());
    }

    int run() throws Exception {
        if (config.identify().on() && !config.output().dryRun()) {
            reports.loading(); // while targets are read and probes go out
        }
        ExposureGate gate = ExposureGate.of(config.state().baseline());
        Trace.mark("ports parsed");
        TargetSet set = ScanTargets.build(config.targets());
        Trace.mark("targets built");
        long seed = config.seed() != null ? config.seed() : new SecureRandom().nextLong();
        Trace.mark("seed");
        ScanPlan plan = new ScanPlan(set, config.ports(), seed, config.shard());
        RouteGuard.check(set, config.probing().guard(), !config.output().dryRun());
        Trace.mark("targets and plan ready");

        try (Console console = Console.system(config.output().quiet())) {
            ScanTargets.reportExclusions(set, console);
            if (config.output().dryRun()) {
                return DryRun.run(set, plan, config, console);
            }
            ScanConfig.State st = config.state();
            try (StateDir state = st.used() ? StateDir.open(st.dir()) : null) {
                return scan(console, set, plan, state, gate);
            }
        }
    }

    /** The scan itself: with a state folder, in a run folder of its own, checkpointed, resumable. */
    private int scan(Console console, TargetSet set, ScanPlan fresh, @Nullable StateDir state, ExposureGate gate) throws Exception {
        Optional<Path> previous = state == null ? Optional.empty() : state.last();
        ResumableRun kept = state == null ? null
                : config.state().resume() ? ResumableRun.resume(state, config, set, console) : ResumableRun.start(state, config, fresh);
        ScanPlan plan = kept == null ? fresh : kept.plan();
        ProbeEngine engine = EngineChooser.choose(set, config.ports().size(), config.probing(), console);
        Trace.mark("engine chosen: " + engine.name());
        ScanConfig.Output out = config.output();
        Predicate<PortState> shown = out.shown();
        List<ResultWriter> writers = new ArrayList<>();
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        try {
            if (kept != null) {
                writers.add(kept.results(shown));
            }
            if (out.jsonl() != null && (out.jsonOnStdout() || kept == null)) {
                writers.add(new JsonLinesWriter(openOutput(out.jsonl()), !out.jsonOnStdout(), shown));
            }
            if (!out.jsonOnStdout()) {
                writers.add(new TableWriter(stdout, shown));
            }
            CollectingWriter collected = kept != null ? kept.collector(shown)
                    : out.reports().any() || config.state().baseline() != null ? new CollectingWriter(shown) : null;
            if (collected != null) {
                writers.add(collected);
            }
            ScanSummary summary = probe(console, set, plan, engine, writers, kept);
            for (ResultWriter w : writers) {
                w.close();
            }
            writers.clear();
            ScanResult whole = collected == null ? null : collected.scan();
            if (kept != null && out.jsonl() != null && !out.jsonOnStdout()) {
                kept.publish(Path.of(out.jsonl()));
            }
            return conclude(console, summary, whole, previous, state, kept, gate);
        } finally {
            for (ResultWriter w : writers) {
                w.close();
            }
            stdout.flush();
        }
    }

    /** Probes and identifies, writing every result; says what was done. */
    private ScanSummary probe(Console console, TargetSet set, ScanPlan plan, ProbeEngine engine, List<ResultWriter> writers,
                              @Nullable ResumableRun kept) throws Exception {
        ScanConfig.Probing p = config.probing();
        int ports = config.ports().size();
        ScanRun run = new ScanRun(VersionProvider.version(), Instant.now(), engine.name(), config.targets().described(),
                config.ports().toSpec(), set.size(), plan.probes(), plan.seed(), config.shard().toString(), p.rate(),
                ScanTargets.sourceAddressFor(set), config.output().allStates());
        console.say(String.format(Locale.ROOT, "%s scan of %,d address%s × %,d port%s = %,d probes%s at %s, seed %d",
                engine.name(), set.size(), set.size() == 1 ? "" : "es", ports, ports == 1 ? "" : "s",
                plan.probes(), config.shard().count() > 1 ? " (shard " + config.shard() + ")" : "",
                p.rate() == 0 ? "unlimited rate" : String.format(Locale.ROOT, "%,d pps", p.rate()), plan.seed()));
        Cancellation cancel = new Cancellation();
        Signals.cancelOn(cancel);
        ScanJob job = new ScanJob(plan, engine, writers, console, config.output().shown(), fingerprinter(), config.identify().threads());
        if (kept != null) {
            job.withChunks(kept.chunks());
        }
        ScanSummary summary = job.run(run, cancel, kept == null ? null : kept.counters());
        Trace.mark("scan finished");
        summary.warnings().forEach(console::warn);
        summary.notes().forEach(console::say);
        console.say(String.format(Locale.ROOT, "%s in %.2f s: %,d of %,d probes decided, %,d open, %,d closed, %,d filtered",
                summary.complete() ? "done" : "stopped (" + summary.stopReason() + ")", summary.elapsedSeconds(),
                summary.decided(), summary.probes(), summary.open(), summary.closed(), summary.filtered()));
        return summary;
    }

    /** The fingerprinter, ready once the rules are (see {@link ScanReports#loading()}); null with --no-fingerprint. */
    private @Nullable Future<ServiceIdentifier> fingerprinter() throws IOException {
        ScanConfig.Identify id = config.identify();
        if (!id.on()) {
            return null;
        }
        TcpTransport transport = new TcpTransport(id.limits(), config.probing().guard(), VersionProvider.version());
        return reports.loading().thenApply(p -> ServiceIdentifier.of(new Fingerprinter(p.rules(), transport, id.limits())));
    }

    /** Reports, exposures and the state folder once the probing is over; the exit status. */
    private int conclude(Console console, ScanSummary summary, @Nullable ScanResult whole, Optional<Path> previous, @Nullable StateDir state, ResumableRun kept,
                         ExposureGate gate) throws IOException {
        ReportOptions.RenderFailure renderFailure = null;
        if (whole != null && config.output().reports().any()) {
            try {
                reports.write(whole, config.output().reports(), console);
            } catch (ReportOptions.RenderFailure e) {
                renderFailure = e; // the run record, metrics and exit-code checks still happen; the failure ends the command
            }
        }
        boolean exposed = false;
        if (whole != null && (config.state().baseline() != null || state != null)) {
            if (summary.complete()) {
                exposed = gate.exposed(whole, previous, console);
            } else {
                console.say("exposures are compared once the scan is complete");
            }
        }
        if (state != null) {
            reports.writeMetrics(state.dir(), whole, exposed);
            kept.end(state, summary.complete(), config.state().keep(), console);
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
}
