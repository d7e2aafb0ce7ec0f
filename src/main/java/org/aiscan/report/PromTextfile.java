package org.aiscan.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Risk;
import org.aiscan.model.Severity;

/**
 * The report as a Prometheus textfile (node_exporter's textfile collector reads {@code *.prom}
 * from a folder; write it with {@link AtomicFile} so the collector never sees half a file): counts
 * of diagnoses by severity, open endpoints by service, whether the scan finished, when it ran.
 */
public final class PromTextfile {
    private PromTextfile() {
    }

    public static void write(Report r, Writer w) throws IOException {
        w.write("# HELP aiscan_diagnoses Diagnoses of the last aiscan run, by severity.\n# TYPE aiscan_diagnoses gauge\n");
        for (Severity s : Severity.ALL) {
            w.write("aiscan_diagnoses{severity=\"" + s + "\"} " + r.audit().count(s) + "\n");
        }
        Map<String, Integer> bySvc = new TreeMap<>();
        for (Endpoint e : r.openEndpoints()) {
            bySvc.merge(e.service() == null || e.service().id() == null ? "unknown" : e.service().id(), 1, Integer::sum);
        }
        w.write("# HELP aiscan_open_endpoints Open endpoints found by the last aiscan run, by service.\n# TYPE aiscan_open_endpoints gauge\n");
        for (Map.Entry<String, Integer> e : bySvc.entrySet()) {
            w.write("aiscan_open_endpoints{service=\"" + label(e.getKey()) + "\"} " + e.getValue() + "\n");
        }
        w.write("# HELP aiscan_scan_complete 1 when the last scan decided every probe.\n# TYPE aiscan_scan_complete gauge\n");
        w.write("aiscan_scan_complete " + (r.scan().complete() ? 1 : 0) + "\n");
        w.write("# HELP aiscan_last_run_timestamp_seconds When the last scan started.\n# TYPE aiscan_last_run_timestamp_seconds gauge\n");
        w.write("aiscan_last_run_timestamp_seconds " + r.scan().run().started().getEpochSecond() + "\n");
        if (r.scan().summary() != null) {
            w.write("# HELP aiscan_scan_duration_seconds How long the last scan took.\n# TYPE aiscan_scan_duration_seconds gauge\n");
            w.write(String.format(Locale.ROOT, "aiscan_scan_duration_seconds %.3f%n", r.scan().summary().elapsedSeconds()));
        }
    }

    /**
     * Label values escape backslash, double quote and newline (the text exposition format); other
     * control characters become '?' so that no reader splitting on carriage returns sees two lines.
     */
    static String label(String v) {
        StringBuilder b = new StringBuilder(v.length());
        v.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c);
            }
        });
        return b.toString();
    }
}
