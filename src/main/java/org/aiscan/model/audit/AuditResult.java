package org.aiscan.model.audit;

import java.nio.file.Path;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Risk;
import org.aiscan.model.Severity;
import org.jspecify.annotations.Nullable;

/**
 * The whole audit: every host, every diagnosis (worst first), and what could not be matched.
 *
 * @param scanComplete the scan finished (its summary says complete)
 * @param unmatched scanned addresses with open ports that no snapshot holds (collect on those hosts, or
 *     another host forwards to them)
 * @param vantages without a scan: the vantages reachability was predicted from (the hosts' endpoints
 *     and the diagnoses are those of the first, the internet); empty for the audit of a scan
 * @param reach without a scan: every endpoint each vantage is predicted to reach
 */
public record AuditResult(@Nullable Path scanFile, boolean scanComplete, List<HostAudit> hosts, List<Diagnosis> diagnoses,
                          List<Address> unmatched, List<String> notes, List<Vantage> vantages, List<Reach> reach) {
    public AuditResult {
        hosts = List.copyOf(hosts);
        diagnoses = List.copyOf(diagnoses);
        unmatched = List.copyOf(unmatched);
        notes = List.copyOf(notes);
        vantages = List.copyOf(vantages);
        reach = List.copyOf(reach);
    }

    /** The audit of a scan. */
    public AuditResult(Path scanFile, boolean scanComplete, List<HostAudit> hosts, List<Diagnosis> diagnoses, List<Address> unmatched,
                       List<String> notes) {
        this(scanFile, scanComplete, hosts, diagnoses, unmatched, notes, List.of(), List.of());
    }

    /** Reachability predicted from snapshots alone (no scan). */
    public boolean predicted() {
        return !vantages.isEmpty();
    }

    public long count(Severity severity) {
        return diagnoses.stream().filter(d -> d.severity() == severity).count();
    }

    /** Diagnoses at medium or worse: what the exit code counts as exposures. */
    public long exposures() {
        return diagnoses.stream().filter(d -> d.severity().atLeast(Severity.MEDIUM)).count();
    }
}
