package org.aiscan.audit;

/**
 * One family of diagnoses: reads a host's context (its predictions, scan observations and
 * snapshot through the evidence index) and adds what it finds. Detectors share nothing but the
 * context and the findings.
 */
interface Detector {
    void detect(HostContext host, Findings out);
}
