package org.aiscan.model.audit;

import org.aiscan.model.EvidenceLine;

/** An ACCEPT rule that let the packet through one chain. */
public record AcceptRule(EvidenceLine rule, boolean explicitPort, boolean sourceRestricted) {
}
