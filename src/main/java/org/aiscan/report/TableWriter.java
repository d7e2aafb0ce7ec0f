package org.aiscan.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;

/** The human view: a table of endpoints sorted by address and port, printed when the scan ends. */
public final class TableWriter implements ResultWriter {
    private final PrintWriter out;
    private final Predicate<PortState> states;
    private final List<PortResult> rows = new ArrayList<>();

    public TableWriter(PrintWriter out, Predicate<PortState> states) {
        this.out = out;
        this.states = states;
    }

    @Override
    public void start(ScanRun run) {
        // the table is printed at the end, sorted
    }

    @Override
    public void result(PortResult result) {
        if (states.test(result.state())) {
            rows.add(result);
        }
    }

    @Override
    public void finish(ScanSummary summary) {
        rows.sort(Comparator.comparing(PortResult::address).thenComparingInt(PortResult::port));
        if (rows.isEmpty()) {
            out.println(summary.open() == 0 ? "No open ports found." : "");
            out.flush();
            return;
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"HOST", "PORT", "STATE", "SERVICE", "VERSION", "AUTH", "REASON"});
        for (PortResult r : rows) {
            cells.add(new String[] {r.address().toString(), r.port() + "/tcp", r.state().label(), "-", "-", "-", r.reason()});
        }
        int[] w = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        String prevHost = null;
        for (int r = 0; r < cells.size(); r++) {
            String[] row = cells.get(r);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String v = (r > 0 && i == 0 && row[0].equals(prevHost)) ? "" : row[i];
                sb.append(v);
                if (i < row.length - 1) {
                    sb.append(" ".repeat(w[i] - v.length() + 2));
                }
            }
            if (r > 0) {
                prevHost = row[0];
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
