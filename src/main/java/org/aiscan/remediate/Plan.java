package org.aiscan.remediate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.audit.HostAudit;

/**
 * What every emitter reads for one host: its audit and diagnoses, what the host has, the ports to
 * close and how each is reached, the options, and the header line the files start with.
 */
final class Plan {
    final HostAudit host;
    final List<Diagnosis> ds;
    final Facts facts;
    final Map<Integer, Exposure> exposures;
    final Planner.Options opt;
    final String version;
    final Instant generated;
    final String header;
    final List<Diagnosis> sshLimit;
    final boolean inactive4;
    final boolean inactive6;
    final Map<String, String> bindHints;
    final Map<String, String> systemdEnv;

    Plan(HostAudit host, List<Diagnosis> ds, Facts facts, Map<Integer, Exposure> exposures, Planner.Options opt, String version,
         Instant generated, Map<String, String> bindHints, Map<String, String> systemdEnv) {
        this.host = host;
        this.ds = List.copyOf(ds);
        this.facts = facts;
        this.exposures = exposures;
        this.opt = opt;
        this.version = version;
        this.generated = generated;
        this.header = "aiscan remediation for " + Planner.safe(host.hostname()) + " (generated " + generated + " by aiscan "
                + Planner.safe(version) + ")";
        this.sshLimit = ds.stream().filter(d -> d.code() == DiagnosisCode.SSH_NOT_RATE_LIMITED).toList();
        this.inactive4 = ds.stream().anyMatch(d -> d.code() == DiagnosisCode.FIREWALL_INACTIVE && d.ip() != null && !d.ip().isV6());
        this.inactive6 = ds.stream().anyMatch(d -> d.code() == DiagnosisCode.FIREWALL_INACTIVE && d.ip() != null && d.ip().isV6())
                || ds.stream().anyMatch(d -> d.code() == DiagnosisCode.IPV6_UNFILTERED);
        this.bindHints = bindHints;
        this.systemdEnv = systemdEnv;
    }

    /** The trusted networks of one family. */
    List<Cidr> trusted(int family) {
        return opt.trusted().stream().filter(c -> c.isV6() == (family == 6)).toList();
    }

    static List<Diagnosis> of(List<Diagnosis> ds, DiagnosisCode... codes) {
        Set<DiagnosisCode> c = Set.of(codes);
        return ds.stream().filter(d -> c.contains(d.code())).toList();
    }
}
