package org.aiscan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aiscan.audit.Correlator;
import org.aiscan.console.Console;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.ScanResult;
import org.aiscan.report.ScanFile;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** {@code aiscan report}: render a finished scan (and, with snapshots, its audit) again, in any format. */
public final class ReportCommand implements Callable<Integer> {
    Path scan;
    List<Path> snapshots = new ArrayList<>();
    List<String> scannerIps = new ArrayList<>();
    @Nullable Path policyFile;
    @Nullable Path rulesDir;
    @Nullable Path compare;
    boolean quiet;
    ReportOptions reports = new ReportOptions();
    RemediationOptions remediation = new RemediationOptions();

    /** This command's command line, declared in code ({@link OptionTable}). */
    static CommandLine commandLine() {
        ReportCommand c = new ReportCommand();
        OptionTable t = OptionTable.command(c, "report")
                .description("Render a scan again without rescanning: HTML, nmap XML, SARIF, Markdown, CSV, Prometheus.",
                        "With --snapshot the audit is redone from the snapshots, so the report explains each exposure.");
        t.positional("SCAN.jsonl").about("The --jsonl file of 'aiscan scan'.").value(Path.class, v -> c.scan = v);
        t.option("--snapshot").label("FILE").arity("1..*").about("Host snapshots ('aiscan collect'), for the audit.")
                .list(Path.class, () -> c.snapshots, v -> c.snapshots = v);
        t.option("--scanner-ip").label("IP").split(",").about("The scanner's address as the hosts see it.")
                .list(String.class, () -> c.scannerIps, v -> c.scannerIps = v);
        AuditCommand.pipelineOptions(t, v -> c.policyFile = v, v -> c.rulesDir = v, v -> c.compare = v);
        t.option("-q", "--quiet").about("Only problems on stderr.").flag(v -> c.quiet = v);
        c.remediation.addTo(t.spec());
        c.reports.addTo(t.spec());
        return t.commandLine();
    }

    @Override
    public Integer call() throws Exception {
        if (!reports.any() && remediation.dir == null) {
            throw new InvalidInputException("nothing to write: pass one or more of --html, --xml, --sarif, --md, --csv, --prom, --remediation");
        }
        reports.check();
        List<Address> scanners = AuditInputs.scanners(scannerIps);
        ScanResult sf = ScanFile.read(scan);
        List<Correlator.SnapshotInput> inputs = AuditInputs.snapshots(snapshots);
        AuditPipeline pipeline = AuditPipeline.load(policyFile, rulesDir);
        try (Console console = Console.system(quiet)) {
            pipeline.render(sf, pipeline.audit(sf, inputs, scanners), remediation, reports, console,
                    compare == null ? null : Compare.of(sf, ScanFile.read(compare), compare), pipeline.internetView(sf, inputs, reports));
        }
        return ExitCodes.OK;
    }
}
