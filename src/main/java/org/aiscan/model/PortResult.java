package org.aiscan.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The verdict of the probe stage for one TCP endpoint.
 *
 * @param address the target address
 * @param port the target port, 1-65535
 * @param state open, closed or filtered
 * @param reason why the state was decided, in nmap's vocabulary where one exists
 *     ({@code syn-ack}, {@code conn-refused}, {@code reset}, {@code no-response},
 *     {@code host-unreach}, {@code net-unreach}, …)
 * @param rttMicros round-trip time of the deciding answer in microseconds, or -1 when none came
 * @param time when the verdict was reached
 */
public record PortResult(Address address, int port, PortState state, String reason, long rttMicros, Instant time) {
    public PortResult {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(time, "time");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The endpoint as text: {@code 198.18.0.10:8000} or {@code [2001:2::10]:8000}. */
    public String endpoint() {
        return address.endpoint(port);
    }
}
