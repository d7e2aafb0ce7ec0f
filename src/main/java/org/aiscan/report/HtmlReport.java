package org.aiscan.report;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiscan.audit.EndpointCheck;
import org.aiscan.audit.HostAudit;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.Address;
import org.aiscan.model.CveMatch;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Fix;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.Remedy;
import org.aiscan.model.Risk;
import org.aiscan.model.ScanRun;
import org.aiscan.model.Service;

/**
 * The HTML report: {@code report-templates/html/report.ftlh} rendered with FreeMarker into one
 * self-contained file (CSS inlined, no script, a content security policy that forbids any load).
 * {@code .ftlh} templates escape every interpolation, so banner text shows as text. Templates are
 * looked up in {@code --templates DIR} first, then in the aiscan home folder, then in the jar. The
 * template sees a plain tree of strings, lists and maps built here, never the Java model.
 */
public final class HtmlReport {
    public static final String TEMPLATE = "report.ftlh";

    private HtmlReport() {
    }

    public static void write(Report r, Path templates, Writer out) throws IOException {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (templates != null) {
            if (!Files.isDirectory(templates)) {
                throw new InvalidInputException("--templates " + templates + ": not a folder");
            }
            loaders.add(new FileTemplateLoader(templates.toFile()));
        }
        if (AiscanHome.home().isPresent() && Files.isDirectory(AiscanHome.home().get().resolve("report-templates/html"))) {
            loaders.add(new FileTemplateLoader(AiscanHome.home().get().resolve("report-templates/html").toFile()));
        }
        loaders.add(new ClassTemplateLoader(HtmlReport.class, "/aiscan-data/report-templates/html"));
        cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
        cfg.setDefaultEncoding("UTF-8");
        cfg.setLocale(Locale.ROOT);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        try {
            Template t = cfg.getTemplate(TEMPLATE);
            t.process(model(r), out);
        } catch (TemplateException e) {
            throw new IOException("report template " + e.getTemplateSourceName() + ":" + e.getLineNumber() + ": "
                    + e.getMessageWithoutStackTop().lines().findFirst().orElse("").strip(), e);
        }
    }

    static Map<String, Object> model(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        ScanRun run = r.scan().run();
        m.put("title", t(String.join(", ", run.targets())));
        m.put("generated", r.generated().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        m.put("version", t(r.version()));
        List<Map<String, Object>> counts = new ArrayList<>();
        for (String s : Risk.SEVERITIES) {
            counts.add(Map.of("severity", s, "count", String.valueOf(r.audit().count(s))));
        }
        m.put("counts", counts);
        m.put("openCount", r.openEndpoints().size());
        m.put("diagnosisCount", r.audit().diagnoses().size());
        Map<String, Object> scan = new LinkedHashMap<>();
        scan.put("targets", t(String.join(" ", run.targets())));
        scan.put("ports", t(run.ports()));
        scan.put("engine", t(run.engine()));
        scan.put("rate", run.rate() == 0 ? "unlimited rate" : run.rate() + " probes/s");
        scan.put("seed", String.valueOf(run.seed()));
        scan.put("shard", t(run.shard()));
        scan.put("scanner", run.scannerAddresses().isEmpty() ? "unknown" : t(String.join(", ", run.scannerAddresses())));
        scan.put("started", t(run.started()));
        scan.put("finished", r.scan().summary() == null ? "did not finish" : t(r.scan().summary().finished()) + String.format(Locale.ROOT,
                " (%.2f s)", r.scan().summary().elapsedSeconds()));
        scan.put("probes", r.scan().summary() == null ? String.valueOf(run.probes())
                : r.scan().summary().decided() + " of " + r.scan().summary().probes() + " decided");
        scan.put("addresses", String.valueOf(run.addresses()));
        scan.put("complete", r.scan().complete());
        m.put("scan", scan);
        List<Map<String, Object>> eps = new ArrayList<>();
        for (Endpoint e : r.openEndpoints()) {
            Service s = e.service();
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("endpoint", e.port().endpoint());
            x.put("service", t(s == null ? "not fingerprinted" : s.id() == null ? "unidentified" : s.name() == null ? s.id() : s.name() + " (" + s.id() + ")"));
            x.put("version", s == null ? "" : t(s.version()));
            x.put("auth", s == null ? "" : t(s.auth()) + (s.authDetail() == null ? "" : " (" + t(s.authDetail()) + ")"));
            x.put("risk", s == null || s.risk() == null ? "" : t(s.risk().severity()));
            x.put("summary", s == null || s.risk() == null ? "" : t(s.risk().summary()));
            x.put("cves", s == null ? "" : String.join(", ", s.cves().stream().map(c -> t(c.id())).toList()));
            eps.add(x);
        }
        m.put("endpoints", eps);
        List<Map<String, Object>> ds = new ArrayList<>();
        int i = 0;
        for (Diagnosis d : r.audit().diagnoses()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("severity", t(d.severity()));
            x.put("code", t(d.code()));
            x.put("where", t(d.where()));
            x.put("why", t(d.why()));
            x.put("anchor", "d" + (i++));
            List<Map<String, Object>> ev = new ArrayList<>();
            for (EvidenceLine e : d.evidence()) {
                ev.add(Map.of("where", t(e.line() > 0 ? e.source() + ":" + e.line() : e.source()), "text", t(e.text())));
            }
            x.put("evidence", ev);
            List<Map<String, Object>> fx = new ArrayList<>();
            for (Fix f : r.fixesFor(d)) {
                fx.add(Map.of("title", t(f.title()), "file", t(f.file()), "text", t(f.text())));
            }
            x.put("fixes", fx);
            x.put("kinds", t(String.join(", ", d.remediation().stream().map(Remedy::kind).toList())));
            ds.add(x);
        }
        m.put("diagnoses", ds);
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (HostAudit h : r.audit().hosts()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", t(h.hostname()));
            x.put("snapshot", h.snapshotFile() == null ? "" : t(h.snapshotFile().getFileName()));
            x.put("addresses", String.join(", ", h.addresses().stream().map(Object::toString).toList()));
            x.put("checked", String.valueOf(h.checked()));
            x.put("agreeing", String.valueOf(h.agreeing()));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (EndpointCheck e : h.endpoints()) {
                Map<String, Object> y = new LinkedHashMap<>();
                y.put("endpoint", t(e.endpoint()));
                y.put("observed", t(e.observed()));
                y.put("predicted", t(e.prediction().state()) + (e.prediction().isUncertain() ? " (uncertain)" : ""));
                y.put("path", t(e.prediction().path()));
                EvidenceLine by = e.prediction().decidedBy();
                y.put("decidedBy", by == null ? "" : t((by.line() > 0 ? by.source() + ":" + by.line() : by.source()) + "  " + by.text()));
                y.put("mismatch", t(e.explanation()));
                rows.add(y);
            }
            x.put("endpoints", rows);
            x.put("notes", h.notes().stream().map(HtmlReport::t).toList());
            hosts.add(x);
        }
        m.put("hosts", hosts);
        m.put("unmatched", r.audit().unmatched().stream().map(Address::toString).toList());
        m.put("notes", r.audit().notes().stream().map(HtmlReport::t).toList());
        return m;
    }

    /** Null as empty text (a field the scanner left empty never fails the template), and {@link #text} applied. */
    private static String t(Object o) {
        return o == null ? "" : text(o.toString());
    }

    /**
     * Text as HTML can carry it: control characters (but tab and newline), lone surrogates and the
     * noncharacters U+FFFE/U+FFFF become U+FFFD; FreeMarker's .ftlh escaping does the markup.
     */
    public static String text(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            boolean bad = (Character.isISOControl(c) && c != '\t' && c != '\n') || c == '\uFFFE' || c == '\uFFFF'
                    || (Character.isSurrogate(c) && !pair);
            if (bad && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(bad ? '\uFFFD' : c);
                if (pair) {
                    b.append(s.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return b == null ? s : b.toString();
    }
}
