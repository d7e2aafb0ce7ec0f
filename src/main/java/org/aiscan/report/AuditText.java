package org.aiscan.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.PortState;
import org.aiscan.model.Risk;
import org.aiscan.model.Severity;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.ListenerCheck;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.Reach;
import org.aiscan.model.audit.Vantage;
import org.jspecify.annotations.Nullable;

/**
 * The audit for a terminal: per host the endpoints (scan next to prediction, the deciding rule),
 * then every diagnosis worst first with its sentence and evidence lines. Plain text, no colour;
 * long evidence lines are cut to the width.
 */
public final class AuditText {
    private static final int WIDTH = 160;

    private AuditText() {
    }

    /** How many unmatched addresses the one summary line names before "…". */
    static final int UNMATCHED_SHOWN = 5;

    /**
     * Writes the audit; {@code verbose} lists every address no snapshot holds (otherwise one line
     * counts them). Text from snapshots and scans is made printable: no escape sequence reaches
     * the terminal.
     */
    public static void write(AuditResult r, PrintWriter out, boolean verbose) {
        if (r.predicted()) {
            predictions(r, out);
        }
        for (HostAudit h : r.hosts()) {
            host(h, out, r.predicted());
        }
        List<Address> um = r.unmatched();
        if (!um.isEmpty()) {
            String sentence = um.size() + " address" + (um.size() == 1 ? "" : "es") + " with open ports not matched to a snapshot"
                    + " (collect on those hosts, or another host forwards to them)";
            if (verbose) {
                out.println(sentence + ":");
                um.forEach(u -> out.println("  " + u));
            } else {
                List<String> first = um.stream().limit(UNMATCHED_SHOWN).map(Address::toString).toList();
                out.println(sentence + ": " + String.join(", ", first) + (um.size() > UNMATCHED_SHOWN ? ", … (--verbose lists all)" : ""));
            }
            out.println();
        }
        if (r.diagnoses().isEmpty()) {
            out.println("no diagnoses");
        }
        for (Diagnosis d : r.diagnoses()) {
            out.printf(Locale.ROOT, "%-8s  %-26s %s%n", printable(d.severity().label().toUpperCase(Locale.ROOT)), printable(d.code().name()), printable(d.where()));
            for (String l : wrap(printable(d.why()), WIDTH - 10)) {
                out.println("          " + l);
            }
            for (EvidenceLine e : d.evidence()) {
                out.println(cut("          " + printable((e.line() > 0 ? e.source() + ":" + e.line() : e.source()) + "  " + e.text())));
            }
            out.println();
        }
        List<String> counts = new ArrayList<>();
        for (Severity s : Severity.ALL) {
            if (r.count(s) > 0) {
                counts.add(r.count(s) + " " + s);
            }
        }
        r.notes().forEach(n -> out.println("note: " + printable(n)));
        int[] cu = certainty(r);
        out.printf(Locale.ROOT, "%d host%s, %d diagnos%s%s; %d prediction%s certain, %d uncertain%n", r.hosts().size(),
                r.hosts().size() == 1 ? "" : "s", r.diagnoses().size(), r.diagnoses().size() == 1 ? "is" : "es",
                counts.isEmpty() ? "" : " (" + String.join(", ", counts) + ")", cu[0], cu[0] == 1 ? "" : "s", cu[1]);
        out.flush();
    }

    private static String where(EvidenceLine u) {
        return u.line() > 0 ? u.source() + ":" + u.line() : u.source();
    }

    /** The uncertainty shared by every prediction of the host (empty when some prediction is certain). */
    static List<EvidenceLine> commonUncertainty(HostAudit h) {
        List<Prediction> all = new ArrayList<>();
        h.endpoints().forEach(e -> all.add(e.prediction()));
        h.listeners().forEach(l -> all.add(l.prediction()));
        if (all.isEmpty()) {
            return List.of();
        }
        List<EvidenceLine> common = new ArrayList<>(all.get(0).uncertain());
        all.forEach(p -> common.retainAll(p.uncertain()));
        return common;
    }

    /** How many predictions (endpoints and listeners of every host, and every vantage's reach) are certain, and how many not. */
    static int[] certainty(AuditResult r) {
        int certain = 0;
        int uncertain = 0;
        for (HostAudit h : r.hosts()) {
            for (EndpointCheck e : h.endpoints()) {
                if (e.prediction().isUncertain()) {
                    uncertain++;
                } else {
                    certain++;
                }
            }
            for (ListenerCheck l : h.listeners()) {
                if (l.prediction().isUncertain()) {
                    uncertain++;
                } else {
                    certain++;
                }
            }
        }
        return new int[] {certain, uncertain};
    }

    /** Without a scan: per vantage, the endpoints it is predicted to reach and the rule that lets it. */
    private static void predictions(AuditResult r, PrintWriter out) {
        out.println("predicted from the snapshots' rules, without a scan (a scan from each place confirms or contradicts every line):");
        for (Vantage v : r.vantages()) {
            List<Reach> reach = r.reach().stream().filter(x -> x.vantage().equals(v.label())).toList();
            out.println("from " + v.label() + ": " + (reach.isEmpty() ? "nothing reachable"
                    : reach.size() + " endpoint" + (reach.size() == 1 ? "" : "s") + " reachable"));
            for (Reach x : reach) {
                Prediction p = x.prediction();
                out.println(cut(String.format(Locale.ROOT, "  %-20s %-28s %-10s %-8s %s", printable(x.host()), x.endpoint() + "/" + x.proto(),
                        p.isUncertain() ? "open?" : "open", p.path(), decided(p))));
            }
        }
        out.println();
    }

    private static void host(HostAudit h, PrintWriter out, boolean predicted) {
        out.printf(Locale.ROOT, "host %s (%s): %s%n", printable(h.hostname()), h.snapshotFile() == null ? "snapshot"
                : printable(String.valueOf(h.snapshotFile().getFileName())),
                String.join(", ", h.addresses().stream().map(Object::toString).toList()));
        String sources = String.join(", ", h.sources().stream().map(Object::toString).toList());
        if (predicted) {
            out.printf(Locale.ROOT, "  from the internet (%s); %d endpoints evaluated%n", sources, h.checked());
        } else {
            out.printf(Locale.ROOT, "  scanner source %s; %d endpoints evaluated, %d agree with the scan%n", sources, h.checked(), h.agreeing());
        }
        // what makes every prediction of the host uncertain (a family's rules not given, a dump cut short) is said once
        List<EvidenceLine> common = commonUncertainty(h);
        if (!common.isEmpty()) {
            out.println("  every prediction below is uncertain (a '?' after its state):");
            common.forEach(u -> out.println(cut("    " + printable(where(u) + "  " + u.text()))));
        }
        if (!h.endpoints().isEmpty()) {
            out.printf(Locale.ROOT, "  %-28s %-9s %-10s %-8s %s%n", "ENDPOINT", "SCAN", "PREDICTED", "PATH", "DECIDED BY");
            for (EndpointCheck e : h.endpoints()) {
                Prediction p = e.prediction();
                out.println(cut(String.format(Locale.ROOT, "  %-28s %-9s %-10s %-8s %s", e.endpoint() + "/" + e.proto(),
                        predicted ? "-" : e.observed(),
                        p.isUncertain() ? p.state().label() + "?" : p.state().label(), p.path(), decided(p))));
                if (!e.agrees()) {
                    out.println(cut("      mismatch: " + printable(e.explanation())));
                }
                if (p.isUncertain()) {
                    p.uncertain().stream().filter(u -> !common.contains(u))
                            .forEach(u -> out.println(cut("      uncertain: " + printable(where(u) + "  " + u.text()))));
                }
            }
        }
        List<ListenerCheck> reach = h.listeners().stream().filter(l -> l.prediction().state() != PortState.FILTERED).toList();
        if (!reach.isEmpty()) {
            out.println("  listening, not scanned:");
            for (ListenerCheck l : reach) {
                Prediction p = l.prediction();
                out.println(cut(String.format(Locale.ROOT, "  %-28s %-9s %-10s %-8s %s", endpoint(l), "-", p.isUncertain() ? p.state().label() + "?" : p.state().label(), p.path(), decided(p))));
            }
        }
        h.notes().forEach(n -> out.println("  note: " + printable(n)));
        out.println();
    }

    private static String endpoint(ListenerCheck l) {
        String a = l.ip().isV6() ? "[" + l.ip() + "]" : l.ip().toString();
        return a + ":" + l.listener().port() + "/" + l.listener().proto();
    }

    private static String decided(Prediction p) {
        EvidenceLine d = p.decidedBy();
        if (d == null) {
            return "";
        }
        String where = d.line() > 0 ? d.source() + ":" + d.line() : d.source();
        return printable(where + "  " + d.text());
    }

    /** Text for a terminal: control characters (escape sequences, carriage returns, line breaks) become '?'. */
    public static String printable(@Nullable String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE ? '?' : c));
        return b.toString();
    }

    private static String cut(String s) {
        return s.length() <= WIDTH ? s : s.substring(0, WIDTH - 1) + "…";
    }

    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String w : text.split(" ")) {
            if (cur.length() > 0 && cur.length() + 1 + w.length() > width) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) {
                cur.append(' ');
            }
            cur.append(w);
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
