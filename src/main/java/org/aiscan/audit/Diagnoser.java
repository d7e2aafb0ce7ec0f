package org.aiscan.audit;

import java.util.List;
import org.aiscan.fingerprint.Ruleset;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.audit.HostAudit;

/**
 * Turns one host's audit into diagnoses by running the detectors over it: the firewall path of
 * each reachable endpoint, what each service exposes, and the host's hardening. Severities,
 * sentences and remediation kinds come from the {@link AuditPolicy}. A prediction the evaluator
 * flagged uncertain never produces a firewall diagnosis on its own.
 */
final class Diagnoser {
    private final AuditPolicy policy;
    private final Ruleset rules;
    private final ServiceExposureDetector services;
    private final List<Detector> detectors;

    Diagnoser(AuditPolicy policy, Ruleset rules) {
        this.policy = policy;
        this.rules = rules;
        this.services = new ServiceExposureDetector(policy, rules);
        this.detectors = List.of(services, new FirewallPathDetector(), new HostHardeningDetector(), new CoverageDetector());
    }

    List<Diagnosis> diagnose(HostAudit host) {
        HostContext c = new HostContext(policy, rules, host);
        Findings out = new Findings(policy, host.hostname());
        for (Detector d : detectors) {
            d.detect(c, out);
        }
        return out.all();
    }

    /**
     * The service-level diagnoses of open endpoints no snapshot explains (a scan without snapshots,
     * or addresses of hosts not collected): what the fingerprints alone say.
     */
    List<Diagnosis> serviceOnly(Address ip, List<Endpoint> endpoints) {
        Findings out = new Findings(policy, ip.toString());
        for (Endpoint e : endpoints) {
            if (e.service() != null && e.port().state() == PortState.OPEN) {
                services.endpoint(e.port().address(), e.port().port(), e.port().endpoint(), e.service(), out);
            }
        }
        return out.all();
    }
}
