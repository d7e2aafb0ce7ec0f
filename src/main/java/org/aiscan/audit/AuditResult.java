package org.aiscan.audit;

import java.nio.file.Path;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Risk;

/**
 * The whole audit: every host, every diagnosis (worst first), and what could not be matched.
 *
 * @param scanComplete the scan finished (its summary says complete)
 * @param unmatched scanned addresses with open ports that no snapshot holds (collect on those hosts, or
 *     another host forwards to them)
 */
public record AuditResult(Path scanFile, boolean scanComplete, List<HostAudit> hosts, List<Diagnosis> diagnoses,
                          List<Address> unmatched, List<String> notes) {
    public AuditResult {
        hosts = List.copyOf(hosts);
        diagnoses = List.copyOf(diagnoses);
        unmatched = List.copyOf(unmatched);
        notes = List.copyOf(notes);
    }

    public long count(String severity) {
        return diagnoses.stream().filter(d -> d.severity().equals(severity)).count();
    }

    /** Diagnoses at medium or worse: what the exit code counts as exposures. */
    public long exposures() {
        return diagnoses.stream().filter(d -> Risk.rank(d.severity()) <= Risk.rank("medium")).count();
    }
}
