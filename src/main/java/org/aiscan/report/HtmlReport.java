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
import org.aiscan.model.Severity;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.Vantage;
import org.jspecify.annotations.Nullable;

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

    public static void write(Report r, @Nullable Path templates, Writer out) throws IOException {
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
        List<String> tg = run.targets();
        int hostCount = r.audit().hosts().size();
        // a fleet is named by its size, not by the first few of its addresses
        String named = tg.size() <= 3 ? String.join(", ", tg) : hostCount > 1 ? hostCount + " hosts, " + tg.size() + " targets"
                : String.join(", ", tg.subList(0, 3)) + " and " + (tg.size() - 3) + " more";
        m.put("title", t(tg.size() <= 3 || hostCount <= 1 ? String.join(", ", tg) : named));
        m.put("heading", t(named));
        m.put("generated", r.generated().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        m.put("version", t(r.version()));
        List<Map<String, Object>> counts = new ArrayList<>();
        for (Severity s : Severity.ALL) {
            counts.add(Map.of("severity", s.label(), "count", String.valueOf(r.audit().count(s))));
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
        Fleet fleet = Fleet.of(r);
        m.put("predicted", fleet.predicted());
        if (fleet.exposure() != null) {
            m.put("exposure", Map.of("internet", String.valueOf(fleet.exposure().internet()), "otherOnly",
                    String.valueOf(fleet.exposure().otherOnly()), "scanned", fleet.exposure().scanned(), "sentence",
                    t(fleet.exposure().scannedSentence())));
        }
        m.put("vantages", t(String.join(", ", r.audit().vantages().stream().map(Vantage::label).toList())));
        Map<Diagnosis, String> anchors = new java.util.IdentityHashMap<>();
        List<Map<String, Object>> hosts = new ArrayList<>();
        int hi = 0;
        for (Fleet.Host h : fleet.hosts()) {
            Map<String, Object> x = new LinkedHashMap<>();
            String anchor = "h" + (hi++);
            x.put("anchor", anchor);
            x.put("name", t(h.name()));
            x.put("addresses", Fleet.collapsed(h.addresses()));
            x.put("allAddresses", String.join(", ", h.addresses().stream().map(Object::toString).toList()));
            x.put("frontEnd", t(h.frontEnd()));
            x.put("open", String.valueOf(h.open()));
            List<Map<String, Object>> sev = new ArrayList<>();
            for (Severity s : Severity.ALL) {
                sev.add(Map.of("severity", s.label(), "count", String.valueOf(h.count(s))));
            }
            x.put("counts", sev);
            x.put("worst", h.worst() == null ? "" : t(h.worst().code() + " " + h.worst().where()));
            x.put("worstSeverity", h.worst() == null ? "" : t(h.worst().severity().label()));
            HostAudit a = h.audit();
            x.put("snapshot", a == null || a.snapshotFile() == null ? "" : t(a.snapshotFile().getFileName()));
            x.put("checked", a == null ? "" : String.valueOf(a.checked()));
            x.put("agreeing", a == null ? "" : String.valueOf(a.agreeing()));
            List<Map<String, Object>> groups = new ArrayList<>();
            for (Fleet.Group g : h.endpoints()) {
                groups.add(group(r, g, anchors));
            }
            x.put("endpoints", groups);
            Map<String, Object> wide = new LinkedHashMap<>();
            wide.put("findings", findings(r, h.hostWide(), anchors));
            wide.put("fixes", fixes(new ArrayList<>(new java.util.LinkedHashSet<>(h.hostWide().stream().flatMap(d -> r.fixesFor(d).stream()).toList()))));
            x.put("hostWide", wide);
            List<Map<String, Object>> rows = new ArrayList<>();
            if (a != null) {
                for (EndpointCheck e : a.endpoints()) {
                    rows.add(check(e));
                }
            }
            x.put("checks", rows);
            x.put("notes", a == null ? List.of() : a.notes().stream().map(HtmlReport::t).toList());
            hosts.add(x);
        }
        m.put("hosts", hosts);
        m.put("worstHost", fleet.hosts().isEmpty() || fleet.hosts().get(0).worst() == null ? null : hosts.get(0));
        List<Map<String, Object>> actions = new ArrayList<>();
        for (Fleet.Action act : fleet.actions()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("severity", t(act.severity().label()));
            x.put("title", t(act.fix().title()));
            x.put("file", t(act.fix().file()));
            x.put("text", t(act.fix().text()));
            x.put("alternatives", fixes(act.alternatives()));
            x.put("hosts", t(String.join(", ", act.hosts())));
            x.put("verify", t(act.verify()));
            x.put("closes", act.closes().stream().map(d -> Map.of("label", t(d.code() + " " + d.where()), "anchor",
                    anchors.getOrDefault(d, ""), "severity", t(d.severity().label()))).toList());
            actions.add(x);
        }
        m.put("actions", actions);
        Comparison c = r.comparison();
        if (c != null) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("baseline", t(c.baseline()));
            x.put("started", t(c.baselineStarted()));
            x.put("fixed", c.fixed().stream().map(HtmlReport::changed).toList());
            x.put("added", c.added().stream().map(HtmlReport::changed).toList());
            x.put("still", c.still().stream().map(HtmlReport::changed).toList());
            x.put("unknown", c.unknown().stream().map(u -> {
                Map<String, Object> y = new LinkedHashMap<>(changed(u.endpoint()));
                y.put("why", t(u.why()));
                return y;
            }).toList());
            m.put("comparison", x);
        }
        m.put("unmatched", r.audit().unmatched().stream().map(Address::toString).toList());
        m.put("notes", r.audit().notes().stream().map(HtmlReport::t).toList());
        return m;
    }

    /** One endpoint of a host: what the scan saw, what the audit predicted, its diagnoses and their fixes (each once). */
    private static Map<String, Object> group(Report r, Fleet.Group g, Map<Diagnosis, String> anchors) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("endpoint", t(g.endpoint()));
        x.put("open", g.scanned() != null);
        x.put("predictedOpen", g.predictedOpen());
        Service s = g.scanned() != null ? g.scanned().service() : g.check() != null ? g.check().service() : null;
        x.put("service", g.predictedOpen() && s == null ? "predicted reachable" : g.scanned() == null && !g.predictedOpen() ? "not open in the scan" : t(s == null ? "not fingerprinted" : s.id() == null ? "unidentified"
                : s.name() == null ? s.id() : s.name() + " (" + s.id() + ")"));
        x.put("version", s == null ? "" : t(s.version()));
        x.put("auth", s == null ? "" : t(s.auth()) + (s.authDetail() == null ? "" : " (" + t(s.authDetail()) + ")"));
        x.put("risk", s == null || s.risk() == null ? "" : t(s.risk().severity()));
        x.put("summary", s == null || s.risk() == null ? "" : t(s.risk().summary()));
        x.put("cves", s == null ? "" : String.join(", ", s.cves().stream().map(c -> t(c.id()) + (c.verified() ? "" : " (range unverified)")).toList()));
        x.put("severity", g.diagnoses().isEmpty() ? "" : t(g.diagnoses().get(0).severity().label()));
        x.put("check", g.check() == null ? null : check(g.check()));
        List<Map<String, Object>> hops = new ArrayList<>();
        if (g.check() != null) {
            for (PathDiagram.Hop h : PathDiagram.of(g.check().prediction())) {
                hops.add(Map.of("kind", h.kind(), "role", h.role().name().toLowerCase(Locale.ROOT).replace('_', '-'), "label", t(h.label()),
                        "detail", t(h.detail())));
            }
        }
        x.put("hops", hops);
        x.put("findings", findings(r, g.diagnoses(), anchors));
        x.put("fixes", fixes(g.fixes()));
        return x;
    }

    private static Map<String, Object> check(EndpointCheck e) {
        Map<String, Object> y = new LinkedHashMap<>();
        y.put("endpoint", t(e.endpoint()));
        y.put("observed", t(e.observed().label()));
        y.put("predicted", t(e.prediction().state().label()) + (e.prediction().isUncertain() ? " (uncertain)" : ""));
        y.put("path", t(e.prediction().path().name()));
        EvidenceLine by = e.prediction().decidedBy();
        y.put("decidedBy", by == null ? "" : t((by.line() > 0 ? by.source() + ":" + by.line() : by.source()) + "  " + by.text()));
        y.put("mismatch", t(e.explanation()));
        return y;
    }

    private static List<Map<String, Object>> findings(Report r, List<Diagnosis> ds, Map<Diagnosis, String> anchors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Diagnosis d : ds) {
            Map<String, Object> x = new LinkedHashMap<>();
            String anchor = "d" + anchors.size();
            anchors.put(d, anchor);
            x.put("severity", t(d.severity().label()));
            x.put("code", t(d.code().name()));
            x.put("where", t(d.where()));
            x.put("why", t(d.why()));
            x.put("anchor", anchor);
            List<Map<String, Object>> ev = new ArrayList<>();
            for (EvidenceLine e : d.evidence()) {
                ev.add(Map.of("where", t(e.line() > 0 ? e.source() + ":" + e.line() : e.source()), "text", t(e.text())));
            }
            x.put("evidence", ev);
            x.put("kinds", r.fixesFor(d).isEmpty() ? t(String.join(", ", d.remediation().stream().map(Remedy::kind).toList())) : "");
            out.add(x);
        }
        return out;
    }

    private static List<Map<String, Object>> fixes(List<Fix> fs) {
        return fs.stream().map(f -> Map.<String, Object>of("title", t(f.title()), "file", t(f.file()), "text", t(f.text()))).toList();
    }

    private static Map<String, Object> changed(Endpoint e) {
        Service s = e.service();
        return Map.of("endpoint", t(e.port().endpoint()), "service", t(s == null ? "" : s.name() != null ? s.name() : s.id()));
    }

    /** Null as empty text (a field the scanner left empty never fails the template), and {@link #text} applied. */
    private static String t(@Nullable Object o) {
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
