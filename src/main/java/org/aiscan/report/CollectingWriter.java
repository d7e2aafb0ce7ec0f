package org.aiscan.report;

import org.aiscan.model.ScanResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a scan in memory for the formats that need all of it at the end (HTML, nmap XML, SARIF,
 * …): the run record, the endpoints the scan shows, the summary.
 */
public final class CollectingWriter implements ResultWriter {
    private final Predicate<PortState> shown;
    private @Nullable ScanRun run;
    private @Nullable ScanSummary summary;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private boolean continuing;

    public CollectingWriter(Predicate<PortState> shown) {
        this.shown = shown;
    }

    /**
     * A collector that continues what an interrupted scan wrote ({@code earlier}, as read from its
     * JSON Lines): the run record stays the one the scan started with, as in its file
     * ({@link JsonLinesWriter#continuing}), and the endpoints found now follow the earlier ones.
     */
    public static CollectingWriter continuing(ScanResult earlier, Predicate<PortState> shown) {
        CollectingWriter w = new CollectingWriter(shown);
        w.run = earlier.run();
        w.summary = earlier.summary();
        w.endpoints.addAll(earlier.endpoints());
        w.continuing = true;
        return w;
    }

    @Override
    public void start(ScanRun r) {
        if (!continuing) {
            this.run = r;
        }
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

    /**
     * The scan as if read back from its JSON Lines (closed or filtered endpoints mean every state was
     * written, as {@link ScanFile#read} has it); null before {@link #start}.
     */
    public @Nullable ScanResult scan() {
        if (run == null) {
            return null;
        }
        boolean allStates = run.allStates() || endpoints.stream().anyMatch(e -> e.port().state() != PortState.OPEN);
        return new ScanResult(null, run, endpoints, summary, allStates);
    }
}
