package org.aiscan.probe;

import java.util.List;

/**
 * How an engine run ended.
 *
 * @param complete every probe of the plan got a verdict
 * @param notes one-line facts worth showing the user (limits hit, drops counted, fallbacks)
 */
public record EngineReport(boolean complete, List<String> notes) {
    public EngineReport {
        notes = List.copyOf(notes);
    }
}
