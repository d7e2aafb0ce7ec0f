package org.aiscan.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a scan was asked to do, recorded at its start so every output can say how it was made.
 *
 * @param version aiscan's version
 * @param started when probing began
 * @param engine {@code connect} or {@code syn}
 * @param targets the target specs as given
 * @param ports the port list, nmap syntax
 * @param addresses addresses to probe after exclusions
 * @param probes probes in this shard
 * @param seed the permutation seed (reuse it to repeat the order or to run other shards)
 * @param shard {@code I/N}
 * @param rate requested probes per second, 0 = unlimited
 * @param scannerAddresses the local addresses probes leave from, one per address family scanned, when known
 * @param allStates closed and filtered endpoints are written too, not only open ones
 */
public record ScanRun(String version, Instant started, @Nullable String engine, List<String> targets, String ports,
                      long addresses, long probes, long seed, String shard, long rate, List<String> scannerAddresses,
                      boolean allStates) {
    public ScanRun {
        targets = List.copyOf(targets);
        scannerAddresses = List.copyOf(scannerAddresses);
    }

    /** The first scanner address, or null. */
    public @Nullable String scannerAddress() {
        return scannerAddresses.isEmpty() ? null : scannerAddresses.get(0);
    }
}
