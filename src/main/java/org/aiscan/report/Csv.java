package org.aiscan.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Service;
import org.jspecify.annotations.Nullable;

/**
 * The report as CSV (RFC 4180) for spreadsheets: one row per endpoint and one per diagnosis, in the
 * order of the HTML report — hosts worst first, in each its open endpoints worst first, each followed
 * by its diagnoses, then the host-wide ones; the endpoints the scan did not find open come last.
 * A cell that a spreadsheet would read as a formula ({@code = + - @}, tab, carriage return) is
 * prefixed with an apostrophe (OWASP's CSV injection guidance): banner text stays text.
 */
public final class Csv {
    static final List<String> HEADER = List.of("kind", "host", "ip", "port", "proto", "state", "service", "version", "auth", "severity",
            "code", "detail");

    private Csv() {
    }

    public static void write(Report r, Writer w) throws IOException {
        row(w, HEADER);
        Set<Endpoint> endpoints = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Diagnosis> diagnoses = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Fleet.Host h : Fleet.of(r).hosts()) {
            for (Fleet.Group g : h.endpoints()) {
                if (g.scanned() != null && endpoints.add(g.scanned())) {
                    endpoint(w, h.name(), g.scanned());
                }
                for (Diagnosis d : g.diagnoses()) {
                    if (diagnoses.add(d)) {
                        diagnosis(w, d);
                    }
                }
            }
            for (Diagnosis d : h.hostWide()) {
                if (diagnoses.add(d)) {
                    diagnosis(w, d);
                }
            }
        }
        for (Endpoint e : r.scan().endpoints()) { // the scan's endpoints that are not open (closed, filtered) come last
            if (endpoints.add(e)) {
                endpoint(w, "", e);
            }
        }
        for (Diagnosis d : r.audit().diagnoses()) {
            if (diagnoses.add(d)) {
                diagnosis(w, d);
            }
        }
    }

    private static void endpoint(Writer w, String host, Endpoint e) throws IOException {
        Service s = e.service();
        row(w, Arrays.asList("endpoint", host, e.port().address().toString(), Integer.toString(e.port().port()), "tcp", e.port().state().label(),
                s == null ? "" : s.id(), s == null ? "" : s.version(), s == null ? "" : s.auth(),
                s == null ? "" : s.risk().severity(), "", s == null ? e.port().reason() : s.risk().summary()));
    }

    private static void diagnosis(Writer w, Diagnosis d) throws IOException {
        row(w, Arrays.asList("diagnosis", d.host(), d.ip() == null ? "" : d.ip().toString(), d.port() > 0 ? Integer.toString(d.port()) : "",
                d.proto() == null ? "" : d.proto(), "", "", "", "", d.severity().label(), d.code().name(), d.why()));
    }

    static void row(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(cell(cells.get(i)));
        }
        w.write("\r\n");
    }

    static String cell(@Nullable String raw) {
        String s = raw == null ? "" : raw;
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.startsWith("'")) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
