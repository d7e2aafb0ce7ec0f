package org.aiscan.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an attacker gets from an endpoint.
 *
 * @param severity critical, high, medium, low or info
 * @param reasons impact tags: {@code free-inference}, {@code gpu-theft}, {@code code-execution},
 *     {@code data-access}, {@code takeover}, {@code credential-exposure}, {@code recon}, {@code known-cve}
 * @param summary one sentence
 */
public record Risk(String severity, List<String> reasons, String summary) {
    public Risk {
        reasons = List.copyOf(reasons);
    }

    public static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");

    /** Lower is worse: critical = 0. */
    public static int rank(@Nullable String severity) {
        int i = severity == null ? -1 : SEVERITIES.indexOf(severity);
        return i < 0 ? SEVERITIES.size() : i;
    }
}
