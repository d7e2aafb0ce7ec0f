package org.aiscan.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.aiscan.model.Endpoint;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.report.ResultWriter;

/**
 * A result writer that keeps everything it is given, in order, and can be slow (the queue in front
 * of it fills) or fail (a full disk).
 */
public final class RecordingWriter implements ResultWriter {
    private final List<String> calls = new ArrayList<>();
    private final List<Endpoint> results = new ArrayList<>();
    private ScanRun run;
    private ScanSummary summary;
    private CountDownLatch gate;
    private final int failAt;

    /** A writer that takes everything at once. */
    public RecordingWriter() {
        this(null, -1);
    }

    private RecordingWriter(CountDownLatch gate, int failAt) {
        this.gate = gate;
        this.failAt = failAt;
    }

    /** A writer whose first result waits until {@code open} is counted down: everything after it queues. */
    public static RecordingWriter heldUntil(CountDownLatch open) {
        return new RecordingWriter(open, -1);
    }

    /** A writer for which writing result number {@code n} (from 0) fails as a full disk would. */
    public static RecordingWriter failingAt(int n) {
        return new RecordingWriter(null, n);
    }

    @Override
    public synchronized void start(ScanRun r) {
        run = r;
        calls.add("start");
    }

    @Override
    public void result(Endpoint e) throws IOException {
        CountDownLatch g = gate;
        if (g != null) {
            gate = null;
            try {
                g.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        synchronized (this) {
            if (results.size() == failAt) {
                throw new IOException("No space left on device");
            }
            results.add(e);
            calls.add("result");
        }
    }

    @Override
    public synchronized void flush() {
        calls.add("flush");
    }

    @Override
    public synchronized void finish(ScanSummary s) {
        summary = s;
        calls.add("finish");
    }

    @Override
    public synchronized void close() {
        calls.add("close");
    }

    public synchronized List<Endpoint> results() {
        return List.copyOf(results);
    }

    /** start, result, flush, finish and close, in the order they came. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized ScanRun run() {
        return run;
    }

    public synchronized ScanSummary summary() {
        return summary;
    }
}
