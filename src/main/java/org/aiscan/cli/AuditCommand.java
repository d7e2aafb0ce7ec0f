package org.aiscan.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aiscan.audit.AuditResult;
import org.aiscan.audit.Correlator;
import org.aiscan.console.Console;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.aiscan.report.AuditJson;
import org.aiscan.report.AuditText;
import org.aiscan.report.ScanFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aiscan audit}: explain a scan with host snapshots. */
@Command(name = "audit", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Explain each exposure of a scan from snapshots of the scanned hosts.",
            "For every port: the firewall path (DNAT, input or forward) and the deciding rule with its",
            "line, what the scan saw next to what the rules predict, and the diagnoses",
            "(DOCKER_BYPASSES_FIREWALL, IPV6_UNFILTERED, ...) with their evidence."},
        footer = {"", "Exit codes: 0 nothing at medium severity or worse, 3 exposures found,",
            "4 the scan was incomplete (and nothing found), 2 bad input, 1 runtime error."})
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--scan", required = true, paramLabel = "FILE", description = "The scan: the --jsonl file of 'aiscan scan'.")
    Path scan;

    @Option(names = "--snapshot", required = true, paramLabel = "FILE", arity = "1..*",
            description = "A host snapshot from 'aiscan collect' (or a folder of raw outputs, as 'collect --from' reads); "
                    + "repeat for several hosts. Each is matched to the scanned addresses it holds.")
    List<Path> snapshots = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the audit as JSON ('-' for stdout).")
    String json;

    @Option(names = "--scanner-ip", paramLabel = "IP", split = ",",
            description = "The scanner's address as the hosts see it, per family (default: what the scan recorded). "
                    + "Matters behind NAT and for rules that trust private networks.")
    List<String> scannerIps = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "An audit policy instead of rulesets/policy/audit.yaml.")
    Path policyFile;

    @Option(names = "--rules", paramLabel = "DIR", description = "Fingerprint rules folder (service categories), default: the shipped rulesets/.")
    Path rulesDir;

    @Option(names = {"-q", "--quiet"}, description = "No summary on stdout (with --json FILE, nothing but problems).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "List every scanned address no snapshot holds (otherwise one line counts them).")
    boolean verbose;

    @Mixin
    ReportOptions reports = new ReportOptions();

    @Mixin
    RemediationOptions remediation = new RemediationOptions();

    @Override
    public Integer call() throws Exception {
        reports.check();
        List<Address> scanners = AuditInputs.scanners(scannerIps);
        if (json != null && !json.equals("-")) {
            Path parent = Path.of(json).toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new InvalidInputException("--json " + json + ": folder " + parent + " does not exist");
            }
        }
        ScanFile sf = ScanFile.read(scan);
        List<Correlator.SnapshotInput> inputs = AuditInputs.snapshots(snapshots);
        AuditPipeline pipeline = AuditPipeline.load(policyFile, rulesDir);
        AuditResult r = pipeline.audit(sf, inputs, scanners);
        try (Console console = Console.system(quiet)) {
            PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
            if (json != null) {
                AuditJson.write(r, json, out);
            }
            if (!quiet && !"-".equals(json)) {
                AuditText.write(r, out, verbose);
            }
            out.flush();
            pipeline.render(sf, r, remediation, reports, console);
        }
        if (r.exposures() > 0) {
            return ExitCodes.NEW_EXPOSURE;
        }
        return r.scanComplete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
}
