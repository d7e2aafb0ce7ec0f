package org.aiscan.report;

import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
            x.writeAttribute("scanner", "aiscan");
            x.writeAttribute("args", "aiscan scan " + String.join(" ", run.targets()) + " -p " + run.ports() + " --mode " + run.engine());
            x.writeAttribute("start", Long.toString(start));
            x.writeAttribute("startstr", STR.format(run.started()));
            x.writeAttribute("version", String.valueOf(run.version()));
            x.writeAttribute("xmloutputversion", "1.05");
            x.writeCharacters("\n");
            x.writeEmptyElement("scaninfo");
            x.writeAttribute("type", run.engine().equals("syn") ? "syn" : "connect");
            x.writeAttribute("protocol", "tcp");
            x.writeAttribute("numservices", Integer.toString(countPorts(run.ports())));
            x.writeAttribute("services", run.ports());
            x.writeCharacters("\n");
            Map<Address, List<Endpoint>> byHost = new LinkedHashMap<>();
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
                x.writeAttribute("starttime", Long.toString(first));
                x.writeAttribute("endtime", Long.toString(last));
                x.writeEmptyElement("status");
                x.writeAttribute("state", answered ? "up" : "unknown");
                x.writeAttribute("reason", answered ? eps.stream().filter(e -> e.port().state() != PortState.FILTERED).findFirst()
                        .map(e -> e.port().reason()).orElse("") : "no-response");
                x.writeAttribute("reason_ttl", "0");
                x.writeEmptyElement("address");
                x.writeAttribute("addr", h.getKey().toString());
                x.writeAttribute("addrtype", h.getKey().isV6() ? "ipv6" : "ipv4");
                x.writeEmptyElement("hostnames");
                x.writeStartElement("ports");
                for (Endpoint e : eps) {
                    x.writeStartElement("port");
                    x.writeAttribute("protocol", "tcp");
                    x.writeAttribute("portid", Integer.toString(e.port().port()));
                    x.writeEmptyElement("state");
                    x.writeAttribute("state", e.port().state().label());
                    x.writeAttribute("reason", e.port().reason());
                    x.writeAttribute("reason_ttl", "0");
                    Service s = e.service();
                    if (s != null) {
                        x.writeEmptyElement("service");
                        x.writeAttribute("name", s.id());
                        if (s.name() != null) {
                            x.writeAttribute("product", clean(s.name()));
                        }
                        if (s.version() != null) {
                            x.writeAttribute("version", clean(s.version()));
                        }
                        x.writeAttribute("extrainfo", "auth " + s.auth() + (s.authDetail() == null ? "" : " (" + s.authDetail() + ")")
                                + ", risk " + s.risk().severity());
                        if (s.tls()) {
                            x.writeAttribute("tunnel", "ssl");
                        }
                        x.writeAttribute("method", "probed");
                        x.writeAttribute("conf", switch (String.valueOf(s.confidence())) {
                            case "high" -> "10";
                            case "medium" -> "7";
                            default -> "3";
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
            x.writeAttribute("time", Long.toString(end.getEpochSecond()));
            x.writeAttribute("timestr", STR.format(end));
            x.writeAttribute("elapsed", String.format(Locale.ROOT, "%.2f", elapsed));
            x.writeAttribute("summary", String.format(Locale.ROOT, "aiscan done; %d addresses scanned, %d with results, %d open ports",
                    run.addresses(), byHost.size(), r.openEndpoints().size()));
            x.writeAttribute("exit", r.scan().complete() ? "success" : "error");
            x.writeEmptyElement("hosts");
            x.writeAttribute("up", Integer.toString(up));
            x.writeAttribute("down", Long.toString(Math.max(0, run.addresses() - up)));
            x.writeAttribute("total", Long.toString(run.addresses()));
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.flush();
            out.write('\n');
        } catch (XMLStreamException e) {
            throw new java.io.IOException("writing nmap XML: " + e.getMessage(), e);
        }
    }

    /** Text from a banner may hold characters XML 1.0 cannot carry at all; they become U+FFFD. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF;
            b.appendCodePoint(ok ? c : 0xFFFD);
        });
        return b.toString();
    }

    private static int countPorts(String spec) {
        try {
            return org.aiscan.target.PortSpec.parse(spec).size();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
