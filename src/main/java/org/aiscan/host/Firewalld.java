package org.aiscan.host;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * firewalld's zones as {@code firewall-cmd --list-all-zones} (or {@code --list-all}) prints them:
 * which interfaces and sources each zone holds, its target, services, ports, forward ports and rich
 * rules. What the kernel does is read from firewalld's nftables tables; the zones say which zone the
 * public interface is in, for the explanation and for a fix written with {@code firewall-cmd}.
 */
public final class Firewalld {
    /**
     * One zone.
     *
     * @param active marked {@code (active)}: it holds an interface or a source
     * @param isDefault marked {@code (default)} (firewalld 1.x prints it)
     * @param target default, ACCEPT, DROP or %%REJECT%%
     * @param lines the line of each key printed ({@code services} → 6), for the evidence
     * @param richLines the line of each rich rule, in order
     */
    public record Zone(String name, boolean active, boolean isDefault, @Nullable String target, List<String> interfaces, List<String> sources,
                       List<String> services, List<String> ports, List<String> forwardPorts, List<String> richRules, int line,
                       java.util.Map<String, Integer> lines, List<Integer> richLines) {
        public Zone {
            lines = java.util.Map.copyOf(lines);
            richLines = List.copyOf(richLines);
            interfaces = List.copyOf(interfaces);
            sources = List.copyOf(sources);
            services = List.copyOf(services);
            ports = List.copyOf(ports);
            forwardPorts = List.copyOf(forwardPorts);
            richRules = List.copyOf(richRules);
        }
    }

    /** The zones, in the order printed, and the lines that could not be read. */
    public record Zones(List<Zone> zones, List<ParseProblem> problems) {
        public Zones {
            zones = List.copyOf(zones);
            problems = List.copyOf(problems);
        }

        /** The zone that holds the interface, else the default zone (when the output marks one), else null. */
        public @Nullable Zone zoneOf(String iface) {
            for (Zone z : zones) {
                if (z.interfaces().contains(iface)) {
                    return z;
                }
            }
            return zones.stream().filter(Zone::isDefault).findFirst().orElse(null);
        }
    }

    private static final Pattern HEADER = Pattern.compile("^([A-Za-z0-9_.-]+)(?:\\s+\\(([a-z, ]+)\\))?\\s*$");
    private static final Pattern KEY = Pattern.compile("^\\s{1,4}([a-z][a-z -]*[a-z]):\\s*(.*)$");
    private static final Pattern PROMPT = Pattern.compile("^(?:\\[[^\\]]*\\]|\\S*)[$#]\\s.*|^#\\s*firewall-cmd.*");

    private Firewalld() {
    }

    public static Zones parse(String source, String text) {
        List<Zone> zones = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        Builder cur = null;
        boolean inRich = false;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            String t = raw.strip();
            if (t.isEmpty() || PROMPT.matcher(raw).matches()) {
                inRich = false;
                continue;
            }
            Matcher h = HEADER.matcher(t); // some pastes indent the whole listing, the zone name too
            int indent = raw.length() - raw.stripLeading().length();
            if (h.matches() && (cur == null || cur.keyIndent < 0 || indent < cur.keyIndent)) { // indented as a key: a key cut short
                if (cur != null) {
                    zones.add(cur.build());
                }
                String marks = h.group(2) == null ? "" : h.group(2);
                cur = new Builder(h.group(1), marks.contains("active"), marks.contains("default"), i + 1);
                inRich = false;
                continue;
            }
            Matcher k = KEY.matcher(raw);
            if (cur != null && k.matches()) {
                String key = k.group(1);
                List<String> values = k.group(2).isBlank() ? List.of() : List.of(k.group(2).trim().split("\\s+"));
                inRich = key.equals("rich rules");
                cur.lines.putIfAbsent(key, i + 1);
                if (cur.keyIndent < 0) {
                    cur.keyIndent = raw.length() - raw.stripLeading().length();
                }
                switch (key) {
                    case "target" -> cur.target = values.isEmpty() ? null : values.get(0);
                    case "interfaces" -> cur.interfaces.addAll(values);
                    case "sources" -> cur.sources.addAll(values);
                    case "services" -> cur.services.addAll(values);
                    case "ports" -> cur.ports.addAll(values);
                    case "forward-ports" -> {
                        if (!k.group(2).isBlank()) {
                            cur.forwardPorts.add(k.group(2).trim());
                        }
                    }
                    case "rich rules" -> {
                        if (!k.group(2).isBlank()) {
                            cur.richRules.add(k.group(2).trim());
                            cur.richLines.add(i + 1);
                        }
                    }
                    default -> {
                        // icmp-block-inversion, protocols, forward, masquerade, source-ports, icmp-blocks, ingress/egress-priority, summary, description
                    }
                }
                continue;
            }
            if (cur != null && Character.isWhitespace(raw.charAt(0)) && (inRich || t.startsWith("rule ") || t.startsWith("port="))) {
                if (t.startsWith("port=")) {
                    cur.forwardPorts.add(t); // forward-ports: one per line on firewalld 1.x
                } else {
                    cur.richRules.add(t);
                    cur.richLines.add(i + 1);
                }
                continue;
            }
            problems.add(new ParseProblem(source, i + 1, raw, cur == null ? "expected a zone name" : "expected 'key: values' of zone " + cur.name));
        }
        if (cur != null) {
            zones.add(cur.build());
        }
        return new Zones(zones, problems);
    }

    private static final class Builder {
        final String name;
        final boolean active;
        final boolean isDefault;
        final int line;
        @Nullable String target;
        final List<String> interfaces = new ArrayList<>();
        final List<String> sources = new ArrayList<>();
        final List<String> services = new ArrayList<>();
        final List<String> ports = new ArrayList<>();
        final List<String> forwardPorts = new ArrayList<>();
        final List<String> richRules = new ArrayList<>();
        final java.util.Map<String, Integer> lines = new java.util.HashMap<>();
        final List<Integer> richLines = new ArrayList<>();
        int keyIndent = -1;

        Builder(String name, boolean active, boolean isDefault, int line) {
            this.name = name;
            this.active = active;
            this.isDefault = isDefault;
            this.line = line;
        }

        Zone build() {
            return new Zone(name, active, isDefault, target, interfaces, sources, services, ports, forwardPorts, richRules, line, lines, richLines);
        }
    }
}
