package org.aiscan.model;

import org.jspecify.annotations.Nullable;

/**
 * A published vulnerability whose affected range contains the detected version.
 *
 * @param id e.g. CVE-2024-37032
 * @param severity critical, high, medium, low
 * @param title one line
 * @param affected the affected range as the ruleset states it, e.g. {@code < 0.1.34}
 * @param checked the advisory the range was checked against (an id or an address); null when the
 *                range was taken from elsewhere and not checked: a reader is told it is unverified
 */
public record CveMatch(String id, @Nullable String severity, String title, String affected, @Nullable String checked) {
    /** Whether the range was checked against an advisory. */
    public boolean verified() {
        return checked != null && !checked.isBlank();
    }
}
