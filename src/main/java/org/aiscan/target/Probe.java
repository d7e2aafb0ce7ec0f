package org.aiscan.target;

import org.aiscan.model.Address;

/**
 * One (address, port) to probe.
 *
 * @param address the target address
 * @param port the TCP port
 * @param ordinal the probe's position in its shard's order, 0-based (stable across runs with the
 *     same seed, so it can serve as a resume point)
 */
public record Probe(Address address, int port, long ordinal) {
}
