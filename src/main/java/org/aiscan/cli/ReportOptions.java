package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.console.Console;
import org.aiscan.model.InvalidInputException;
import org.aiscan.report.AtomicFile;
import org.aiscan.report.Csv;
import org.aiscan.report.Fleet;
import org.aiscan.report.HtmlReport;
import org.aiscan.report.Markdown;
import org.aiscan.report.NmapXml;
import org.aiscan.report.PromTextfile;
import org.aiscan.report.Report;
import org.aiscan.report.Sarif;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/** The report files a command can write, each atomically (shared by scan, audit and report). */
public final class ReportOptions {
    @Nullable Path html;
    @Nullable Path xml;
    @Nullable Path sarif;
    @Nullable Path markdown;
    @Nullable Path mdDir;
    @Nullable Path csv;
    @Nullable Path prom;
    @Nullable Path templates;

    /** Adds these options to a command, in this order (declared in code: see {@link OptionTable}). */
    void addTo(CommandSpec command) {
        OptionTable t = OptionTable.of(this);
        t.option("--html").label("FILE").about("A self-contained HTML report.").value(Path.class, v -> html = v);
        t.option("--xml").label("FILE").about("nmap XML (ndiff, Zenmap and importers read it).").value(Path.class, v -> xml = v);
        t.option("--sarif").label("FILE").about("SARIF 2.1.0 with one result per diagnosis.").value(Path.class, v -> sarif = v);
        t.option("--md").label("FILE").about("A Markdown report: hosts worst first, the fixes as actions, each host's endpoints.")
                .value(Path.class, v -> markdown = v);
        t.option("--md-dir").label("DIR").about("Markdown per host, fit to paste into a ticket: DIR/host-<name>.md and DIR/index.md.")
                .value(Path.class, v -> mdDir = v);
        t.option("--csv").label("FILE").about("CSV: one row per endpoint and per diagnosis (formula cells guarded).")
                .value(Path.class, v -> csv = v);
        t.option("--prom").label("FILE").about("A Prometheus textfile (node_exporter's textfile collector).").value(Path.class, v -> prom = v);
        t.option("--templates").label("DIR").about("Report templates to use before the shipped report-templates/html.")
                .value(Path.class, v -> templates = v);
        command.addMixin("reports", t.spec());
    }

    /** The formats that show a scan's endpoints and cannot render a prediction: nmap XML, SARIF, CSV, Prometheus. */
    List<String> scanOnly() {
        List<String> out = new ArrayList<>();
        for (Object[] o : new Object[][] {{"--xml", xml}, {"--sarif", sarif}, {"--csv", csv}, {"--prom", prom}}) {
            if (o[1] != null) {
                out.add((String) o[0]);
            }
        }
        return out;
    }

    /** Whether a summary that says how far the endpoints are exposed is asked for (HTML or Markdown). */
    boolean summarised() {
        return html != null || markdown != null || mdDir != null;
    }

    boolean any() {
        return html != null || xml != null || sarif != null || markdown != null || mdDir != null || csv != null || prom != null;
    }

    /** A report that could not be rendered; the others were written. Exit 1, one line naming each. */
    static final class RenderFailure extends IOException {
        RenderFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private interface Writer {
        void write(java.io.Writer w) throws IOException;
    }

    private record Target(String option, Path file, Writer writer) {
    }

    private List<Target> targets(Report r, AuditPolicy policy) {
        List<Target> t = new ArrayList<>();
        if (html != null) {
            t.add(new Target("--html", html, w -> HtmlReport.write(r, templates, w)));
        }
        if (xml != null) {
            t.add(new Target("--xml", xml, w -> NmapXml.write(r, w)));
        }
        if (sarif != null) {
            t.add(new Target("--sarif", sarif, w -> Sarif.write(r, policy::code, w)));
        }
        if (markdown != null) {
            t.add(new Target("--md", markdown, w -> Markdown.write(r, w)));
        }
        if (csv != null) {
            t.add(new Target("--csv", csv, w -> Csv.write(r, w)));
        }
        if (prom != null) {
            t.add(new Target("--prom", prom, w -> PromTextfile.write(r, w)));
        }
        return t;
    }

    /** {@code --md-dir}: index.md and one file per host, each written atomically; returns the folder. */
    private Path writeMarkdownDir(Report r) throws IOException {
        Files.createDirectories(mdDir);
        Fleet fleet = Fleet.of(r);
        java.util.Map<Fleet.Host, String> names = Markdown.fileNames(fleet);
        for (Fleet.Host h : fleet.hosts()) {
            AtomicFile.write(mdDir.resolve(names.get(h)), w -> Markdown.writeHost(r, fleet, h, w));
        }
        AtomicFile.write(mdDir.resolve("index.md"), w -> Markdown.writeIndex(r, fleet, w));
        return mdDir;
    }

    /**
     * Checks, before anything is scanned or read, that every report can be written where asked:
     * the folder exists, the path is not a folder, the templates folder exists. A usage error (exit
     * 2) now is better than a lost report after an hour of scanning.
     */
    void check() {
        List<Path> files = new ArrayList<>();
        for (Path p : new Path[] {html, xml, sarif, markdown, csv, prom}) {
            if (p != null) {
                files.add(p);
            }
        }
        for (Path p : files) {
            Path parent = p.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new InvalidInputException("cannot write " + p + ": folder " + parent + " does not exist");
            }
            if (Files.isDirectory(p)) {
                throw new InvalidInputException("cannot write " + p + ": it is a folder");
            }
        }
        if (mdDir != null) {
            Path parent = mdDir.toAbsolutePath().getParent();
            if (Files.exists(mdDir) && !Files.isDirectory(mdDir)) {
                throw new InvalidInputException("--md-dir " + mdDir + ": a file, not a folder");
            }
            if (!Files.exists(mdDir) && (parent == null || !Files.isDirectory(parent))) {
                throw new InvalidInputException("cannot write --md-dir " + mdDir + ": folder " + parent + " does not exist");
            }
        }
        if (templates != null && !Files.isDirectory(templates)) {
            throw new InvalidInputException("--templates " + templates + ": not a folder");
        }
    }

    /**
     * Writes every format asked for, each atomically, and says which in one line. A format that
     * fails does not stop the others; the failures are thrown together at the end.
     */
    List<Path> write(Report r, AuditPolicy policy, Console console) throws IOException {
        check();
        List<Path> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        IOException first = null;
        for (Target t : targets(r, policy)) {
            try {
                AtomicFile.write(t.file(), t.writer()::write);
                done.add(t.file());
            } catch (IOException | RuntimeException e) {
                failed.add(t.option() + " " + t.file() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                first = first == null ? new IOException(e) : first;
            }
        }
        if (mdDir != null) {
            try {
                done.add(writeMarkdownDir(r));
            } catch (IOException | RuntimeException e) {
                failed.add("--md-dir " + mdDir + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                first = first == null ? new IOException(e) : first;
            }
        }
        if (!done.isEmpty()) {
            console.say("wrote " + String.join(", ", done.stream().map(Path::toString).toList()));
        }
        if (!failed.isEmpty()) {
            throw new RenderFailure("could not write " + String.join("; ", failed) + (done.isEmpty() ? "" : " (the other reports were written)"),
                    first);
        }
        return done;
    }
}
