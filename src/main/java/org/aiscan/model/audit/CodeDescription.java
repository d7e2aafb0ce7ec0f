package org.aiscan.model.audit;

/**
 * How the audit's policy describes one diagnosis code, as a report that lists the codes (SARIF's
 * rules) reads it.
 */
public interface CodeDescription {
    /** The catalog entry the code stands for ({@code HA-01}). */
    String catalog();

    /** critical … info, or {@code from-service} (the service's risk) or {@code from-cves} (the worst CVE). */
    String severity();

    /** The code's sentence, with {@code {placeholders}} for what each finding fills in. */
    String why();
}
