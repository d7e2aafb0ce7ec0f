package org.aiscan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.report.Comparison;
import org.aiscan.schedule.ScanDiff;

/**
 * {@code --compare OLD.jsonl}: what changed since an earlier scan, read from {@link ScanDiff} (the
 * same changes {@code aiscan diff} prints) into the report's terms: gone is fixed, an endpoint the
 * newer scan did not look at again is not known.
 */
final class Compare {
    private Compare() {
    }

    static Comparison of(ScanResult now, ScanResult before, Path beforeFile) {
        List<Endpoint> fixed = new ArrayList<>();
        List<Endpoint> added = new ArrayList<>();
        List<Comparison.Unknown> unknown = new ArrayList<>();
        List<String> addedKeys = new ArrayList<>();
        for (ScanDiff.Change c : ScanDiff.diff(before, now)) {
            switch (c.kind()) {
                case GONE -> fixed.add(c.before());
                case NEW -> {
                    added.add(c.after());
                    addedKeys.add(c.endpoint());
                }
                case NOT_RESCANNED -> unknown.add(new Comparison.Unknown(c.before(), c.what()));
                case CHANGED -> {
                    // open in both: among the still open below
                }
            }
        }
        List<Endpoint> still = now.endpoints().stream()
                .filter(e -> e.port().state() == PortState.OPEN && !addedKeys.contains(e.port().endpoint())).toList();
        return new Comparison(beforeFile.toString(), before.run().started(), fixed, added, still, unknown);
    }
}
