package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.console.Console;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.fingerprint.Ruleset;
import org.aiscan.model.Address;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.Vantage;
import org.aiscan.report.Comparison;
import org.aiscan.report.Report;
import org.aiscan.target.PortList;
import org.jspecify.annotations.Nullable;

/**
 * The one sequence behind {@code scan}, {@code audit} and {@code report}: the policy and the
 * fingerprint rules (each checked, from {@code --policy} and {@code --rules} or the installed
 * ones), the audit of a scan against its snapshots, the remediation bundle, the report and its
 * files. Every command that renders goes through here, so they agree on what a scan means.
 */
final class AuditPipeline {
    private final AuditPolicy policy;
    private final Ruleset rules;
    private final Clock clock;

    AuditPipeline(AuditPolicy policy, Ruleset rules, Clock clock) {
        this.policy = policy;
        this.rules = rules;
        this.clock = clock;
    }

    /** The policy and rules of {@code policyFile} and {@code rulesDir}, or the installed ones where null. */
    static AuditPipeline load(@Nullable Path policyFile, @Nullable Path rulesDir) throws IOException {
        AuditPolicy p = policyFile != null ? AuditPolicy.load(policyFile) : AuditPolicy.loadDefault();
        return new AuditPipeline(p, RuleLoader.usable(rulesDir), Clock.systemUTC());
    }

    AuditPolicy policy() {
        return policy;
    }

    Ruleset rules() {
        return rules;
    }

    /** The audit: with no snapshot, the fingerprints' findings alone. */
    AuditResult audit(ScanResult scan, List<Correlator.SnapshotInput> snapshots, List<Address> scanners) {
        return new Correlator(policy, rules).run(scan, snapshots, scanners);
    }

    /** Reachability predicted from the snapshots alone, from each vantage (the internet first). */
    AuditResult predict(List<Correlator.SnapshotInput> snapshots, List<Vantage> vantages, PortList extra) {
        return new Correlator(policy, rules).predict(snapshots, vantages, extra);
    }

    /**
     * For the audit of a scan: what the snapshots predict for a source on the internet over every
     * port the scan found open (and each snapshot's own receivers), so the report can say how many
     * of the open endpoints the internet reaches; null without snapshots or without an open port, and
     * when no HTML or Markdown report would say it (the snapshots are read a second time for it).
     */
    @Nullable AuditResult internetView(ScanResult scan, List<Correlator.SnapshotInput> snapshots, @Nullable ReportOptions reports) {
        java.util.BitSet open = new java.util.BitSet(65536);
        scan.endpoints().stream().filter(e -> e.port().state() == PortState.OPEN).forEach(e -> open.set(e.port().port()));
        if (snapshots.isEmpty() || open.isEmpty() || reports == null || !reports.summarised()) {
            return null;
        }
        return predict(snapshots, List.of(Vantage.internet()), PortList.of(open));
    }

    /**
     * The remediation bundle (when asked for) and the report files, each said in one line on the
     * console. Every report format is attempted; one that fails to render leaves the others
     * written and makes the command fail at the end ({@link ReportOptions.RenderFailure}, exit 1).
     * Without a scan (a prediction) only the bundle is written and null returned.
     */
    @Nullable Report render(ScanResult scan, AuditResult audit, @Nullable RemediationOptions remediation, ReportOptions reports, Console console) throws IOException {
        return render(scan, audit, remediation, reports, console, null, null);
    }

    /**
     * As {@link #render(ScanResult, AuditResult, RemediationOptions, ReportOptions, Console)}, next to
     * an earlier scan when {@code compare} is given, with the internet's view of the scan's open
     * endpoints when {@code internetView} is ({@link #internetView}).
     */
    @Nullable Report render(@Nullable ScanResult scan, AuditResult audit, @Nullable RemediationOptions remediation, @Nullable ReportOptions reports, Console console,
                  @Nullable Comparison compare, @Nullable AuditResult internetView) throws IOException {
        RemediationOptions.Result fixes = remediation == null ? RemediationOptions.Result.NONE : remediation.plan(audit, clock);
        List<Path> bundle = remediation == null ? List.of() : remediation.write(fixes);
        if (!bundle.isEmpty()) {
            console.say("remediation bundle: " + bundle.size() + " files in " + remediation.dir + " (start with README.md)");
        }
        if (scan == null && (reports == null || !reports.any())) {
            return null; // a prediction without a report asked for
        }
        ScanResult shown = scan != null ? scan : Report.prediction(audit, VersionProvider.version(), clock.instant());
        Report report = new Report(shown, audit, fixes.fixes(), VersionProvider.version(), clock.instant(), compare, internetView);
        if (reports != null && reports.any()) {
            reports.write(report, policy, console);
        }
        return report;
    }
}
