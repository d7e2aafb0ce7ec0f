package org.aiscan.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.function.Predicate;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;

/**
 * Streams JSON Lines: each record is written and flushed as soon as it is known, so a crash or an
 * interrupt loses nothing already found.
 */
public final class JsonLinesWriter implements ResultWriter {
    private final Writer out;
    private final JsonGenerator g;
    private final boolean closeOut;
    private final Predicate<PortState> states;
    private boolean runRecord = true;

    /**
     * @param out where to write
     * @param closeOut whether {@link #close()} closes {@code out} (false for stdout)
     * @param states which port states to write (closed and filtered are usually left out)
     */
    public JsonLinesWriter(Writer out, boolean closeOut, Predicate<PortState> states) throws IOException {
        this.out = out;
        this.g = JsonLines.generator(out);
        this.closeOut = closeOut;
        this.states = states;
    }

    /**
     * A writer that continues a file an interrupted scan started: the file already holds the run
     * record, so {@link #start} writes nothing.
     */
    public static JsonLinesWriter continuing(Writer out, Predicate<PortState> states) throws IOException {
        JsonLinesWriter w = new JsonLinesWriter(out, true, states);
        w.runRecord = false;
        return w;
    }

    @Override
    public void start(ScanRun run) throws IOException {
        if (runRecord) {
            JsonLines.run(g, run);
        }
    }

    @Override
    public void result(Endpoint endpoint) throws IOException {
        if (states.test(endpoint.port().state())) {
            JsonLines.port(g, endpoint);
        }
    }

    @Override
    public void finish(ScanSummary summary) throws IOException {
        JsonLines.summary(g, summary);
    }

    @Override
    public void flush() throws IOException {
        g.flush();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        g.close();
        if (closeOut) {
            out.close();
        } else {
            out.flush();
        }
    }
}
