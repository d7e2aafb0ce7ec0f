package org.aiscan.model;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A finished (or interrupted) scan as the later stages see it: the run record, every endpoint and
 * the summary, from the file it was read from ({@code report.ScanResult} reads the JSON Lines).
 *
 * @param summary null when the scan was cut short
 * @param allStates the scan wrote closed and filtered ports too ({@code --all-states}); otherwise a
 *     port not in the file was closed or filtered, which one is unknown
 */
public record ScanResult(@Nullable Path file, ScanRun run, List<Endpoint> endpoints, @Nullable ScanSummary summary, boolean allStates) {
    public ScanResult {
        endpoints = List.copyOf(endpoints);
    }

    public boolean complete() {
        return summary != null && summary.complete();
    }
}
