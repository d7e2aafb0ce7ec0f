package org.aiscan.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aiscan.model.audit.Listener;

/**
 * Parses {@code netstat -tlnp}, {@code -tulnp}, {@code -lnp} and {@code -lp} as people paste them: with or
 * without the "Active Internet connections" and column header lines, with or without the
 * PID/Program column (busybox, or not root), lines cut out by {@code grep}, {@code tcp6} sockets
 * ({@code :::8000}), and names where {@code -n} was left out ({@code *:http}, {@code localhost:mysql}:
 * the common service names are known, others are an unreadable line). netstat cannot tell a
 * dual-stack socket from an IPv6-only one: {@code tcp6 :::P} is read as dual-stack, Linux's default
 * ({@code net.ipv6.bindv6only=0}).
 */
public final class NetstatParser {
    /** {@code Proto Recv-Q Send-Q Local Foreign [State] [PID/Program]}. */
    private static final Pattern LINE = Pattern.compile(
            "^(tcp6?|udp6?)\\s+\\d+\\s+\\d+\\s+(\\S+)\\s+(\\S+)(?:\\s+(LISTEN|ESTABLISHED|TIME_WAIT|CLOSE_WAIT|SYN_SENT|SYN_RECV|FIN_WAIT1|FIN_WAIT2|LAST_ACK|CLOSING|CLOSE|\\d+))?(?:\\s+(\\S.*))?$");
    private static final Pattern PROC = Pattern.compile("^(\\d+)/(.+)$");
    /** Service names netstat prints without {@code -n} (from /etc/services). */
    private NetstatParser() {
    }

    public static SsParser.Result parse(String source, String text) {
        Lines ls = Lines.of(text);
        List<Listener> out = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        for (int i = 0; i < ls.lines.size(); i++) {
            String line = ls.lines.get(i);
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("Active ") || t.startsWith("Proto ") || t.startsWith("$") || t.startsWith("#")
                    || t.startsWith("unix ") || t.startsWith("(")) {
                continue; // headers, prompts, Unix sockets, "(Not all processes could be identified …)"
            }
            Matcher m = LINE.matcher(t);
            if (!m.matches()) {
                problems.add(new ParseProblem(source, i + 1, line, "expected netstat's Proto Recv-Q Send-Q Local Foreign State PID/Program"));
                continue;
            }
            String proto = m.group(1).replace("6", "");
            String state = m.group(4);
            if (proto.equals("tcp") && !"LISTEN".equals(state)) {
                continue; // established and other sockets are not listeners
            }
            if (proto.equals("udp") && state != null && !state.matches("\\d+")) {
                continue;
            }
            String local = m.group(2);
            int colon = local.lastIndexOf(':');
            if (colon < 0) {
                problems.add(new ParseProblem(source, i + 1, line, "no port in local address '" + local + "'"));
                continue;
            }
            String host = local.substring(0, colon);
            String port = local.substring(colon + 1);
            if (!port.matches("\\d+")) {
                int known = Services.port(port);
                if (known < 0) {
                    problems.add(new ParseProblem(source, i + 1, line, "port '" + port + "' is a service name (netstat without -n) aiscan does not know"));
                    continue;
                }
                port = String.valueOf(known);
            }
            String addr;
            if (host.equals("0.0.0.0") || host.equals("*") && m.group(1).endsWith("6") == false) {
                addr = "0.0.0.0";
            } else if (host.equals("::") || host.equals(":") || host.isEmpty() || host.equals("*") || host.equals("[::]")) {
                addr = "*"; // tcp6 :::P — dual-stack on Linux by default
            } else if (host.equals("localhost")) {
                addr = m.group(1).endsWith("6") ? "[::1]" : "127.0.0.1";
            } else if (host.contains(":")) {
                addr = "[" + host + "]";
            } else if (host.matches("[0-9.]+")) {
                addr = host;
            } else {
                problems.add(new ParseProblem(source, i + 1, line, "local address '" + host + "' is a name (netstat without -n)"));
                continue;
            }
            String owner = "";
            String rest = m.group(5) == null ? "" : m.group(5).trim();
            Matcher pm = PROC.matcher(rest);
            if (pm.matches()) {
                owner = "users:((\"" + pm.group(2).trim().replace("\"", "\\\"") + "\",pid=" + pm.group(1) + ",fd=0))";
            }
            try {
                out.add(SsParser.listener(proto, addr + ":" + port, owner, i + 1, line));
            } catch (IllegalArgumentException e) {
                problems.add(new ParseProblem(source, i + 1, line, e.getMessage()));
            }
        }
        return new SsParser.Result(out, problems);
    }
}
