package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.report.AtomicFile;
import org.aiscan.report.Csv;
import org.aiscan.report.HtmlReport;
import org.aiscan.report.Markdown;
import org.aiscan.report.NmapXml;
import org.aiscan.report.PromTextfile;
import org.aiscan.report.Report;
import org.aiscan.report.Sarif;
import picocli.CommandLine.Option;

/** The report files a command can write, each atomically (shared by scan, audit and report). */
public final class ReportOptions {
    @Option(names = "--html", paramLabel = "FILE", description = "A self-contained HTML report.")
    Path html;

    @Option(names = "--xml", paramLabel = "FILE", description = "nmap XML (ndiff, Zenmap and importers read it).")
    Path xml;

    @Option(names = "--sarif", paramLabel = "FILE", description = "SARIF 2.1.0 with one result per diagnosis.")
    Path sarif;

    @Option(names = "--md", paramLabel = "FILE", description = "A Markdown report.")
    Path markdown;

    @Option(names = "--csv", paramLabel = "FILE", description = "CSV: one row per endpoint and per diagnosis (formula cells guarded).")
    Path csv;

    @Option(names = "--prom", paramLabel = "FILE", description = "A Prometheus textfile (node_exporter's textfile collector).")
    Path prom;

    @Option(names = "--templates", paramLabel = "DIR", description = "Report templates to use before the shipped report-templates/html.")
    Path templates;

    boolean any() {
        return html != null || xml != null || sarif != null || markdown != null || csv != null || prom != null;
    }

    /** Writes every format asked for; returns the files written, for one line of output. */
    List<Path> write(Report r, AuditPolicy policy) throws IOException {
        List<Path> done = new ArrayList<>();
        if (html != null) {
            AtomicFile.write(html, w -> HtmlReport.write(r, templates, w));
            done.add(html);
        }
        if (xml != null) {
            AtomicFile.write(xml, w -> NmapXml.write(r, w));
            done.add(xml);
        }
        if (sarif != null) {
            AtomicFile.write(sarif, w -> Sarif.write(r, policy, w));
            done.add(sarif);
        }
        if (markdown != null) {
            AtomicFile.write(markdown, w -> Markdown.write(r, w));
            done.add(markdown);
        }
        if (csv != null) {
            AtomicFile.write(csv, w -> Csv.write(r, w));
            done.add(csv);
        }
        if (prom != null) {
            AtomicFile.write(prom, w -> PromTextfile.write(r, w));
            done.add(prom);
        }
        return done;
    }
}
