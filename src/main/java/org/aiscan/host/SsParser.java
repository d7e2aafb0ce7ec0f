package org.aiscan.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiscan.model.Address;
import org.aiscan.model.audit.Listener;

/**
 * Parses {@code ss -tlnp}, {@code -ulnp} and {@code -tulnp}, with or without {@code -H}
 * (research/host-audit.md §5.1): the {@code Netid} column when present, every local address form
 * ({@code 0.0.0.0:P}, {@code *:P}, {@code [::]:P}, {@code [::1]:P}, {@code ADDR%IFACE:P},
 * {@code [fe80::1]%eth0:P}, {@code [::ffff:a.b.c.d]:P}), and the {@code users:(("name",pid=..,fd=..),…)}
 * owners (names may contain spaces and escaped quotes).
 */
public final class SsParser {
    private static final Pattern OWNER = Pattern.compile("\\(\"((?:[^\"\\\\]|\\\\.)*)\",pid=(\\d+),fd=(\\d+)\\)");

    /** Listeners and the lines that could not be read. */
    public record Result(List<Listener> listeners, List<ParseProblem> problems) {
    }

    private SsParser() {
    }

    /** @param defaultProto tcp or udp: used when the output has no Netid column */
    public static Result parse(String source, String text, String defaultProto) {
        Lines ls = Lines.of(text);
        List<Listener> out = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        for (int i = 0; i < ls.lines.size(); i++) {
            String line = ls.lines.get(i);
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("State ") || t.startsWith("Netid ")) {
                continue;
            }
            String[] f = t.split("\\s+", 7);
            int k = 0;
            String proto = defaultProto;
            String first = f[0].toLowerCase(Locale.ROOT);
            if (first.equals("tcp") || first.equals("udp") || first.equals("tcp6") || first.equals("udp6")) {
                proto = first.replace("6", "");
                k = 1;
            }
            if (f.length < k + 5) {
                problems.add(new ParseProblem(source, i + 1, line, "expected State Recv-Q Send-Q Local Peer [Process]"));
                continue;
            }
            String state = f[k];
            if (!state.equals("LISTEN") && !state.equals("UNCONN")) {
                continue; // established and other sockets are not listeners
            }
            String local = f[k + 3];
            String process = f.length > k + 5 ? t.substring(t.indexOf(f[k + 4]) + f[k + 4].length()).trim() : "";
            try {
                out.add(listener(proto, local, process, i + 1, line));
            } catch (IllegalArgumentException e) {
                problems.add(new ParseProblem(source, i + 1, line, e.getMessage()));
            }
        }
        if (ls.truncated) {
            problems.add(new ParseProblem(source, ls.lines.size(), "", "input too large; read the first " + ls.lines.size() + " lines"));
        }
        return new Result(out, problems);
    }

    static Listener listener(String proto, String local, String process, int line, String text) {
        int colon = local.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no port in local address '" + local + "'");
        }
        String host = local.substring(0, colon);
        String portText = local.substring(colon + 1);
        int port;
        try {
            port = portText.equals("*") ? 0 : Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + local + "'");
        }
        String iface = null;
        int pct = host.lastIndexOf('%');
        if (pct >= 0) {
            iface = host.substring(pct + 1).replace("]", "");
            host = host.substring(0, pct) + (host.startsWith("[") && !host.substring(0, pct).endsWith("]") ? "]" : "");
        }
        Listener.Bind bind;
        Address address = null;
        switch (host) {
            case "0.0.0.0" -> bind = Listener.Bind.ANY_V4;
            case "*" -> bind = Listener.Bind.ANY_DUAL;
            case "[::]", "::" -> bind = Listener.Bind.ANY_V6;
            default -> {
                bind = Listener.Bind.ADDRESS;
                address = Address.parse(host); // folds [::ffff:a.b.c.d] to the IPv4 address
            }
        }
        List<Listener.Owner> owners = new ArrayList<>();
        Matcher m = OWNER.matcher(process);
        while (m.find()) {
            owners.add(new Listener.Owner(m.group(1).replace("\\\"", "\""), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        }
        return new Listener(proto, bind, address, port, iface, owners, line, text);
    }
}
