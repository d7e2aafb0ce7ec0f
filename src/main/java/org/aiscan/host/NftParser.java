package org.aiscan.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code nft list ruleset} text (research/host-audit.md §5.5): tables of every family, base
 * chains ({@code type … hook … priority …; policy …;}) with symbolic and arithmetic priorities
 * resolved, rules with their line numbers, and named sets and maps whose elements may wrap across
 * lines. Named objects it does not model (counters, quotas, flowtables) are skipped as blocks.
 * iptables-nft's "managed by iptables-nft" warning marks the table that follows it.
 */
public final class NftParser {
    static final Map<String, Integer> PRIORITIES = Map.of("raw", -300, "mangle", -150, "dstnat", -100, "filter", 0,
            "security", 50, "srcnat", 100, "out", 100, "conntrack", -200);
    private static final Pattern TABLE = Pattern.compile("^table\\s+(\\w+)\\s+(\\S+)\\s*\\{$");
    private static final Pattern CHAIN = Pattern.compile("^chain\\s+(\\S+)\\s*\\{$");
    private static final Pattern SET = Pattern.compile("^(set|map)\\s+(\\S+)\\s*\\{(.*)$");
    private static final Pattern BLOCK = Pattern.compile("^(counter|quota|limit|flowtable|ct\\s+\\w+|secmark|synproxy)\\s+.*\\{(.*)$");
    private static final Pattern BASE = Pattern.compile(
            "type\\s+(\\w+)\\s+hook\\s+(\\w+)(?:\\s+device\\s+\"?([^\";\\s]+)\"?)?\\s+priority\\s+([^;]+);(?:\\s*policy\\s+(\\w+);)?");

    private NftParser() {
    }

    public static Nft.Ruleset parse(String source, String text) {
        Lines ls = Lines.of(text);
        List<Nft.Table> tables = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        boolean nextManaged = false;
        TableB table = null;
        ChainB chain = null;
        SetB set = null;
        int skipDepth = 0;
        for (int i = 0; i < ls.lines.size(); i++) {
            String raw = ls.lines.get(i);
            int n = i + 1;
            String t = stripHandle(raw.trim());
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("#")) {
                if (t.contains("managed by iptables-nft")) {
                    nextManaged = true;
                }
                continue;
            }
            if (skipDepth > 0) {
                skipDepth += count(t, '{') - count(t, '}');
                continue;
            }
            if (set != null) {
                set.absorb(t);
                if (set.closed()) {
                    table.sets.add(set.build());
                    set = null;
                }
                continue;
            }
            if (table == null) {
                Matcher m = TABLE.matcher(t);
                if (m.matches()) {
                    table = new TableB(m.group(1), m.group(2), n, nextManaged);
                    nextManaged = false;
                } else {
                    problems.add(new ParseProblem(source, n, raw, "expected 'table FAMILY NAME {'"));
                }
                continue;
            }
            if (chain == null) {
                if (t.equals("}")) {
                    tables.add(table.build());
                    table = null;
                    continue;
                }
                Matcher c = CHAIN.matcher(t);
                if (c.matches()) {
                    chain = new ChainB(c.group(1), n);
                    continue;
                }
                Matcher s = SET.matcher(t);
                if (s.matches()) {
                    set = new SetB(s.group(1), s.group(2), n);
                    set.absorb(s.group(3));
                    if (set.closed()) {
                        table.sets.add(set.build());
                        set = null;
                    }
                    continue;
                }
                if (BLOCK.matcher(t).matches()) {
                    skipDepth = count(t, '{') - count(t, '}');
                    continue;
                }
                if (TABLE_ATTRIBUTE.matcher(t).matches()) {
                    continue; // comment "rules for kube-proxy": says nothing about packets
                }
                problems.add(new ParseProblem(source, n, raw, "expected a chain, set, map or '}' in table " + table.name));
                continue;
            }
            if (t.equals("}")) {
                table.chains.add(chain.build());
                chain = null;
                continue;
            }
            Matcher b = BASE.matcher(t);
            if (b.find() && t.startsWith("type ")) {
                chain.type = b.group(1);
                chain.hook = b.group(2);
                chain.device = b.group(3);
                chain.priorityText = b.group(4).trim();
                chain.priority = priority(chain.priorityText);
                chain.policy = b.group(5);
                continue;
            }
            if (t.startsWith("policy ")) {
                chain.policy = t.replace("policy", "").replace(";", "").trim();
                continue;
            }
            chain.rules.add(new Nft.Rule(n, t, tokens(t)));
        }
        if (table != null) {
            if (chain != null) {
                table.chains.add(chain.build());
            }
            tables.add(table.build());
            problems.add(new ParseProblem(source, ls.lines.size(), "", "table " + table.name + " is not closed (truncated output?)"));
        }
        if (ls.truncated) {
            problems.add(new ParseProblem(source, ls.lines.size(), "", "input too large; read the first " + ls.lines.size() + " lines"));
        }
        return new Nft.Ruleset(tables, problems);
    }

    /** A priority as a number: {@code filter}, {@code dstnat - 10}, {@code -100}; null when unreadable. */
    static @Nullable Integer priority(String text) {
        Matcher m = Pattern.compile("^(-?\\d+|[a-z]+)\\s*(?:([+-])\\s*(\\d+))?$").matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        Integer base = m.group(1).matches("-?\\d+") ? Integer.valueOf(m.group(1)) : PRIORITIES.get(m.group(1));
        if (base == null) {
            return null;
        }
        if (m.group(2) != null) {
            int d = Integer.parseInt(m.group(3));
            return m.group(2).equals("+") ? base + d : base - d;
        }
        return base;
    }

    static String stripHandle(String t) {
        return t.replaceAll("\\s*# handle \\d+$", "");
    }

    static int count(String s, char c) {
        int n = 0;
        boolean inQuote = false;
        for (int i = 0; i < s.length(); i++) {
            char x = s.charAt(i);
            if (x == '"') {
                inQuote = !inQuote;
            } else if (x == c && !inQuote) {
                n++;
            }
        }
        return n;
    }

    private static final java.util.regex.Pattern MANAGED = java.util.regex.Pattern.compile(
            "table (\\S+) (\\S+) is managed by iptables-nft");

    /**
     * nft prints its "managed by iptables-nft" warnings on stderr, so when the two streams are kept
     * apart the tables they name are marked here.
     */
    public static Nft.Ruleset markManaged(Nft.Ruleset r, @Nullable String stderr) {
        if (stderr == null || stderr.isBlank()) {
            return r;
        }
        java.util.Set<String> managed = new java.util.HashSet<>();
        java.util.regex.Matcher m = MANAGED.matcher(stderr);
        while (m.find()) {
            managed.add(m.group(1) + " " + m.group(2));
        }
        if (managed.isEmpty()) {
            return r;
        }
        List<Nft.Table> tables = new ArrayList<>();
        for (Nft.Table t : r.tables()) {
            boolean on = t.managedByIptables() || managed.contains(t.family() + " " + t.name());
            tables.add(new Nft.Table(t.family(), t.name(), t.chains(), t.sets(), t.line(), on));
        }
        return new Nft.Ruleset(tables, r.problems());
    }

    /** A table's own comment line (a table's flags, such as dormant, do change what it does: not skipped). */
    private static final Pattern TABLE_ATTRIBUTE = Pattern.compile("comment\\s+\"[^\"]*\";?");

    /** A set's or map's type: up to a ';' (nft -f input) or the next keyword (nft list prints one per line). */
    private static final Pattern SET_TYPE = Pattern.compile(
            "\\btype\\s+(.+?)\\s*(?:;|\\s(?:flags|comment|elements|size|policy|timeout|gc-interval|auto-merge|counter)\\b|$)");

    /** Splits a rule into tokens: quoted strings stay whole, braces and commas stand alone. */
    static List<String> tokens(String t) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"') {
                q = !q;
                cur.append(c);
                continue;
            }
            if (!q && (Character.isWhitespace(c) || c == '{' || c == '}' || c == ',')) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                if (c == '{' || c == '}' || c == ',') {
                    out.add(String.valueOf(c));
                }
                continue;
            }
            cur.append(c);
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static final class TableB {
        final String family;
        final String name;
        final int line;
        final boolean managed;
        final List<Nft.Chain> chains = new ArrayList<>();
        final List<Nft.NamedSet> sets = new ArrayList<>();

        TableB(String family, String name, int line, boolean managed) {
            this.family = family;
            this.name = name;
            this.line = line;
            this.managed = managed;
        }

        Nft.Table build() {
            return new Nft.Table(family, name, chains, sets, line, managed);
        }
    }

    private static final class ChainB {
        final String name;
        final int line;
        @Nullable String type;
        @Nullable String hook;
        @Nullable String device;
        @Nullable String priorityText;
        @Nullable Integer priority;
        @Nullable String policy;
        final List<Nft.Rule> rules = new ArrayList<>();

        ChainB(String name, int line) {
            this.name = name;
            this.line = line;
        }

        Nft.Chain build() {
            return new Nft.Chain(name, type, hook, device, priorityText, priority, policy, line, rules);
        }
    }

    private static final class SetB {
        final String kind;
        final String name;
        final int line;
        final StringBuilder body = new StringBuilder();
        int depth = 1;

        SetB(String kind, String name, int line) {
            this.kind = kind;
            this.name = name;
            this.line = line;
        }

        void absorb(String s) {
            depth += count(s, '{') - count(s, '}');
            body.append(' ').append(s);
        }

        boolean closed() {
            return depth <= 0;
        }

        Nft.NamedSet build() {
            String b = body.toString();
            Matcher type = SET_TYPE.matcher(b);
            List<String> elements = new ArrayList<>();
            Matcher el = Pattern.compile("elements\\s*=\\s*\\{(.*?)\\}").matcher(b);
            if (el.find()) {
                for (String e : el.group(1).split(",")) {
                    if (!e.isBlank()) {
                        elements.add(e.trim());
                    }
                }
            }
            return new Nft.NamedSet(kind, name, type.find() ? type.group(1).trim() : null, elements, line);
        }
    }
}
