package org.aiscan.report;

import java.io.IOException;
import org.aiscan.model.Endpoint;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;

/** A sink for one scan's records, called from one thread in order: start, results, finish. */
public interface ResultWriter extends AutoCloseable {
    void start(ScanRun run) throws IOException;

    void result(Endpoint endpoint) throws IOException;

    void finish(ScanSummary summary) throws IOException;

    /** Pushes what was written so far to the file (before a checkpoint); a no-op where nothing is buffered. */
    default void flush() throws IOException {
    }

    @Override
    void close() throws IOException;
}
