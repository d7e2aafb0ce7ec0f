package org.aiscan.report;

import java.time.Instant;
import java.util.List;
import org.aiscan.model.Endpoint;

/**
 * A scan next to an earlier one (the baseline): which open endpoints were fixed, which are new and
 * which are still open; and which the new scan cannot say anything about (it did not scan them again,
 * or did not finish), never counted as fixed.
 *
 * @param baseline the earlier scan's file as given
 * @param baselineStarted when it started
 * @param fixed open in the baseline, scanned again and not open now
 * @param added open now, not in the baseline
 * @param still open in both
 * @param unknown open in the baseline and not open now, but not scanned again: each with why
 */
public record Comparison(String baseline, Instant baselineStarted, List<Endpoint> fixed, List<Endpoint> added, List<Endpoint> still,
                         List<Unknown> unknown) {
    public Comparison {
        fixed = List.copyOf(fixed);
        added = List.copyOf(added);
        still = List.copyOf(still);
        unknown = List.copyOf(unknown);
    }

    /** An endpoint of the baseline the new scan does not tell about, and why. */
    public record Unknown(Endpoint endpoint, String why) {
    }
}
