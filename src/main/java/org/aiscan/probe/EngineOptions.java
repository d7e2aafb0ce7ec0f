package org.aiscan.probe;

/**
 * Tuning shared by all engines.
 *
 * @param rate probes per second (first attempts and retries together); 0 means unlimited
 * @param maxTimeoutMillis the longest a probe waits for an answer (used until RTTs are known)
 * @param minTimeoutMillis the shortest wait, whatever the measured RTTs say
 * @param retries extra attempts for probes that got no answer
 * @param concurrency the most probes in flight at once (connect engine: sockets)
 */
public record EngineOptions(long rate, int maxTimeoutMillis, int minTimeoutMillis, int retries, int concurrency) {
    public EngineOptions {
        if (rate < 0 || maxTimeoutMillis < 1 || minTimeoutMillis < 1 || minTimeoutMillis > maxTimeoutMillis
                || retries < 0 || concurrency < 1) {
            throw new IllegalArgumentException("bad engine options");
        }
    }
}
