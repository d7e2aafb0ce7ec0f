package org.aiscan.model;

import org.jspecify.annotations.Nullable;

/**
 * The fixed diagnosis codes (DESIGN.md §3), in the order reports list them. The audit policy
 * ({@code rulesets/policy/audit.yaml}) gives each its severity, sentence and remediation; it must
 * hold exactly these (the policy loader and a test check both ways).
 */
public enum DiagnosisCode {
    FIREWALL_INACTIVE, ALLOW_FROM_ANYWHERE, DOCKER_BYPASSES_FIREWALL, KUBERNETES_SERVICE_EXPOSED, DNAT_BYPASSES_FIREWALL,
    DOCKER_USER_TRUSTS_PRIVATE, IPV6_UNFILTERED, FIREWALL_STACK_SPLIT, NO_RATE_LIMIT, RATE_LIMIT_INEFFECTIVE, RULE_SHADOWED,
    UNAUTHENTICATED_AI_API, SETUP_TAKEOVER, PLAINTEXT_BASIC_AUTH, ADMIN_ENDPOINT_EXPOSED, WIDE_BIND_LATENT, KNOWN_CVE,
    OUTBOUND_UNRESTRICTED, SSH_NOT_RATE_LIMITED, NO_BRUTEFORCE_PROTECTION, NO_RESOURCE_LIMIT, SNAPSHOT_INCOMPLETE;

    /** The code written {@code s} ({@code IPV6_UNFILTERED}), or null when none is. */
    public static @Nullable DiagnosisCode of(@Nullable String s) {
        for (DiagnosisCode c : values()) {
            if (c.name().equals(s)) {
                return c;
            }
        }
        return null;
    }
}
