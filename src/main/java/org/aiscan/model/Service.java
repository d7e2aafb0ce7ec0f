package org.aiscan.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What runs behind an open port.
 *
 * @param id the fixed service id (ollama, vllm, …, http, ssh, redis)
 * @param name human name
 * @param version detected version, or null
 * @param auth {@code none}, {@code required} or {@code unknown} ({@link #access()}); kept as text, since a scan
 *     file read back may hold any
 * @param authDetail {@code open}, {@code product}, {@code proxy}, {@code setup-takeover},
 *     {@code registration-open}, or null when unknown
 * @param confidence {@code high}, {@code medium} or {@code low}
 * @param evidence what the verdicts rest on
 * @param risk what an attacker gets
 * @param cves vulnerabilities matching the version
 * @param tls whether the service spoke TLS
 * @param notes one-line remarks (e.g. the product behind an auth proxy is unconfirmed)
 */
public record Service(@Nullable String id, @Nullable String name, @Nullable String version, String auth, @Nullable String authDetail, String confidence,
                      List<Evidence> evidence, @Nullable Risk risk, List<CveMatch> cves, boolean tls, List<String> notes) {
    public Service {
        evidence = List.copyOf(evidence);
        cves = List.copyOf(cves);
        notes = List.copyOf(notes);
    }

    public static final String AUTH_NONE = "none";
    public static final String AUTH_REQUIRED = "required";
    public static final String AUTH_UNKNOWN = "unknown";

    /** {@link #auth()} as a state ({@link Auth#UNKNOWN} for any text that names none). */
    public Auth access() {
        return Auth.of(auth);
    }

    /** {@link #confidence()} as a level, or null for any text that names none. */
    public @Nullable Confidence certainty() {
        return Confidence.of(confidence);
    }
}
