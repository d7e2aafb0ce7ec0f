package org.aiscan.model;

/**
 * A published vulnerability whose affected range contains the detected version.
 *
 * @param id e.g. CVE-2024-37032
 * @param severity critical, high, medium, low
 * @param title one line
 * @param affected the affected range as the ruleset states it, e.g. {@code < 0.1.34}
 */
public record CveMatch(String id, String severity, String title, String affected) {
}
