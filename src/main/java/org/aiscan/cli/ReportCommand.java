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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aiscan report}: render a finished scan (and, with snapshots, its audit) again, in any format. */
@Command(name = "report", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Render a scan again without rescanning: HTML, nmap XML, SARIF, Markdown, CSV, Prometheus.",
            "With --snapshot the audit is redone from the snapshots, so the report explains each exposure."})
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCAN.jsonl", description = "The --jsonl file of 'aiscan scan'.")
    Path scan;

    @Option(names = "--snapshot", paramLabel = "FILE", arity = "1..*", description = "Host snapshots ('aiscan collect'), for the audit.")
    List<Path> snapshots = new ArrayList<>();

    @Option(names = "--scanner-ip", paramLabel = "IP", split = ",", description = "The scanner's address as the hosts see it.")
    List<String> scannerIps = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "An audit policy instead of rulesets/policy/audit.yaml.")
    Path policyFile;

    @Option(names = "--rules", paramLabel = "DIR", description = "Fingerprint rules folder (service categories), default: the shipped rulesets/.")
    Path rulesDir;

    @Option(names = "--compare", paramLabel = "OLD.jsonl",
            description = "An earlier scan (its --jsonl file): the report says what was fixed, what is new and what is still open since.")
    Path compare;

    @Option(names = {"-q", "--quiet"}, description = "Only problems on stderr.")
    boolean quiet;

    ReportOptions reports = new ReportOptions(); // added by commandLine(): declared in code

    /** This command with its report options (which are declared in code, see {@link OptionTable}). */
    static CommandLine commandLine() {
        ReportCommand c = new ReportCommand();
        return c.reports.commandLineOf(c);
    }

    @Mixin
    RemediationOptions remediation = new RemediationOptions();

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
                    compare == null ? null : Compare.of(sf, ScanFile.read(compare), compare));
        }
        return ExitCodes.OK;
    }
}
