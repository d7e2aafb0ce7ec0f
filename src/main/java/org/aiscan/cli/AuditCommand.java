package org.aiscan.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aiscan.audit.Correlator;
import org.aiscan.console.Console;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.ScanResult;
import org.aiscan.model.VantageKind;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.Vantage;
import org.aiscan.report.AuditJson;
import org.aiscan.report.AuditText;
import org.aiscan.report.ScanFile;
import org.aiscan.target.PortList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aiscan audit}: explain a scan with host snapshots. */
@Command(name = "audit", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Explain each exposure of a scan from snapshots of the scanned hosts.",
            "For every port: the firewall path (DNAT, input or forward) and the deciding rule with its",
            "line, what the scan saw next to what the rules predict, and the diagnoses",
            "(DOCKER_BYPASSES_FIREWALL, IPV6_UNFILTERED, ...) with their evidence.",
            "Without --scan, predicts from the snapshots alone what the internet, each --trusted network",
            "and each --from network reach; a later scan confirms or contradicts each prediction."},
        footer = {"", "Exit codes: 0 nothing at medium severity or worse, 3 exposures found (or predicted),",
            "4 the scan was incomplete (and nothing found), 2 bad input, 1 runtime error."})
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--scan", paramLabel = "FILE",
            description = "The scan: the --jsonl file of 'aiscan scan'. Without it, reachability is predicted from the snapshots.")
    Path scan;

    @Option(names = "--from", paramLabel = "CIDR", split = ",",
            description = "Without --scan: also predict what this network reaches (one source address inside it), e.g. the "
                    + "office or a peer VPC; its findings count like the internet's.")
    List<String> from = new ArrayList<>();

    @Option(names = {"-p", "--ports"}, paramLabel = "PORTS", defaultValue = "ai-default",
            description = "Without --scan: ports evaluated besides those with a receiver in the snapshot "
                    + "(listeners, DNAT and Docker-published ports); default: ${DEFAULT-VALUE}.")
    String ports;

    @Option(names = "--snapshot", required = true, paramLabel = "FILE", arity = "1..*",
            description = "A host snapshot from 'aiscan collect' (or a folder of raw outputs, as 'collect --from' reads); "
                    + "repeat for several hosts. Each is matched to the scanned addresses it holds.")
    List<Path> snapshots = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the audit as JSON ('-' for stdout).")
    String json;

    @Option(names = "--host-address", paramLabel = "ADDR", split = ",",
            description = "The host's own addresses, for a snapshot that has none (raw outputs without 'ip addr'): "
                    + "where the internet arrives. Applies to the one snapshot without addresses.")
    List<String> hostAddresses = new ArrayList<>();

    @Option(names = "--scanner-ip", paramLabel = "IP", split = ",",
            description = "The scanner's address as the hosts see it, per family (default: what the scan recorded). "
                    + "Matters behind NAT and for rules that trust private networks.")
    List<String> scannerIps = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "An audit policy instead of rulesets/policy/audit.yaml.")
    Path policyFile;

    @Option(names = "--rules", paramLabel = "DIR", description = "Fingerprint rules folder (service categories), default: the shipped rulesets/.")
    Path rulesDir;

    @Option(names = "--compare", paramLabel = "OLD.jsonl",
            description = "An earlier scan (its --jsonl file): the report says what was fixed, what is new and what is still open since.")
    Path compare;

    @Option(names = {"-q", "--quiet"}, description = "No summary on stdout (with --json FILE, nothing but problems).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "List every scanned address no snapshot holds (otherwise one line counts them).")
    boolean verbose;

    ReportOptions reports = new ReportOptions(); // added by commandLine(): declared in code

    /** This command with its report options (which are declared in code, see {@link OptionTable}). */
    static CommandLine commandLine() {
        AuditCommand c = new AuditCommand();
        return c.reports.commandLineOf(c);
    }

    @Mixin
    RemediationOptions remediation = new RemediationOptions();

    /** The internet, then each --trusted network, then each --from network. */
    private List<Vantage> vantages() {
        List<Vantage> out = new ArrayList<>(List.of(Vantage.internet()));
        for (String t : remediation.trusted) {
            out.add(Vantage.of(VantageKind.TRUSTED, AuditInputs.cidr("--trusted", t)));
        }
        for (String f : from) {
            out.add(Vantage.of(VantageKind.FROM, AuditInputs.cidr("--from", f)));
        }
        return out;
    }

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
        List<Vantage> vantages = scan == null ? vantages() : List.of();
        PortList extra = scan == null ? AuditInputs.ports(ports) : null;
        if (scan == null && !scannerIps.isEmpty()) {
            throw new InvalidInputException("--scanner-ip needs --scan (without a scan, --from names where connections come from)");
        }
        if (scan != null && !from.isEmpty()) {
            throw new InvalidInputException("--from is for predictions without --scan (the scan's own source is --scanner-ip)");
        }
        if (scan == null && compare != null) {
            throw new InvalidInputException("--compare needs --scan: it compares two scans");
        }
        if (scan == null && !reports.scanOnly().isEmpty()) {
            throw new InvalidInputException(String.join(", ", reports.scanOnly()) + (reports.scanOnly().size() == 1 ? " shows" : " show")
                    + " a scan: pass --scan, or render the prediction with --html (and --json, --remediation)");
        }
        ScanResult sf = scan == null ? null : ScanFile.read(scan);
        List<Correlator.SnapshotInput> inputs = AuditInputs.withAddresses(AuditInputs.snapshots(snapshots),
                AuditInputs.hostAddresses(hostAddresses));
        AuditPipeline pipeline = AuditPipeline.load(policyFile, rulesDir);
        AuditResult r = sf == null ? pipeline.predict(inputs, vantages, extra) : pipeline.audit(sf, inputs, scanners);
        try (Console console = Console.system(quiet)) {
            PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
            if (json != null) {
                AuditJson.write(r, json, out);
            }
            if (!quiet && !"-".equals(json)) {
                AuditText.write(r, out, verbose);
            }
            out.flush();
            pipeline.render(sf, r, remediation, reports, console, compare == null ? null : Compare.of(sf, ScanFile.read(compare), compare));
        }
        if (r.exposures() > 0) {
            return ExitCodes.NEW_EXPOSURE;
        }
        return r.scanComplete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
}
