package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.audit.AcceptRule;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.ShadowedDeny;
import org.aiscan.model.audit.UserRule;
import org.jspecify.annotations.Nullable;

/**
 * What a walk through the rules noticed besides its verdict: the rules it could not read, the rate
 * limits on the path, explicit accepts, shadowed denies, private-source shortcuts. Filled by one
 * evaluation, then frozen into a {@link Prediction}.
 */
public final class Trace {
    final List<EvidenceLine> steps = new ArrayList<>();
    final List<UserRule> userRules = new ArrayList<>();
    final List<EvidenceLine> uncertain = new ArrayList<>();
    final List<EvidenceLine> rateLimits = new ArrayList<>();
    final List<AcceptRule> accepts = new ArrayList<>();
    final List<ShadowedDeny> shadowed = new ArrayList<>();
    final List<EvidenceLine> privateTrust = new ArrayList<>();
    final List<String> chainsVisited = new ArrayList<>();
    /**
     * The chains on the deciding path, in order: each jump's or goto's target (iptables names, nft
     * {@code table/chain}, preceded by the {@code @map} whose element chose it); chains a walk entered
     * and left without a verdict are not in it.
     */
    final List<String> entered = new ArrayList<>();
    /** The jump and goto rules taken, in order. */
    final List<EvidenceLine> jumps = new ArrayList<>();

    void uncertain(EvidenceLine e) {
        if (!uncertain.contains(e)) {
            uncertain.add(e);
        }
    }

    void rateLimit(EvidenceLine e) {
        if (!rateLimits.contains(e)) {
            rateLimits.add(e);
        }
    }

    void step(@Nullable EvidenceLine e) {
        if (e != null && !steps.contains(e)) {
            steps.add(e);
        }
    }
}
