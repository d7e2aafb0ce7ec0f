package org.aiscan.model.audit;

import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Outcome;
import org.aiscan.model.PacketPath;
import org.aiscan.model.PortState;
import org.jspecify.annotations.Nullable;

/**
 * What the host's firewall does with one connection attempt, and why.
 *
 * @param packet the attempt as it arrived
 * @param path INPUT (a local socket), FORWARD (DNAT to a container or another host), or NONE (dropped before routing)
 * @param outcome accept, drop or reject
 * @param reset a reject answered with a TCP reset
 * @param decidedBy the rule or policy that decided (the last base chain's decision for an accept)
 * @param dnat the DNAT rule, or null
 * @param forwardedTo the post-DNAT destination (address:port) on the FORWARD path, else null
 * @param receivers the sockets (ss lines) or the DNAT destination that would take the connection
 * @param state what a scanner should see: open, closed or filtered
 * @param uncertain rules on the path the evaluator could not read; when not empty the prediction may be wrong
 * @param rateLimits rate-limiting rules on the path that apply to this connection
 * @param accepts the accept rules that let it through, one per base chain
 * @param shadowed denies for this port that an earlier accept makes dead
 * @param privateTrust DOCKER-USER shortcuts taken because the source is on a private network
 * @param steps the notable rules in the order the packet met them
 * @param userRules the DOCKER-USER rules (and those of chains it jumps to) the packet met, in order
 * @param via who rewrote the destination (Kubernetes, Docker, Podman, …), {@link Forwarder#NONE} without DNAT
 * @param viaRules the jumps the DNAT's walk took, in order ({@code -A KUBE-NODEPORTS … --dport 30080 -j KUBE-EXT-…})
 */
public record Prediction(Packet packet, PacketPath path, Outcome outcome, boolean reset, @Nullable EvidenceLine decidedBy, @Nullable EvidenceLine dnat,
                         String forwardedTo, List<EvidenceLine> receivers, PortState state, List<EvidenceLine> uncertain,
                         List<EvidenceLine> rateLimits, List<AcceptRule> accepts, List<ShadowedDeny> shadowed,
                         List<EvidenceLine> privateTrust, List<EvidenceLine> steps, List<UserRule> userRules, @Nullable Forwarder via,
                         List<EvidenceLine> viaRules) {
    public Prediction {
        receivers = List.copyOf(receivers);
        uncertain = List.copyOf(uncertain);
        rateLimits = List.copyOf(rateLimits);
        accepts = List.copyOf(accepts);
        shadowed = List.copyOf(shadowed);
        privateTrust = List.copyOf(privateTrust);
        steps = List.copyOf(steps);
        userRules = List.copyOf(userRules);
        viaRules = List.copyOf(viaRules);
    }

    public boolean accepted() {
        return outcome == Outcome.ACCEPT;
    }

    /** Dropped or rejected by a rule or policy (not merely "nothing listens"). */
    public boolean blocked() {
        return !accepted();
    }

    public boolean isUncertain() {
        return !uncertain.isEmpty();
    }

    public Address destination() {
        return packet.origDst();
    }

    public int port() {
        return packet.origDport();
    }

    /** {@code open}, {@code closed}, {@code filtered}, or {@code uncertain} when a rule on the path could not be read. */
    public String label() {
        return isUncertain() ? "uncertain (" + state.label() + "?)" : state.label();
    }
}
