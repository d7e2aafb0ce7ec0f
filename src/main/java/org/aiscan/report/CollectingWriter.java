package org.aiscan.report;

import org.aiscan.model.ScanResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;

/**
 * Keeps a scan in memory for the formats that need all of it at the end (HTML, nmap XML, SARIF,
 * …): the run record, the endpoints the scan shows, the summary.
 */
public final class CollectingWriter implements ResultWriter {
    private final Predicate<PortState> shown;
    private ScanRun run;
    private ScanSummary summary;
    private final List<Endpoint> endpoints = new ArrayList<>();

    public CollectingWriter(Predicate<PortState> shown) {
        this.shown = shown;
    }

    @Override
    public void start(ScanRun r) {
        this.run = r;
    }

    @Override
    public void result(Endpoint e) {
        if (shown.test(e.port().state())) {
            endpoints.add(e);
        }
    }

    @Override
    public void finish(ScanSummary s) {
        this.summary = s;
    }

    @Override
    public void close() {
    }

    /** The scan as if read back from its JSON Lines; null before {@link #start}. */
    public ScanResult scan() {
        return run == null ? null : new ScanResult(null, run, endpoints, summary, run.allStates());
    }
}
