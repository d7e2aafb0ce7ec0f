package org.aiscan.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.aiscan.console.Console;
import org.aiscan.report.AtomicFile;
import org.aiscan.report.PromTextfile;
import org.aiscan.report.Report;
import org.aiscan.model.ScanResult;
import org.jspecify.annotations.Nullable;

/**
 * The rules and policy a scan needs, read once (the fingerprinter and the reports both use them),
 * and what is made from them at the end: the report files and the state folder's metrics.
 */
final class ScanReports {
    private final @Nullable Path rulesDir;
    private @Nullable CompletableFuture<AuditPipeline> pipeline;
    private @Nullable Report report;

    /** @param rulesDir the user's rules folder, or null for the installed rules */
    ScanReports(Path rulesDir) {
        this.rulesDir = rulesDir;
    }

    /**
     * The rules and policy, loading. The shipped ones load on a thread of their own while the probing
     * starts (about 0.4 s of CPU); a --rules folder of the user's is read first, so that its mistakes
     * are said before anything is sent.
     */
    CompletableFuture<AuditPipeline> loading() throws IOException {
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
            return loading().get();
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
            throw new InterruptedIOException("interrupted while loading the rules");
        }
    }

    /** The scan's findings from its fingerprints alone ('aiscan audit' adds the firewall), made once for every output. */
    private Report report(ScanResult scan) throws IOException {
        if (report == null || report.scan() != scan) {
            AuditPipeline p = pipeline();
            report = new Report(scan, p.audit(scan, List.of(), List.of()), Map.of(), VersionProvider.version(), Instant.now());
        }
        return report;
    }

    /** The report files asked for, from the scan alone: service findings, no firewall explanation (that is 'aiscan audit'). */
    void write(ScanResult scan, ReportOptions reports, Console console) throws IOException {
        pipeline().render(scan, report(scan).audit(), null, reports, console);
    }

    /** DIR/aiscan.prom for node_exporter's textfile collector: the report's counts and whether this run found an exposure. */
    void writeMetrics(Path stateDir, ScanResult whole, boolean exposed) throws IOException {
        Report r = report(whole);
        AtomicFile.write(stateDir.resolve("aiscan.prom"), w -> {
            PromTextfile.write(r, w);
            w.write("# HELP aiscan_unaccepted_exposures 1 when the last run found an exposure that is new or not accepted.\n"
                    + "# TYPE aiscan_unaccepted_exposures gauge\naiscan_unaccepted_exposures " + (exposed ? 1 : 0) + "\n");
        });
    }
}
