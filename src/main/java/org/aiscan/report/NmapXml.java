package org.aiscan.report;

import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.aiscan.model.Address;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanRun;
import org.aiscan.model.Service;
import org.aiscan.model.PortRanges;
import org.jspecify.annotations.Nullable;

/**
 * The scan as nmap XML (output version 1.05), for the tools that read nmap: {@code ndiff}, Zenmap,
 * importers. One {@code host} per address with a result, one {@code port} per endpoint, the
 * fingerprint as {@code service} (name = aiscan's service id, product, version, and the
 * authentication state as extrainfo). Without {@code --all-states} only open ports exist; no
 * {@code extraports} is claimed for the rest.
 */
public final class NmapXml {
    private static final DateTimeFormatter STR = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private NmapXml() {
    }

    public static void write(Report r, Writer out) throws java.io.IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            ScanRun run = r.scan().run();
            long start = run.started().getEpochSecond();
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeDTD("<!DOCTYPE nmaprun>");
            x.writeCharacters("\n");
            x.writeStartElement("nmaprun");
            attr(x, "scanner", "aiscan");
            attr(x, "args", "aiscan scan " + String.join(" ", run.targets()) + " -p " + run.ports() + (run.engine() == null ? "" : " --mode " + (run.engine().startsWith("syn") ? "syn" : run.engine())));
            attr(x, "start", Long.toString(start));
            attr(x, "startstr", STR.format(run.started()));
            attr(x, "version", run.version());
            attr(x, "xmloutputversion", "1.05");
            x.writeCharacters("\n");
            x.writeEmptyElement("scaninfo");
            attr(x, "type", run.engine() != null && run.engine().startsWith("syn") ? "syn" : "connect");
            attr(x, "protocol", "tcp");
            attr(x, "numservices", Integer.toString(countPorts(run.ports())));
            attr(x, "services", run.ports());
            x.writeCharacters("\n");
            Map<Address, List<Endpoint>> byHost = new TreeMap<>(); // by address, not by the order the scan answered
            for (Endpoint e : r.scan().endpoints()) {
                byHost.computeIfAbsent(e.port().address(), k -> new ArrayList<>()).add(e);
            }
            int up = 0;
            for (Map.Entry<Address, List<Endpoint>> h : byHost.entrySet()) {
                List<Endpoint> eps = h.getValue();
                eps.sort(java.util.Comparator.comparingInt(e -> e.port().port()));
                boolean answered = eps.stream().anyMatch(e -> e.port().state() != PortState.FILTERED);
                if (answered) {
                    up++;
                }
                long first = eps.stream().mapToLong(e -> e.port().time().getEpochSecond()).min().orElse(start);
                long last = eps.stream().mapToLong(e -> e.port().time().getEpochSecond()).max().orElse(start);
                x.writeStartElement("host");
                attr(x, "starttime", Long.toString(first));
                attr(x, "endtime", Long.toString(last));
                x.writeEmptyElement("status");
                attr(x, "state", answered ? "up" : "unknown");
                attr(x, "reason", answered ? eps.stream().filter(e -> e.port().state() != PortState.FILTERED).findFirst()
                        .map(e -> e.port().reason()).orElse("") : "no-response");
                attr(x, "reason_ttl", "0");
                x.writeEmptyElement("address");
                attr(x, "addr", h.getKey().toString());
                attr(x, "addrtype", h.getKey().isV6() ? "ipv6" : "ipv4");
                x.writeEmptyElement("hostnames");
                x.writeStartElement("ports");
                for (Endpoint e : eps) {
                    x.writeStartElement("port");
                    attr(x, "protocol", "tcp");
                    attr(x, "portid", Integer.toString(e.port().port()));
                    x.writeEmptyElement("state");
                    attr(x, "state", e.port().state().label());
                    attr(x, "reason", e.port().reason());
                    attr(x, "reason_ttl", "0");
                    Service s = e.service();
                    if (s != null) {
                        x.writeEmptyElement("service");
                        attr(x, "name", s.id() == null || s.id().isBlank() ? "unknown" : s.id());
                        if (s.name() != null) {
                            attr(x, "product", s.name());
                        }
                        if (s.version() != null) {
                            attr(x, "version", s.version());
                        }
                        attr(x, "extrainfo", "auth " + s.auth() + (s.authDetail() == null ? "" : " (" + s.authDetail() + ")")
                                + ", risk " + s.risk().severity());
                        if (s.tls()) {
                            attr(x, "tunnel", "ssl");
                        }
                        attr(x, "method", "probed");
                        attr(x, "conf", s.certainty() == null ? "3" : switch (s.certainty()) {
                            case HIGH -> "10";
                            case MEDIUM -> "7";
                            case LOW -> "3";
                        });
                    }
                    x.writeEndElement();
                }
                x.writeEndElement();
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeStartElement("runstats");
            x.writeEmptyElement("finished");
            Instant end = r.scan().summary() != null ? r.scan().summary().finished() : run.started();
            double elapsed = r.scan().summary() != null ? r.scan().summary().elapsedSeconds() : 0;
            attr(x, "time", Long.toString(end.getEpochSecond()));
            attr(x, "timestr", STR.format(end));
            attr(x, "elapsed", String.format(Locale.ROOT, "%.2f", elapsed));
            attr(x, "summary", String.format(Locale.ROOT, "aiscan done; %d addresses scanned, %d with results, %d open ports",
                    run.addresses(), byHost.size(), r.openEndpoints().size()));
            attr(x, "exit", r.scan().complete() ? "success" : "error");
            x.writeEmptyElement("hosts");
            attr(x, "up", Integer.toString(up));
            attr(x, "down", Long.toString(Math.max(0, run.addresses() - up)));
            attr(x, "total", Long.toString(run.addresses()));
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.flush();
            out.write('\n');
        } catch (XMLStreamException e) {
            throw new java.io.IOException("writing nmap XML: " + e.getMessage(), e);
        }
    }

    /** An attribute whose value may come from a banner or a file: null as empty, characters XML cannot carry as U+FFFD. */
    private static void attr(XMLStreamWriter x, String name, @Nullable String value) throws XMLStreamException {
        x.writeAttribute(name, clean(value == null ? "" : value));
    }

    /** Text from a banner may hold characters XML 1.0 cannot carry at all (and lone surrogates); they become U+FFFD. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF;
            // codePoints() yields a lone surrogate as itself (0xD800-0xDFFF): not ok above
            b.appendCodePoint(ok ? c : 0xFFFD);
        });
        return b.toString();
    }

    private static int countPorts(String spec) {
        try {
            return PortRanges.count(spec);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
