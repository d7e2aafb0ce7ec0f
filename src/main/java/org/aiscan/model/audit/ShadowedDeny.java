package org.aiscan.model.audit;

import org.aiscan.model.EvidenceLine;

/** A deny that never applies because an earlier accept in the same chain takes the packet. */
public record ShadowedDeny(EvidenceLine accept, EvidenceLine deny) {
}
