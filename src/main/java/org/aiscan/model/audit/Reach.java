package org.aiscan.model.audit;

import org.aiscan.model.Address;

/**
 * One endpoint a vantage is predicted to reach, with the evaluator's walk that says why.
 *
 * @param vantage the vantage's {@link Vantage#label()}
 * @param host the snapshot's host name
 */
public record Reach(String vantage, String host, Address ip, int port, String proto, Prediction prediction) {
    /** {@code 198.18.31.2:8000} or {@code [2001:2::2]:8000}. */
    public String endpoint() {
        return ip.endpoint(port);
    }
}
