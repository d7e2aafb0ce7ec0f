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
 * Parses {@code ufw status}, {@code status verbose} and {@code status numbered} (research/host-audit.md
 * §5.4). Rows are split on the first action token ({@code ALLOW|DENY|REJECT|LIMIT} with an optional
 * {@code IN|OUT|FWD}) rather than on columns, because a long "To" field shifts every column after
 * it; the comment starts at the first {@code " # "}. Family comes from the {@code (v6)} marker or,
 * for rules with explicit IPv6 addresses (which carry no marker), from the addresses.
 */
public final class UfwStatusParser {
    private static final Pattern ROW = Pattern.compile(
            "^(?:\\[\\s*(\\d+)\\]\\s+)?(.+?)\\s+(ALLOW|DENY|REJECT|LIMIT)(?: (IN|OUT|FWD))?(?:\\s{2,}|\\s+(?=Anywhere|\\d|[0-9a-fA-F:]+/)|\\s*$)(.*)$");
    private static final Pattern PORTS = Pattern.compile("^(\\d+(?:[,:]\\d+)*)(?:/(tcp|udp))?$");
    private static final Pattern DEFAULTS = Pattern.compile("(allow|deny|reject|disabled) \\((incoming|outgoing|routed)\\)");

    private UfwStatusParser() {
    }

    public static Ufw.Status parse(String source, String text) {
        Lines ls = Lines.of(text);
        boolean active = false;
        boolean sawStatus = false;
        String logging = null;
        Map<String, String> defaults = new LinkedHashMap<>();
        List<Ufw.Rule> rules = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        boolean inTable = false;
        for (int i = 0; i < ls.lines.size(); i++) {
            String line = ls.lines.get(i);
            String t = line.trim();
            int n = i + 1;
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("Status:")) {
                sawStatus = true;
                active = t.substring(7).trim().equals("active");
                continue;
            }
            if (t.startsWith("Logging:")) {
                logging = t.substring(8).trim();
                continue;
            }
            if (t.startsWith("Default:")) {
                Matcher m = DEFAULTS.matcher(t);
                while (m.find()) {
                    defaults.put(m.group(2), m.group(1));
                }
                continue;
            }
            if (t.startsWith("New profiles:")) {
                continue;
            }
            if (t.matches("^(\\S*[$#]\\s*)?(sudo\\s+)?ufw\\s+status\\b.*")) {
                continue; // the prompt line of a paste: "$ sudo ufw status verbose", "user@host:~$ sudo ufw status numbered"
            }
            if (t.startsWith("To ") && t.contains("Action") && t.contains("From")) {
                inTable = true;
                continue;
            }
            if (t.matches("^-+\\s+-+\\s+-+$")) {
                continue;
            }
            if (!inTable) {
                problems.add(new ParseProblem(source, n, line, "unexpected line before the rule table"));
                continue;
            }
            Matcher m = ROW.matcher(t);
            if (!m.matches()) {
                problems.add(new ParseProblem(source, n, line, "no action (ALLOW, DENY, REJECT, LIMIT) in the row"));
                continue;
            }
            try {
                rules.add(row(m, n, line));
            } catch (IllegalArgumentException e) {
                problems.add(new ParseProblem(source, n, line, e.getMessage()));
            }
        }
        if (!sawStatus && rules.isEmpty() && !ls.lines.isEmpty() && !text.isBlank()) {
            problems.add(new ParseProblem(source, 1, ls.lines.get(0), "no 'Status:' line: not ufw status output"));
        } else if (!sawStatus && !rules.isEmpty()) {
            active = true; // the rule table pasted without its Status line: ufw prints rules only while active
        }
        return new Ufw.Status(active, logging, defaults, rules, problems);
    }

    private static Ufw.Rule row(Matcher m, int n, String line) {
        Integer number = m.group(1) == null ? null : Integer.valueOf(m.group(1));
        String toText = m.group(2).trim();
        String action = m.group(3);
        String direction = m.group(4) == null ? "IN" : m.group(4);
        String rest = m.group(5) == null ? "" : m.group(5);
        String comment = null;
        int hash = rest.indexOf(" # ");
        if (hash < 0 && rest.startsWith("# ")) {
            hash = 0;
        }
        if (hash >= 0) {
            comment = rest.substring(hash + (rest.startsWith("# ") && hash == 0 ? 2 : 3)).trim();
            rest = rest.substring(0, hash);
        }
        List<String> attrs = new ArrayList<>();
        Matcher a = Pattern.compile("\\((log(?:-all)?(?:, out)?|out)\\)\\s*$").matcher(rest.trim());
        String fromText = rest.trim();
        if (a.find() && !fromText.endsWith("(v6)")) {
            for (String x : a.group(1).split(",\\s*")) {
                attrs.add(x.trim());
            }
            fromText = fromText.substring(0, a.start()).trim();
        }
        boolean[] v6 = {false};
        Ufw.Side to = side(toText, v6);
        Ufw.Side from = side(fromText, v6);
        if (!v6[0]) {
            v6[0] = isV6(to.address()) || isV6(from.address());
        }
        return new Ufw.Rule(number, to, action, direction, from, v6[0], attrs, comment, n, line);
    }

    static Ufw.Side side(String raw, boolean[] v6) {
        String s = raw.trim();
        String iface = null;
        int on = s.lastIndexOf(" on ");
        if (on >= 0) {
            iface = s.substring(on + 4).trim();
            s = s.substring(0, on).trim();
        } else if (s.startsWith("on ")) {
            iface = s.substring(3).trim();
            s = "";
        }
        if (s.contains("(v6)")) {
            v6[0] = true;
            s = s.replace(" (v6)", "").replace("(v6)", "").trim();
        }
        String app = null;
        Matcher pa = Pattern.compile("\\(([^()]+)\\)$").matcher(s);
        if (pa.find()) {
            app = pa.group(1).trim();
            s = s.substring(0, pa.start()).trim();
        }
        String address = null;
        String ports = null;
        String proto = null;
        for (String tok : s.isEmpty() ? new String[0] : s.split("\\s+")) {
            if (tok.equals("Anywhere")) {
                continue;
            }
            if (tok.startsWith("Anywhere/")) {
                proto = tok.substring(9);
                continue;
            }
            Matcher pm = PORTS.matcher(tok);
            if (pm.matches()) {
                ports = pm.group(1);
                proto = pm.group(2);
                continue;
            }
            if (isAddress(tok)) {
                address = tok;
                continue;
            }
            if (app == null && tok.matches("[A-Za-z][\\w .+-]*")) {
                app = tok; // a bare application profile (plain and numbered output)
                continue;
            }
            throw new IllegalArgumentException("cannot read '" + tok + "' in '" + raw + "'");
        }
        return new Ufw.Side(raw, address, ports, proto, app, iface);
    }

    static boolean isAddress(String tok) {
        String a = tok;
        int slash = a.indexOf('/');
        if (slash >= 0) {
            String p = a.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) {
                return false;
            }
            a = a.substring(0, slash);
        }
        try {
            Address.parse(a);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isV6(@Nullable String address) {
        return address != null && address.contains(":");
    }
}
