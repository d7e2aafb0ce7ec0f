package org.aiscan.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * The smaller sources: Docker's published ports, fail2ban jails, sysctl values, interface
 * addresses and systemd unit properties. Each parser is a pure function of the text.
 */
public final class HostFacts {
    private HostFacts() {
    }

    /**
     * A port Docker publishes.
     *
     * @param hostAddress the host address it binds, or null for every address ({@code 0.0.0.0} / {@code ::})
     * @param v6 the IPv6 side of the publish
     */
    public record DockerPort(String container, String image, @Nullable Address hostAddress, boolean v6, int hostPort, int containerPort,
                             @Nullable String proto, int line, String text) {
    }

    /** A fail2ban jail and how many addresses it bans now. */
    public record Jail(String name, int banned, int failed, int line) {
    }

    /** A route ({@code ip route}, {@code ip -6 route}): its destination ({@code default} or a prefix) and device. */
    public record Route(String destination, @Nullable String via, @Nullable String dev, int line) {
        public boolean isDefault() {
            return destination.equals("default") || destination.equals("0.0.0.0/0") || destination.equals("::/0");
        }
    }

    /** {@code ip route} / {@code ip -6 route} lines; other lines are problems. */
    public static List<Route> routes(String source, String text, List<ParseProblem> problems) {
        List<Route> out = new ArrayList<>();
        Lines ls = Lines.of(text);
        Pattern route = Pattern.compile("^(?:(?:unicast|local|broadcast|blackhole|unreachable|prohibit|throw|anycast|multicast)\\s+)?(\\S+)(.*)$");
        for (int i = 0; i < ls.lines.size(); i++) {
            String t = ls.lines.get(i).trim();
            if (t.isEmpty() || t.startsWith("$") || t.startsWith("#") || t.startsWith("nexthop")) {
                continue;
            }
            Matcher m = route.matcher(t);
            Matcher dev = Pattern.compile("\\bdev\\s+(\\S+)").matcher(t);
            Matcher via = Pattern.compile("\\bvia\\s+(?:inet6?\\s+)?(\\S+)").matcher(t);
            if (!m.matches() || !(m.group(1).equals("default") || m.group(1).matches("[0-9a-fA-F.:]+(/\\d+)?"))) {
                problems.add(new ParseProblem(source, i + 1, ls.lines.get(i), "expected an ip route line (default via … dev …, PREFIX dev …)"));
                continue;
            }
            out.add(new Route(m.group(1), via.find() ? via.group(1) : null, dev.find() ? dev.group(1) : null, i + 1));
        }
        return out;
    }

    /** An address on an interface ({@code ip -o addr}). */
    public record InterfaceAddress(String iface, Address address, int prefix, String scope, int line) {
    }

    /** A systemd service unit's properties ({@code systemctl show}). */
    public record Unit(String name, Map<String, String> properties, int line) {
        public Unit {
            properties = Map.copyOf(properties);
        }

        public @Nullable String get(String key) {
            return properties.get(key);
        }
    }

    private static final Pattern PORTMAP = Pattern.compile(
            "^(?:(\\[[0-9a-fA-F:.]*\\]|[0-9.]+|:::?|::):)?(\\d+)(?:-(\\d+))?->(\\d+)(?:-(\\d+))?/(tcp|udp|sctp)$");

    /** {@code docker ps --format '{{json .}}'} lines, or the default table. Exposed-only ports are skipped. */
    public static List<DockerPort> dockerPorts(String source, String text, List<ParseProblem> problems) {
        List<DockerPort> out = new ArrayList<>();
        Lines ls = Lines.of(text);
        int portsCol = -1;
        int namesCol = -1;
        for (int i = 0; i < ls.lines.size(); i++) {
            String line = ls.lines.get(i);
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            String ports;
            String name;
            String image;
            if (t.startsWith("{")) {
                ports = jsonField(t, "Ports");
                name = jsonField(t, "Names");
                image = jsonField(t, "Image");
            } else if (t.contains(";") && t.split(";").length >= 3) { // a --format with ';' between the fields
                String[] f = t.split(";", -1);
                ports = "";
                name = "";
                image = "";
                for (int k = 1; k < f.length; k++) {
                    if (f[k].contains("/tcp") || f[k].contains("/udp") || f[k].contains("->")) {
                        ports = f[k];
                    } else if (name.isEmpty()) {
                        name = f[k];
                    } else if (image.isEmpty()) {
                        image = f[k];
                    }
                }
            } else if (t.startsWith("CONTAINER ID")) {
                portsCol = line.indexOf("PORTS");
                namesCol = line.indexOf("NAMES");
                continue;
            } else if (portsCol >= 0 && line.length() > portsCol) {
                ports = line.substring(portsCol, namesCol > portsCol && line.length() > namesCol ? namesCol : line.length()).trim();
                name = namesCol >= 0 && line.length() > namesCol ? line.substring(namesCol).trim() : "";
                String[] f = t.split("\\s{2,}");
                image = f.length > 1 ? f[1] : "";
            } else {
                problems.add(new ParseProblem(source, i + 1, line, "expected docker ps JSON or its table"));
                continue;
            }
            if (ports == null || ports.isBlank()) {
                continue;
            }
            for (String p : ports.split(",\\s*")) {
                Matcher m = PORTMAP.matcher(p.trim());
                if (!m.matches()) {
                    if (!p.trim().matches("\\d+(-\\d+)?/(tcp|udp|sctp)")) {
                        problems.add(new ParseProblem(source, i + 1, line, "cannot read port mapping '" + p.trim() + "'"));
                    }
                    continue; // exposed, not published
                }
                String host = m.group(1);
                boolean v6 = host != null && host.contains(":");
                Address addr = null;
                if (host != null && !host.equals("0.0.0.0") && !host.equals("[::]") && !host.equals("::") && !host.equals(":::")) {
                    addr = Address.parse(host);
                }
                int h1 = Integer.parseInt(m.group(2));
                int h2 = m.group(3) == null ? h1 : Integer.parseInt(m.group(3));
                int c1 = Integer.parseInt(m.group(4));
                for (int k = 0; k <= h2 - h1; k++) {
                    out.add(new DockerPort(name, image, addr, v6, h1 + k, c1 + k, m.group(6), i + 1, line));
                }
            }
        }
        return out;
    }

    static @Nullable String jsonField(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\u003e", ">").replace("\\\"", "\"") : null;
    }

    /** {@code fail2ban-client status} followed by {@code fail2ban-client status JAIL} for each jail. */
    public static List<Jail> jails(String text) {
        List<Jail> out = new ArrayList<>();
        Lines ls = Lines.of(text);
        String current = null;
        int line = 0;
        int failed = 0;
        int banned = 0;
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < ls.lines.size(); i++) {
            String t = ls.lines.get(i).trim();
            Matcher jl = Pattern.compile("Jail list:\\s*(.*)$").matcher(t);
            if (jl.find()) {
                for (String j : jl.group(1).split(",")) {
                    if (!j.isBlank()) {
                        listed.add(j.trim());
                    }
                }
                continue;
            }
            Matcher sf = Pattern.compile("^Status for the jail:\\s*(\\S+)").matcher(t);
            if (sf.find()) {
                if (current != null) {
                    out.add(new Jail(current, banned, failed, line));
                }
                current = sf.group(1);
                line = i + 1;
                failed = 0;
                banned = 0;
                continue;
            }
            Matcher cb = Pattern.compile("Currently (banned|failed):\\s*(\\d+)").matcher(t);
            if (cb.find() && current != null) {
                if (cb.group(1).equals("banned")) {
                    banned = Integer.parseInt(cb.group(2));
                } else {
                    failed = Integer.parseInt(cb.group(2));
                }
            }
        }
        if (current != null) {
            out.add(new Jail(current, banned, failed, line));
        }
        for (String j : listed) {
            if (out.stream().noneMatch(x -> x.name().equals(j))) {
                out.add(new Jail(j, 0, 0, 0));
            }
        }
        return out;
    }

    /** {@code key = value} lines. */
    public static Map<String, String> sysctl(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Lines.of(text).lines) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return out;
    }

    /** {@code ip -o addr show}, {@code ip -br addr} or plain {@code ip addr} (an interface header, then its inet lines). */
    public static List<InterfaceAddress> addresses(String source, String text, List<ParseProblem> problems) {
        List<InterfaceAddress> out = new ArrayList<>();
        Pattern header = Pattern.compile("^\\d+:\\s+(\\S+?)(?:@\\S+)?:\\s+<.*$");
        Pattern inet = Pattern.compile("^inet6?\\s+([0-9a-fA-F.:]+)/(\\d+).*?scope\\s+(\\w+)");
        String current = null;
        Pattern oneLine = Pattern.compile("^\\d+:\\s+(\\S+?)(?:@\\S+)?\\s+inet6?\\s+([0-9a-fA-F.:]+)/(\\d+).*?scope\\s+(\\w+)");
        Pattern brief = Pattern.compile("^(\\S+?)(?:@\\S+)?\\s+(UP|DOWN|UNKNOWN|LOWERLAYERDOWN|DORMANT)\\s*(.*)$");
        Lines ls = Lines.of(text);
        for (int i = 0; i < ls.lines.size(); i++) {
            String line = ls.lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Matcher h = header.matcher(line.trim());
            if (h.matches()) {
                current = h.group(1); // plain ip addr: the interface its inet lines belong to
                continue;
            }
            Matcher in = inet.matcher(line.trim());
            if (current != null && Character.isWhitespace(line.charAt(0)) && in.find()) {
                out.add(new InterfaceAddress(current, Address.parse(in.group(1)), Integer.parseInt(in.group(2)), in.group(3), i + 1));
                continue;
            }
            if (current != null && Character.isWhitespace(line.charAt(0)) && line.trim().matches("^(link/|valid_lft|altname|inet6? ).*")) {
                continue; // plain ip addr: link, lifetime and alias lines
            }
            if (line.trim().startsWith("$") || line.trim().startsWith("#")) {
                continue; // a prompt line in a paste
            }
            Matcher m = oneLine.matcher(line.trim());
            if (m.find()) {
                out.add(new InterfaceAddress(m.group(1), Address.parse(m.group(2)), Integer.parseInt(m.group(3)), m.group(4), i + 1));
                continue;
            }
            Matcher b = brief.matcher(line.trim());
            if (b.matches()) {
                for (String cidr : b.group(3).trim().split("\\s+")) {
                    if (cidr.isEmpty()) {
                        continue;
                    }
                    int slash = cidr.indexOf('/');
                    Address a = Address.parse(slash < 0 ? cidr : cidr.substring(0, slash));
                    int prefix = slash < 0 ? (a.isV6() ? 128 : 32) : Integer.parseInt(cidr.substring(slash + 1));
                    out.add(new InterfaceAddress(b.group(1), a, prefix, scopeOf(a), i + 1));
                }
                continue;
            }
            problems.add(new ParseProblem(source, i + 1, line, "expected ip -o addr or ip -br addr output"));
        }
        return out;
    }

    static String scopeOf(Address a) {
        if (a.isV6()) {
            if (a.equals(Address.parse("::1"))) {
                return "host";
            }
            return (a.hi() >>> 54) == 0x3FA ? "link" : "global"; // fe80::/10
        }
        return (a.lo() >>> 24) == 127 ? "host" : "global";
    }

    /** {@code systemctl show -p … UNIT…}: blocks of {@code Key=Value} lines separated by blank lines. */
    public static List<Unit> units(String text) {
        List<Unit> out = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        int start = 1;
        List<String> lines = Lines.of(text).lines;
        for (int i = 0; i <= lines.size(); i++) {
            String t = i < lines.size() ? lines.get(i) : "";
            if (t.isBlank()) {
                if (!cur.isEmpty() && cur.containsKey("Id")) {
                    out.add(new Unit(cur.get("Id"), cur, start));
                }
                cur = new LinkedHashMap<>();
                start = i + 2;
                continue;
            }
            int eq = t.indexOf('=');
            if (eq > 0) {
                String k = t.substring(0, eq);
                String v = t.substring(eq + 1);
                cur.merge(k, v, (a, b) -> a + " " + b);
            }
        }
        return out;
    }
}
