package org.aiscan.model;

import java.util.Locale;

/** What a probe learned about one (address, port). */
public enum PortState {
    /** The port completed a handshake (SYN-ACK or an accepted connect). */
    OPEN,
    /** The host answered with a reset: reachable, nothing listening. */
    CLOSED,
    /** No answer after the retries, or an ICMP unreachable: something drops or rejects the probe. */
    FILTERED;

    /** The lower-case name used in every output format. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PortState fromLabel(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
