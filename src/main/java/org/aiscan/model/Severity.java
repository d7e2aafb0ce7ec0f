package org.aiscan.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** How bad a finding is, worst first: its order is the rank reports sort by. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, INFO;

    /** Every severity, worst first. */
    public static final List<Severity> ALL = List.of(values());

    /** {@code critical}, as every output writes it. */
    public String label() {
        return WireName.of(this);
    }

    @Override
    public String toString() {
        return label();
    }

    /** Lower is worse: critical = 0. */
    public int rank() {
        return ordinal();
    }

    /** Whether this is at least as bad as {@code o}. */
    public boolean atLeast(Severity o) {
        return rank() <= o.rank();
    }

    /** The severity written {@code s} ({@code high}), or null when none is. */
    public static @Nullable Severity of(@Nullable String s) {
        return WireName.parse(Severity.class, s);
    }
}
