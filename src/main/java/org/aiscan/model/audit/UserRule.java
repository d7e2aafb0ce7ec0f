package org.aiscan.model.audit;

import org.aiscan.model.EvidenceLine;

/**
 * A rule of DOCKER-USER (or of a chain it jumps to) that a forwarded packet met, whether it took
 * the packet, and if not, why ({@code -d 10.0.0.0/8 does not hold for the destination …}).
 */
public record UserRule(String chain, EvidenceLine rule, boolean matched, String whyNot) {
}
