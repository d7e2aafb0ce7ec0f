package org.aiscan.probe;

import java.util.List;

/**
 * How an engine run ended.
 *
 * @param complete every probe of the plan got a verdict
 * @param warnings facts that may have cost results or speed (limits hit, drops counted)
 * @param info facts worth a line in verbose output and the summary (timing, chosen parameters)
 */
public record EngineReport(boolean complete, List<String> warnings, List<String> info) {
    public EngineReport {
        warnings = List.copyOf(warnings);
        info = List.copyOf(info);
    }
}
