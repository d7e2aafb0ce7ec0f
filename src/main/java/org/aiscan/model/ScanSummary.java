package org.aiscan.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a scan ended.
 *
 * @param finished end time
 * @param elapsedSeconds wall time of the probe stage
 * @param probes probes planned for this shard
 * @param decided probes that got a verdict
 * @param sent packets (or connects) sent, retries included
 * @param open open endpoints
 * @param closed closed endpoints
 * @param filtered filtered endpoints
 * @param complete every planned probe got a verdict
 * @param stopReason why it stopped early (e.g. {@code interrupted}), or null
 * @param warnings facts that may have cost results or speed (limits, drops, fallbacks)
 * @param notes other one-line facts about the run (timing)
 */
public record ScanSummary(Instant finished, double elapsedSeconds, long probes, long decided, long sent, long open,
                          long closed, long filtered, boolean complete, @Nullable String stopReason, List<String> warnings,
                          List<String> notes) {
    public ScanSummary {
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }
}
