package org.aiscan.model;

/**
 * What a scan saw of an endpoint an audit checks: {@code open}, {@code closed} or {@code filtered}
 * (the scan wrote every state), {@code not-open} (the scan wrote only open ports, and not this one)
 * or {@code unknown} (the endpoint was not scanned).
 */
public enum Observed {
    OPEN, CLOSED, FILTERED, NOT_OPEN, UNKNOWN;

    public String label() {
        return WireName.of(this);
    }

    @Override
    public String toString() {
        return label();
    }

    /** What the scan wrote for a port. */
    public static Observed of(PortState s) {
        return switch (s) {
            case OPEN -> OPEN;
            case CLOSED -> CLOSED;
            case FILTERED -> FILTERED;
        };
    }
}
