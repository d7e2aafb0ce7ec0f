package org.aiscan.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an attacker gets from an endpoint.
 *
 * @param severity critical, high, medium, low or info ({@link #level()}); kept as text, since a scan file read back
 *     may hold any
 * @param reasons impact tags: {@code free-inference}, {@code gpu-theft}, {@code code-execution},
 *     {@code data-access}, {@code takeover}, {@code credential-exposure}, {@code recon}, {@code known-cve}
 * @param summary one sentence
 */
public record Risk(String severity, List<String> reasons, String summary) {
    public Risk {
        reasons = List.copyOf(reasons);
    }

    /** The labels of {@link Severity}, worst first. */
    public static final List<String> SEVERITIES = Severity.ALL.stream().map(Severity::label).toList();

    /** Lower is worse: critical = 0; a text that names no severity ranks after info. */
    public static int rank(@Nullable String severity) {
        Severity s = Severity.of(severity);
        return s == null ? SEVERITIES.size() : s.rank();
    }

    /** {@link #severity()} as a level, or null for a text that names none (a scan file read back may hold any). */
    public @Nullable Severity level() {
        return Severity.of(severity);
    }
}
