package org.aiscan.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One finding of the audit.
 *
 * @param code the fixed code (DESIGN.md §3): {@code DOCKER_BYPASSES_FIREWALL}, {@code IPV6_UNFILTERED}, …
 * @param host the snapshot's host name
 * @param ip the address it concerns, or null for a host-wide finding
 * @param port the port it concerns, or 0 for a host-wide finding
 * @param proto tcp or udp ({@code null} with port 0)
 * @param severity how bad
 * @param why one plain sentence
 * @param evidence the lines it rests on, in the order a reader should follow them
 * @param remediation the steps that fix it, as typed values
 */
public record Diagnosis(DiagnosisCode code, @Nullable String host, @Nullable Address ip, int port, @Nullable String proto, Severity severity, String why,
                        List<EvidenceLine> evidence, List<Remedy> remediation) {
    public Diagnosis {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(why, "why");
        evidence = List.copyOf(evidence);
        remediation = List.copyOf(remediation);
    }

    /** {@code 198.18.0.10:8000}, {@code [2001:2::10]:8000}, or the host name for host-wide findings. */
    public @Nullable String where() {
        if (ip == null) {
            return port > 0 ? host + ":" + port : host;
        }
        String a = ip.isV6() ? "[" + ip + "]" : ip.toString();
        return port > 0 ? a + ":" + port : a;
    }
}
