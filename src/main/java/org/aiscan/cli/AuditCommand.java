package org.aiscan.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** {@code aiscan audit}: explain a scan with host snapshots. */
public final class AuditCommand implements Callable<Integer> {
    @Nullable Path scan;
    List<String> from = new ArrayList<>();
    String ports;
    List<Path> snapshots = new ArrayList<>();
    @Nullable String json;
    List<String> hostAddresses = new ArrayList<>();
    List<String> scannerIps = new ArrayList<>();
    @Nullable Path policyFile;
    @Nullable Path rulesDir;
    @Nullable Path compare;
    boolean quiet;
    boolean verbose;
    ReportOptions reports = new ReportOptions();
    RemediationOptions remediation = new RemediationOptions();

    /** This command's command line, declared in code ({@link OptionTable}). */
    static CommandLine commandLine() {
        AuditCommand c = new AuditCommand();
        OptionTable t = OptionTable.command(c, "audit")
                .description("Explain each exposure of a scan from snapshots of the scanned hosts.",
                        "For every port: the firewall path (DNAT, input or forward) and the deciding rule with its",
                        "line, what the scan saw next to what the rules predict, and the diagnoses",
                        "(DOCKER_BYPASSES_FIREWALL, IPV6_UNFILTERED, ...) with their evidence.",
                        "Without --scan, predicts from the snapshots alone what the internet, each --trusted network",
                        "and each --from network reach; a later scan confirms or contradicts each prediction.")
                .footer("", "Exit codes: 0 nothing at medium severity or worse, 3 exposures found (or predicted),",
                        "4 the scan was incomplete (and nothing found), 2 bad input, 1 runtime error.");
        t.option("--scan").label("FILE")
                .about("The scan: the --jsonl file of 'aiscan scan'. Without it, reachability is predicted from the snapshots.")
                .value(Path.class, v -> c.scan = v);
        t.option("--from").label("CIDR").split(",")
                .about("Without --scan: also predict what this network reaches (one source address inside it), e.g. the "
                        + "office or a peer VPC; its findings count like the internet's.")
                .list(String.class, () -> c.from, v -> c.from = v);
        t.option("-p", "--ports").label("PORTS").defaultValue("ai-default")
                .about("Without --scan: ports evaluated besides those with a receiver in the snapshot "
                        + "(listeners, DNAT and Docker-published ports); default: ${DEFAULT-VALUE}.")
                .value(String.class, v -> c.ports = v);
        t.option("--snapshot").required().label("FILE").arity("1..*")
                .about("A host snapshot from 'aiscan collect' (or a folder of raw outputs, as 'collect --from' reads); "
                        + "repeat for several hosts. Each is matched to the scanned addresses it holds.")
                .list(Path.class, () -> c.snapshots, v -> c.snapshots = v);
        t.option("--json").label("FILE").about("Write the audit as JSON ('-' for stdout).").value(String.class, v -> c.json = v);
        t.option("--host-address").label("ADDR").split(",")
                .about("The host's own addresses, for a snapshot that has none (raw outputs without 'ip addr'): "
                        + "where the internet arrives. Applies to the one snapshot without addresses.")
                .list(String.class, () -> c.hostAddresses, v -> c.hostAddresses = v);
        t.option("--scanner-ip").label("IP").split(",")
                .about("The scanner's address as the hosts see it, per family (default: what the scan recorded). "
                        + "Matters behind NAT and for rules that trust private networks.")
                .list(String.class, () -> c.scannerIps, v -> c.scannerIps = v);
        pipelineOptions(t, v -> c.policyFile = v, v -> c.rulesDir = v, v -> c.compare = v);
        t.option("-q", "--quiet").about("No summary on stdout (with --json FILE, nothing but problems).").flag(v -> c.quiet = v);
        t.option("-v", "--verbose").about("List every scanned address no snapshot holds (otherwise one line counts them).")
                .flag(v -> c.verbose = v);
        c.remediation.addTo(t.spec());
        c.reports.addTo(t.spec());
        return t.commandLine();
    }

    /** {@code --policy}, {@code --rules} and {@code --compare}: what the audit pipeline reads (audit and report). */
    static void pipelineOptions(OptionTable t, Consumer<Path> policy, Consumer<Path> rules, Consumer<Path> compare) {
        t.option("--policy").label("FILE").about("An audit policy instead of rulesets/policy/audit.yaml.").value(Path.class, policy);
        t.option("--rules").label("DIR").about("Fingerprint rules folder (service categories), default: the shipped rulesets/.")
                .value(Path.class, rules);
        t.option("--compare").label("OLD.jsonl")
                .about("An earlier scan (its --jsonl file): the report says what was fixed, what is new and what is still open since.")
                .value(Path.class, compare);
    }

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
            pipeline.render(sf, r, remediation, reports, console, compare == null ? null : Compare.of(sf, ScanFile.read(compare), compare),
                    sf == null ? null : pipeline.internetView(sf, inputs, reports));
        }
        if (r.exposures() > 0) {
            return ExitCodes.NEW_EXPOSURE;
        }
        return r.scanComplete() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
}
