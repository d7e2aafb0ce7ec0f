package org.aiscan.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Fix;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.audit.AuditResult;
import org.jspecify.annotations.Nullable;

/**
 * Everything a report renders: the scan, the audit of it (diagnoses; without snapshots only the
 * fingerprints' findings), the remediation snippets per diagnosis when a bundle was made, and who
 * made it when, and optionally what changed since an earlier scan and (for the audit of a scan
 * with snapshots) the snapshots' prediction for the internet over the ports the scan found open,
 * which says how many of them the internet reaches. Every format (HTML, nmap XML, SARIF, Markdown, CSV, Prometheus) renders from this.
 */
public record Report(ScanResult scan, AuditResult audit, Map<Diagnosis, List<Fix>> fixes, @Nullable String version, Instant generated,
                     @Nullable Comparison comparison, @Nullable AuditResult internetView) {
    public Report {
        fixes = Map.copyOf(fixes);
    }

    /** A report without the internet's view of a scan's endpoints. */
    public Report(ScanResult scan, AuditResult audit, Map<Diagnosis, List<Fix>> fixes, @Nullable String version, Instant generated,
                  @Nullable Comparison comparison) {
        this(scan, audit, fixes, version, generated, comparison, null);
    }

    /** A report without a comparison with an earlier scan. */
    public Report(ScanResult scan, AuditResult audit, Map<Diagnosis, List<Fix>> fixes, String version, Instant generated) {
        this(scan, audit, fixes, version, generated, null);
    }

    /** The same report next to an earlier scan. */
    public Report comparedWith(Comparison c) {
        return new Report(scan, audit, fixes, version, generated, c, internetView);
    }

    public List<Fix> fixesFor(Diagnosis d) {
        return fixes.getOrDefault(d, List.of());
    }

    /**
     * What stands for the scan in the report of a prediction (no scan): no endpoint seen, the hosts'
     * addresses as its targets, engine {@code prediction}. Only the HTML report renders a prediction.
     */
    public static ScanResult prediction(AuditResult audit, String version, Instant now) {
        List<String> targets = new ArrayList<>();
        audit.hosts().forEach(h -> h.addresses().forEach(a -> targets.add(a.toString())));
        List<String> from = audit.vantages().stream().map(v -> v.label()).toList();
        ScanRun run = new ScanRun(version, now, "prediction", targets, "predicted", targets.size(), 0, 0,
                "0/1", 0, from, false);
        return new ScanResult(java.nio.file.Path.of("prediction"), run, List.of(), null, false);
    }

    public List<Endpoint> openEndpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : scan.endpoints()) {
            if (e.port().state() == PortState.OPEN) {
                out.add(e);
            }
        }
        return out;
    }
}
