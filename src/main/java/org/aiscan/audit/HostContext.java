package org.aiscan.audit;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.fingerprint.Rule;
import org.aiscan.fingerprint.Ruleset;
import org.aiscan.host.HostView;
import org.aiscan.model.Address;
import org.aiscan.model.Service;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.Prediction;
import org.jspecify.annotations.Nullable;

/**
 * What every detector of one host reads: the host's audit (endpoints, listeners, predictions), its
 * firewall evaluator, the evidence index, the policy and the fingerprint rules, and the answers the
 * detectors share (default deny per family, the source address per family), worked out once.
 */
final class HostContext {
    final AuditPolicy policy;
    final Ruleset rules;
    final HostAudit host;
    /** The host's snapshot as parsed ({@code host.view()}). */
    final HostView view;
    final Netfilter nf;
    final EvidenceIndex evidence;
    final BitSet latentPorts;
    private final Map<Integer, Boolean> defaultDeny = new HashMap<>();

    HostContext(AuditPolicy policy, Ruleset rules, HostAudit host) {
        this.policy = policy;
        this.rules = rules;
        this.host = host;
        this.view = (HostView) host.view(); // the audit made it
        this.nf = new Netfilter(view, policy.names());
        this.evidence = new EvidenceIndex(view);
        this.latentPorts = policy.latentPortSet();
    }

    /** The scanner's source for this family (the scan's, or an outside address when it recorded none). */
    Address source(int family) {
        return host.sources().stream().filter(a -> a.isV6() == (family == 6)).findFirst()
                .orElse(family == 6 ? Correlator.OUTSIDE_V6 : Correlator.OUTSIDE_V4);
    }

    /** The host's first address of this family that others reach (not loopback, not a container bridge), or null. */
    @Nullable Address publicAddress(int family) {
        return nf.host().publicAddresses().stream().filter(a -> a.isV6() == (family == 6)).findFirst().orElse(null);
    }

    /** Whether new inbound connections to an arbitrary port are blocked for this family. */
    boolean defaultDeny(int family) {
        return defaultDeny.computeIfAbsent(family, f -> {
            Address dst = publicAddress(f);
            if (dst == null) {
                return true;
            }
            for (int port : new int[] {1, 47_123}) {
                Prediction p = nf.evaluate(source(f), dst, "tcp", port);
                if (p.blocked() || p.isUncertain()) {
                    return true;
                }
            }
            return false;
        });
    }

    @Nullable String category(Service s) {
        return category(rules, s);
    }

    static @Nullable String category(Ruleset rules, @Nullable Service s) {
        if (s == null || s.id() == null) {
            return null;
        }
        Rule r = rules.get(s.id());
        return r == null ? null : r.category().key();
    }

    /** Whether the endpoint is an AI or AI-adjacent service (by fingerprint, or by port when nothing identified it). */
    boolean isAi(@Nullable Service s, int port) {
        if (s != null) {
            String cat = category(s);
            return policy.inClass("ai-api", cat, s.risk().reasons()) || policy.inClass("admin", cat, List.of())
                    || policy.inClass("costly", cat, s.risk().reasons());
        }
        return latentPorts.get(port);
    }

    static String serviceName(@Nullable Service s) {
        return s == null ? "the service" : s.name() == null ? String.valueOf(s.id()) : s.name();
    }
}
