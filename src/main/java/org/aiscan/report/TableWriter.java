package org.aiscan.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortResult;
import org.aiscan.model.Service;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;

/** The human view: a table of endpoints sorted by address and port, printed when the scan ends. */
public final class TableWriter implements ResultWriter {
    private final PrintWriter out;
    private final Predicate<PortState> states;
    private final List<Endpoint> rows = new ArrayList<>();

    public TableWriter(PrintWriter out, Predicate<PortState> states) {
        this.out = out;
        this.states = states;
    }

    @Override
    public void start(ScanRun run) {
        // the table is printed at the end, sorted
    }

    @Override
    public void result(Endpoint endpoint) {
        if (states.test(endpoint.port().state())) {
            rows.add(endpoint);
        }
    }

    @Override
    public void finish(ScanSummary summary) {
        rows.sort(Comparator.comparing((Endpoint e) -> e.port().address()).thenComparingInt(e -> e.port().port()));
        if (rows.isEmpty()) {
            out.println(summary.open() == 0 ? "No open ports found." : "");
            out.flush();
            return;
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"HOST", "PORT", "STATE", "SERVICE", "VERSION", "AUTH", "RISK"});
        for (Endpoint e : rows) {
            PortResult r = e.port();
            Service s = e.service();
            String service = s == null ? "-" : s.id() == null ? "?" : AuditText.printable(s.id()) + (s.tls() ? "/tls" : "");
            String version = s == null || s.version() == null ? "-" : printable(s.version());
            String auth = s == null ? "-" : AuditText.printable(s.auth() + (s.authDetail() == null || s.authDetail().equals("open") ? ""
                    : " (" + s.authDetail() + ")"));
            String risk = AuditText.printable(s == null ? (r.state() == PortState.OPEN ? "-" : r.reason())
                    : s.risk().severity() + (s.cves().isEmpty() ? "" : " +" + s.cves().size() + " CVE"));
            cells.add(new String[] {r.address().toString(), r.port() + "/tcp", r.state().label(), service, version, auth, risk});
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

    /** Banner-derived text on a terminal: control characters (escape sequences) become '?'. */
    static String printable(String s) {
        String p = AuditText.printable(s);
        return p.codePointCount(0, p.length()) > 40 ? p.substring(0, p.offsetByCodePoints(0, 39)) + "…" : p;
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
