package org.aiscan.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code iptables-save} / {@code ip6tables-save} output, legacy or nft flavour
 * (research/host-audit.md §5.2): header and warning comments, {@code *table}, {@code :CHAIN POLICY
 * [p:b]}, {@code [p:b] -A …} rules (counters optional) and {@code COMMIT}. Also {@code iptables -S}
 * (and {@code -t nat -S}) as people paste it: {@code -P CHAIN POLICY}, {@code -N CHAIN} and {@code -A}
 * lines with no table around them; the table is the one a prompt line names ({@code # iptables -t nat
 * -S}), else the caller's default, and a second {@code -P} of a chain already given starts the next
 * table (two listings pasted one after the other: nat when its first chain is PREROUTING). Rules are tokenised like a
 * shell (double-quoted comments with escaped quotes, {@code !} negating the next option) and split
 * into core options, module options ({@code -m NAME …}) and target options ({@code -j NAME …}), in
 * whatever order they were written.
 */
public final class IptablesSaveParser {
    /** Options that take no argument. */
    static final Set<String> FLAGS = Set.of("--syn", "--rsource", "--rdest", "--set", "--update", "--rcheck", "--remove",
            "--connlimit-saddr", "--connlimit-daddr", "--reap", "--log-uid", "--log-tcp-sequence", "--log-tcp-options",
            "--log-ip-options", "--log-macdecode", "--random", "--random-fully", "--persistent", "--fully-random",
            "--checksum-fill", "--return-nomatch", "--no-counters", "--clamp-mss-to-pmtu", "--hashlimit-rate-match",
            "--strict", "--ignore-case", "--nfct", "--invert", "--physdev-is-in", "--physdev-is-out", "--physdev-is-bridged",
            "--tcp-option-present", "--fragment", "-f", "--mark-only", "--notrack");
    /** Options that take two arguments. */
    static final Set<String> TWO = Set.of("--tcp-flags", "--match-set", "--set-class");

    /** Distinct tokens shared per dump; beyond this, tokens are kept as they come. */
    private static final int POOL_MAX = 1 << 16;

    private IptablesSaveParser() {
    }

    public static Iptables.Dump parse(String source, String text, int family) {
        return parse(source, text, family, "filter");
    }

    /** A prompt line before a listing: {@code $ sudo iptables -t nat -S}, {@code # ip6tables -S}. */
    private static final java.util.regex.Pattern PROMPT = java.util.regex.Pattern.compile(
            "^(?:\\[[^\\]]*\\]|\\S*)[#$]\\s*(?:sudo\\s+)?(?:ip6?tables(?:-legacy|-nft)?)\\b(.*)$");

    /**
     * The table an {@code iptables -S} listing shows, from the built-in chains its {@code -P} lines
     * name: nat has PREROUTING and POSTROUTING but no FORWARD, raw PREROUTING without POSTROUTING,
     * mangle PREROUTING with FORWARD, filter none of those.
     */
    public static String tableOfPolicies(String text) {
        boolean pre = text.contains("-P PREROUTING");
        boolean post = text.contains("-P POSTROUTING");
        boolean fwd = text.contains("-P FORWARD");
        if (pre && fwd) {
            return "mangle";
        }
        if (pre && post) {
            return "nat";
        }
        if (pre) {
            return "raw";
        }
        return "filter";
    }

    /**
     * @param listingTable the table an {@code iptables -S} listing without a prompt line is taken to
     *     show ({@code filter} for {@code iptables -S}, {@code nat} for a file named as {@code -t nat -S})
     */
    public static Iptables.Dump parse(String source, String text, int family, String listingTable) {
        Lines ls = Lines.of(text);
        boolean listing = false; // inside an `iptables -S` listing (no *table, no COMMIT)
        String nextListing = listingTable;
        java.util.Set<String> policiesGiven = new java.util.HashSet<>();
        List<Iptables.Table> tables = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ParseProblem> problems = new ArrayList<>();
        List<ParseProblem> gaps = new ArrayList<>();
        String flavour = "unknown";
        String table = null;
        int tableLine = 0;
        Map<String, ChainBuilder> chains = null;
        boolean incompatible = false;
        Map<String, String> pool = new java.util.HashMap<>();
        for (int i = 0; i < ls.lines.size(); i++) {
            String line = ls.lines.get(i);
            String t = line.trim();
            int n = i + 1;
            if (t.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher prompt = PROMPT.matcher(t);
            if (prompt.find()) {
                java.util.regex.Matcher tt = java.util.regex.Pattern.compile("(?:-t|--table)\\s+(\\w+)").matcher(prompt.group(1));
                String named = tt.find() ? tt.group(1) : "filter";
                if (prompt.group(1).contains("|")) { // "iptables -S | grep f2b": what the filter left out is unknown
                    gaps.add(new ParseProblem(source, n, line, "the listing was filtered (" + prompt.group(1).trim()
                            + "): the rules it left out are unknown"));
                }
                if (listing) {
                    possiblyCut(source, chains, gaps);
                    closeListing(tables, table, chains, tableLine, incompatible);
                    listing = false;
                    table = null;
                    chains = null;
                }
                nextListing = named;
                continue;
            }
            if (t.startsWith("#")) {
                if (t.startsWith("# Generated by")) {
                    flavour = t.contains("(nf_tables)") ? "nft" : "legacy"; // legacy prints "(legacy)" or nothing
                } else if (t.startsWith("# Warning") || t.contains("incompatible")) {
                    warnings.add(t.substring(1).trim());
                    if (t.contains("incompatible") && table != null) {
                        incompatible = true;
                    } else if (t.contains("incompatible")) {
                        String name = t.replaceAll(".*Table `([^']+)'.*", "$1");
                        tables.add(new Iptables.Table(name, Map.of(), n, true));
                    }
                }
                continue;
            }
            boolean listingLine = t.startsWith("-P ") || t.startsWith("-N ") || t.startsWith("-A ") && (table == null || listing);
            if (listingLine && (table == null || listing)) {
                String[] f = t.split("\\s+");
                if (t.startsWith("-P ") && listing && f.length >= 2 && policiesGiven.contains(f[1])) {
                    possiblyCut(source, chains, gaps);
                    closeListing(tables, table, chains, tableLine, incompatible); // the next listing starts
                    listing = false;
                    nextListing = f[1].equals("PREROUTING") ? "nat" : "filter";
                }
                if (!listing) {
                    listing = true;
                    table = nextListing;
                    tableLine = n;
                    chains = new LinkedHashMap<>();
                    incompatible = false;
                    policiesGiven.clear();
                    nextListing = listingTable;
                }
                if (t.startsWith("-P ")) {
                    if (f.length < 3) {
                        problems.add(new ParseProblem(source, n, line, "-P needs a chain and a policy"));
                        continue;
                    }
                    policiesGiven.add(f[1]);
                    chains.put(f[1], new ChainBuilder(f[1], f[2], n));
                    continue;
                }
                if (t.startsWith("-N ")) {
                    if (f.length < 2) {
                        problems.add(new ParseProblem(source, n, line, "-N needs a chain name"));
                        continue;
                    }
                    chains.putIfAbsent(f[1], new ChainBuilder(f[1], null, n));
                    continue;
                }
            }
            if (t.startsWith("*")) {
                if (listing) {
                    possiblyCut(source, chains, gaps);
                    closeListing(tables, table, chains, tableLine, incompatible);
                    listing = false;
                }
                table = t.substring(1).trim();
                tableLine = n;
                chains = new LinkedHashMap<>();
                incompatible = false;
                continue;
            }
            if (t.equals("COMMIT")) {
                if (table == null) {
                    problems.add(new ParseProblem(source, n, line, "COMMIT outside a table"));
                    continue;
                }
                Map<String, Iptables.Chain> built = new LinkedHashMap<>();
                chains.forEach((k, v) -> built.put(k, v.build()));
                tables.add(new Iptables.Table(table, built, tableLine, incompatible));
                table = null;
                chains = null;
                continue;
            }
            if (table == null) {
                problems.add(new ParseProblem(source, n, line, "outside a table (no *table before it)"));
                continue;
            }
            if (t.startsWith(":")) {
                String[] f = t.substring(1).split("\\s+");
                if (f.length < 2) {
                    problems.add(new ParseProblem(source, n, line, "chain line needs a name and a policy"));
                    continue;
                }
                chains.put(f[0], new ChainBuilder(f[0], f[1].equals("-") ? null : f[1], n));
                continue;
            }
            String body = t;
            if (body.startsWith("[")) {
                int close = body.indexOf(']');
                if (close < 0) {
                    problems.add(new ParseProblem(source, n, line, "unterminated counters"));
                    continue;
                }
                body = body.substring(close + 1).trim();
            }
            if (!body.startsWith("-A ")) {
                problems.add(new ParseProblem(source, n, line, "expected a rule (-A CHAIN …), a chain (:NAME), *table or COMMIT"));
                continue;
            }
            try {
                Iptables.Rule r = rule(table, body, n, line, pool);
                ChainBuilder c = chains.get(r.chain());
                if (c == null && listing) {
                    c = new ChainBuilder(r.chain(), null, n); // a listing pasted in part: the chain's -P or -N line is not in it
                    chains.put(r.chain(), c);
                } else if (c == null) {
                    problems.add(new ParseProblem(source, n, line, "rule for undeclared chain " + r.chain()));
                    c = new ChainBuilder(r.chain(), null, n);
                    chains.put(r.chain(), c);
                }
                c.rules.add(r);
            } catch (IllegalArgumentException e) {
                problems.add(new ParseProblem(source, n, line, e.getMessage()));
            }
        }
        if (listing) {
            possiblyCut(source, chains, gaps);
            closeListing(tables, table, chains, tableLine, incompatible); // a listing has no COMMIT
        } else if (table != null) {
            problems.add(new ParseProblem(source, ls.lines.size(), "", "table " + table + " has no COMMIT (truncated dump?)"));
            Map<String, Iptables.Chain> built = new LinkedHashMap<>();
            chains.forEach((k, v) -> built.put(k, v.build()));
            tables.add(new Iptables.Table(table, built, tableLine, incompatible));
        }
        if (ls.truncated) {
            problems.add(new ParseProblem(source, ls.lines.size(), "", "input too large; read the first " + ls.lines.size() + " lines"));
        }
        return new Iptables.Dump(family, tables.isEmpty() && flavour.equals("unknown") ? "unknown" : flavour, tables, warnings, problems, gaps);
    }

    private static final class ChainBuilder {
        final String name;
        final @Nullable String policy;
        final int line;
        final List<Iptables.Rule> rules = new ArrayList<>();

        ChainBuilder(String name, @Nullable String policy, int line) {
            this.name = name;
            this.policy = policy;
            this.line = line;
        }

        Iptables.Chain build() {
            return new Iptables.Chain(name, policy, line, rules);
        }
    }

    /**
     * {@code iptables -S} prints every chain's rules in the order the chains were declared: user chains
     * declared after the last one that shows a rule, with none of their own, may be where a paste was
     * cut. Each is a problem on its {@code -N} line, so that a walk into it is uncertain.
     */
    private static void possiblyCut(String source, Map<String, ChainBuilder> chains, List<ParseProblem> problems) {
        List<ChainBuilder> order = new ArrayList<>(chains.values());
        int last = -1;
        for (int i = 0; i < order.size(); i++) {
            if (!order.get(i).rules.isEmpty()) {
                last = i;
            }
        }
        if (last < 0) {
            return;
        }
        String lastShown = order.get(last).name;
        for (int i = last + 1; i < order.size(); i++) {
            ChainBuilder c = order.get(i);
            if (c.policy == null && c.rules.isEmpty()) {
                problems.add(new ParseProblem(source, c.line, "-N " + c.name, "no rule of " + c.name + " is listed, and it comes after the "
                        + "last chain with rules (" + lastShown + "): empty, or cut from the paste"));
            }
        }
    }

    private static void closeListing(List<Iptables.Table> tables, String table, Map<String, ChainBuilder> chains, int line,
                                     boolean incompatible) {
        Map<String, Iptables.Chain> built = new LinkedHashMap<>();
        chains.forEach((k, v) -> built.put(k, v.build()));
        tables.add(new Iptables.Table(table, built, line, incompatible));
    }

    static Iptables.Rule rule(String table, String body, int line, String text, Map<String, String> pool) {
        List<String> tok = tokenize(body);
        for (int i = 0; i < tok.size(); i++) { // share the tokens that repeat (-p, tcp, --dport, chain names, …)
            String t = tok.get(i);
            String shared = pool.get(t);
            if (shared != null) {
                tok.set(i, shared);
            } else if (pool.size() < POOL_MAX) {
                pool.put(t, t);
            }
        }
        if (tok.size() < 2) {
            throw new IllegalArgumentException("-A without a chain");
        }
        String chain = tok.get(1);
        List<String> modules = new ArrayList<>();
        List<Iptables.Option> matches = new ArrayList<>();
        List<Iptables.Option> targetOptions = new ArrayList<>();
        String module = null;
        String target = null;
        boolean isGoto = false;
        boolean negate = false;
        for (int i = 2; i < tok.size(); i++) {
            String t = tok.get(i);
            if (t.equals("!")) {
                negate = true;
                continue;
            }
            switch (t) {
                case "-m", "--match" -> {
                    module = need(tok, ++i, t);
                    modules.add(module);
                    continue;
                }
                case "-j", "--jump", "-g", "--goto" -> {
                    target = need(tok, ++i, t);
                    isGoto = t.startsWith("-g") || t.equals("--goto");
                    module = "target:" + target;
                    continue;
                }
                case "-s", "--source", "-d", "--destination", "-i", "--in-interface", "-o", "--out-interface", "-p", "--protocol" -> {
                    matches.add(new Iptables.Option(null, canonical(t), List.of(need(tok, ++i, t)), negate));
                    negate = false;
                    continue;
                }
                default -> {
                }
            }
            if (!t.startsWith("-")) {
                throw new IllegalArgumentException("unexpected '" + t + "'");
            }
            int count = FLAGS.contains(t) ? 0 : TWO.contains(t) ? 2 : 1;
            List<String> values = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                String v = need(tok, ++i, t);
                if (v.equals("!") && k == 0) { // old syntax: --dport ! 80
                    negate = true;
                    v = need(tok, ++i, t);
                }
                values.add(v);
            }
            Iptables.Option o = new Iptables.Option(module, t, values, negate);
            negate = false;
            if (module != null && module.startsWith("target:")) {
                targetOptions.add(o);
            } else {
                matches.add(o);
            }
        }
        return new Iptables.Rule(table, chain, line, text, modules, matches, target, isGoto, targetOptions);
    }

    private static String canonical(String opt) {
        return switch (opt) {
            case "--source" -> "-s";
            case "--destination" -> "-d";
            case "--in-interface" -> "-i";
            case "--out-interface" -> "-o";
            case "--protocol" -> "-p";
            default -> opt;
        };
    }

    private static String need(List<String> tok, int i, String opt) {
        if (i >= tok.size()) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return tok.get(i);
    }

    /** Splits like a shell: spaces separate, double or single quotes group, backslash escapes inside double quotes. */
    static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                any = true;
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
                continue;
            }
            cur.append(c);
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote");
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
