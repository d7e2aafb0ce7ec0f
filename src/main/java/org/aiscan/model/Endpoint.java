package org.aiscan.model;

import org.jspecify.annotations.Nullable;

/**
 * One scanned endpoint with everything known about it: the probe verdict and, for open ports
 * that were fingerprinted, the service.
 *
 * @param port the probe stage's verdict
 * @param service the service, or null when not fingerprinted (closed, filtered, or skipped)
 */
public record Endpoint(PortResult port, @Nullable Service service) {
}
