package org.aiscan.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code iptables -L} listings as people paste them ({@code [-t TABLE] -L [-n] [-v] [-x]
 * [--line-numbers] [CHAIN]}, one or several one after the other, with or without prompt lines) into the
 * model {@link IptablesSaveParser} builds from {@code iptables-save}: every column and every piece of
 * the text after the columns becomes the option iptables-save would have printed for the same rule
 * ({@code tcp dpt:30080} is {@code -m tcp --dport 30080}, {@code mark match 0x4000/0x4000} is {@code -m
 * mark --mark 0x4000/0x4000}, {@code MARK or 0x4000} is {@code -j MARK --set-xmark 0x4000/0x4000}, …),
 * so that the evaluator walks it as it walks a dump.
 *
 * <p>What a listing does not show is said, never guessed: without {@code -v} the in/out interfaces of
 * every rule are hidden (a gap on each chain with rules); text after the columns that is not understood
 * makes its rule unreadable (a problem on its chain); a built-in chain the listing does not show is a
 * chain without rules or policy (a walk through it is uncertain); a listing piped through a filter is
 * partial; another command's output pasted in between is not read (a warning says so). Gaps and
 * problems name their chain as {@code -N CHAIN} / {@code -A CHAIN …}, the form the audit attributes to a
 * chain, so that an evaluation through that chain becomes uncertain.
 */
public final class IptablesListParser {
    private IptablesListParser() {
    }

    /** A prompt line before a listing: {@code # iptables -nvL -t nat}, {@code $ sudo iptables -L -n -v}, {@code ##### iptables -n -L X #####}. */
    private static final Pattern PROMPT = Pattern.compile(
            "^(?:\\[[^\\]]*\\]|\\S*)[#$]\\s*(?:sudo\\s+)?(ip6?tables(?:-legacy|-nft)?)\\b(.*)$");
    /** A prompt or section line of some other command ({@code $ ufw status}, {@code ########## diff … ##########}). */
    private static final Pattern OTHER_PROMPT = Pattern.compile("^(?:\\S*[$]\\s+\\S.*|#{3,}.*#{3,}|\\S*@\\S*[#$]\\s+\\S.*)$");
    private static final Pattern CHAIN = Pattern.compile(
            "^\\W{0,3}Chain (\\S+) \\((?:policy (\\S+?)(?: \\d+ packets, \\S+ bytes)?|(\\d+) references?)\\)\\s*$");
    private static final Pattern HEADER = Pattern.compile("^(num\\s+)?(pkts\\s+bytes\\s+)?target\\s+prot(\\s+opt)?\\s+(in\\s+out\\s+)?source\\s+destination\\s*$");
    private static final Pattern COUNTER = Pattern.compile("\\d+[KMGTP]?");
    private static final Set<String> OPT = Set.of("--", "-f", "!f");
    private static final Set<String> PROTOS = Set.of("all", "tcp", "udp", "icmp", "ipv6-icmp", "icmpv6", "esp", "ah", "gre", "sctp", "udplite",
            "igmp", "dccp", "mh", "ipip", "ipv6", "ospf", "vrrp", "pim", "l2tp");
    /** The numbers iptables 1.8.10 prints in the prot column with -n, as iptables-save names them. */
    private static final Map<String, String> PROTO_NUMBERS = Map.ofEntries(Map.entry("0", "all"), Map.entry("1", "icmp"), Map.entry("2", "igmp"),
            Map.entry("6", "tcp"), Map.entry("17", "udp"), Map.entry("47", "gre"), Map.entry("50", "esp"), Map.entry("51", "ah"),
            Map.entry("58", "ipv6-icmp"), Map.entry("132", "sctp"), Map.entry("136", "udplite"), Map.entry("33", "dccp"));
    /** Service names iptables prints without -n (from /etc/services); a name not here makes its rule unreadable. */
    private static final Set<String> TCP_KEYS = Set.of("spt", "spts", "dpt", "dpts", "flags", "option");
    private static final Set<String> CT_KEYS = Set.of("ctstate", "ctproto", "ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst",
            "ctorigsrcport", "ctorigdstport", "ctreplsrcport", "ctrepldstport", "ctstatus", "ctexpire", "ctdir");
    private static final Set<String> HASHLIMIT_KEYS = Set.of("mode", "htable-size", "htable-max", "htable-gcinterval", "htable-expire",
            "srcmask", "dstmask", "rate-interval", "name");
    private static final String[] TCP_FLAGS = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    private static final String NO_V = "iptables -L without -v hides the in/out interfaces of every rule: a rule here may apply to one "
            + "interface only; paste iptables -S or iptables-save";

    /** One listing: the chains under one prompt line (or one run of chains), of one table. */
    private static final class Listing {
        @Nullable String table; // named by a prompt, else guessed at the end
        int family;
        int line;
        String headerText;
        final Map<String, ChainBuilder> chains = new LinkedHashMap<>();
        final Map<String, Integer> references = new LinkedHashMap<>();
        boolean sawUserChain;
        final List<ParseProblem> problems = new ArrayList<>();
        final List<ParseProblem> gaps = new ArrayList<>();
        final List<Pending> rules = new ArrayList<>();
        boolean anyV4;
        boolean anyV6;
        boolean natTargets;
    }

    private static final class ChainBuilder {
        final String name;
        final @Nullable String policy;
        final int line;
        final String header;
        boolean verbose;
        boolean numbered;
        boolean layoutKnown;
        boolean hidesInterfaces;
        final List<Iptables.Rule> rules = new ArrayList<>();

        ChainBuilder(String name, @Nullable String policy, int line, String header) {
            this.name = name;
            this.policy = policy;
            this.line = line;
            this.header = header;
        }
    }

    /** A rule read before the listing's table is known. */
    private record Pending(ChainBuilder chain, Iptables.Rule rule) {
    }

    /** The dump of {@code family} in {@code text} (see {@link #parseAll}); empty when the text holds no listing of that family. */
    public static Iptables.Dump parse(String source, String text, int family, String defaultTable) {
        for (Iptables.Dump d : parseAll(source, text, family, defaultTable)) {
            if (d.family() == family) {
                return d;
            }
        }
        return new Iptables.Dump(family, "unknown", List.of(), List.of(), List.of(), List.of());
    }

    /**
     * One dump per family the listings show (the default family first; listings are IPv6 when their
     * prompt says ip6tables or their addresses are IPv6).
     *
     * @param defaultTable the table of a listing that neither a prompt nor its built-in chains name
     *     (from the file's name: {@code iptables-nat-L-n-v.txt} is nat), or null for filter
     */
    public static List<Iptables.Dump> parseAll(String source, String text, int defaultFamily, String defaultTable) {
        Lines ls = Lines.of(text);
        List<Listing> listings = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ParseProblem> outside = new ArrayList<>();
        List<ParseProblem> outsideGaps = new ArrayList<>();
        Listing cur = null;
        ChainBuilder chain = null;
        String promptTable = null;
        Integer promptFamily = null;
        int promptLine = 0;
        int foreignFrom = 0;
        String foreignText = null;
        for (int i = 0; i < ls.lines.size(); i++) {
            String raw = ls.lines.get(i);
            String t = raw.trim();
            int n = i + 1;
            if (t.isEmpty()) {
                continue;
            }
            Matcher prompt = PROMPT.matcher(t);
            if (prompt.find() && !prompt.group(2).matches("-(save|restore)\\b.*")) {
                foreignText = flushForeign(source, foreignFrom, foreignText, n - 1, warnings);
                String args = prompt.group(2);
                cur = null;
                chain = null;
                Matcher tt = Pattern.compile("(?:^|\\s)(?:-t\\s*|--table[=\\s]+|-\\w*t\\s+)(\\w+)").matcher(args);
                promptTable = tt.find() ? tt.group(1) : "filter";
                promptFamily = prompt.group(1).startsWith("ip6") ? 6 : 4;
                promptLine = n;
                if (args.contains("|")) {
                    outsideGaps.add(new ParseProblem(source, n, raw, "the listing was filtered (" + args.replaceAll("#+\\s*$", "").trim()
                            + "): the rules it left out are unknown"));
                }
                continue;
            }
            Matcher ch = CHAIN.matcher(t);
            if (ch.matches()) {
                foreignText = flushForeign(source, foreignFrom, foreignText, n - 1, warnings);
                String name = ch.group(1);
                boolean builtin = ch.group(2) != null;
                if (cur == null || cur.chains.containsKey(name) || builtin && cur.sawUserChain) {
                    cur = new Listing();
                    cur.table = promptTable;
                    cur.family = promptFamily != null ? promptFamily : 0;
                    cur.line = promptLine > 0 ? promptLine : n;
                    cur.headerText = t;
                    listings.add(cur);
                    promptTable = null;
                    promptFamily = null;
                    promptLine = 0;
                }
                chain = new ChainBuilder(name, builtin ? ch.group(2) : null, n, t);
                cur.chains.put(name, chain);
                if (!builtin) {
                    cur.sawUserChain = true;
                    cur.references.put(name, Integer.parseInt(ch.group(3)));
                }
                continue;
            }
            if (t.startsWith("#") && !OTHER_PROMPT.matcher(t).matches()) {
                if (t.startsWith("# Warning") || t.contains("legacy tables present") || t.contains("incompatible")) {
                    warnings.add(t.substring(1).trim());
                }
                continue;
            }
            if (foreignText != null) {
                continue;
            }
            if (OTHER_PROMPT.matcher(t).matches() || prompt.find(0)) { // another command (or iptables-save) and its output
                cur = null;
                chain = null;
                foreignFrom = n;
                foreignText = raw;
                continue;
            }
            if (chain == null) {
                outside.add(new ParseProblem(source, n, raw, "not part of an iptables -L listing (no Chain line before it)"));
                continue;
            }
            Matcher h = HEADER.matcher(t);
            if (h.matches()) {
                chain.numbered = h.group(1) != null;
                chain.verbose = h.group(2) != null;
                chain.layoutKnown = true;
                continue;
            }
            try {
                Iptables.Rule r = rule(cur, chain, t, n);
                chain.rules.add(r);
                cur.rules.add(new Pending(chain, r));
            } catch (IllegalArgumentException e) {
                cur.problems.add(new ParseProblem(source, n, "-A " + chain.name + " " + t, e.getMessage()));
            }
        }
        flushForeign(source, foreignFrom, foreignText, ls.lines.size(), warnings);
        if (ls.truncated) {
            outside.add(new ParseProblem(source, ls.lines.size(), "", "input too large; read the first " + ls.lines.size() + " lines"));
        }
        // close the listings: table, family, what they do not show
        Map<Integer, List<Iptables.Table>> tables = new LinkedHashMap<>();
        Map<Integer, List<ParseProblem>> problems = new LinkedHashMap<>();
        Map<Integer, List<ParseProblem>> gaps = new LinkedHashMap<>();
        tables.put(defaultFamily, new ArrayList<>());
        problems.put(defaultFamily, new ArrayList<>(outside));
        gaps.put(defaultFamily, new ArrayList<>(outsideGaps));
        for (Listing l : listings) {
            int family = l.family != 0 ? l.family : l.anyV6 && !l.anyV4 ? 6 : l.anyV4 && !l.anyV6 ? 4 : defaultFamily;
            String table = l.table != null ? l.table : guessTable(l, defaultTable);
            Map<String, Iptables.Chain> built = new LinkedHashMap<>();
            List<ParseProblem> g = gaps.computeIfAbsent(family, k -> new ArrayList<>());
            for (ChainBuilder c : l.chains.values()) {
                List<Iptables.Rule> rs = new ArrayList<>();
                for (Iptables.Rule r : c.rules) {
                    rs.add(new Iptables.Rule(table, r.chain(), r.line(), r.text(), r.modules(), r.matches(), r.target(), r.isGoto(),
                            r.targetOptions()));
                }
                built.put(c.name, new Iptables.Chain(c.name, c.policy, c.line, rs));
                if (c.hidesInterfaces && !c.rules.isEmpty()) {
                    g.add(new ParseProblem(source, c.line, "-N " + c.name, NO_V));
                }
            }
            missingBuiltins(source, l, table, built, g);
            cutAt(source, l, g);
            g.addAll(l.gaps);
            tables.computeIfAbsent(family, k -> new ArrayList<>()).add(new Iptables.Table(table, built, l.line, false));
            problems.computeIfAbsent(family, k -> new ArrayList<>()).addAll(l.problems);
        }
        List<Iptables.Dump> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Iptables.Table>> e : tables.entrySet()) {
            int f = e.getKey();
            out.add(new Iptables.Dump(f, "unknown", e.getValue(), f == defaultFamily ? warnings : List.of(), problems.getOrDefault(f, List.of()),
                    gaps.getOrDefault(f, List.of())));
        }
        return out;
    }

    /** Another command's output pasted between listings: said in a warning, not read, and no reason to doubt the rules. */
    private static @Nullable String flushForeign(String source, int from, @Nullable String text, int to, List<String> warnings) {
        if (text != null) {
            warnings.add("lines " + from + "-" + to + " (" + ParseProblem.abbreviate(text.trim()) + "): another command's output, not an "
                    + "iptables listing: not read");
        }
        return null;
    }

    /**
     * The table of a listing no prompt names, from its built-in chains as {@link IptablesSaveParser#tableOfPolicies}
     * reads them, else from DNAT/MASQUERADE targets, else the default.
     */
    private static String guessTable(Listing l, @Nullable String defaultTable) {
        Set<String> c = l.chains.keySet();
        boolean pre = c.contains("PREROUTING");
        boolean post = c.contains("POSTROUTING");
        boolean fwd = c.contains("FORWARD");
        if (pre && fwd) {
            return "mangle";
        }
        if (pre && post || post) {
            return "nat";
        }
        if (pre) {
            return l.natTargets ? "nat" : defaultTable != null && !defaultTable.equals("filter") ? defaultTable : "raw";
        }
        if (l.natTargets) {
            return "nat";
        }
        if (fwd) {
            return defaultTable != null && defaultTable.equals("mangle") ? "mangle" : "filter";
        }
        return defaultTable != null ? defaultTable : "filter";
    }

    /**
     * A listing of part of a table ({@code iptables -L FORWARD}, {@code -L DOCKER-USER}, or one cut
     * short) does not show the other built-in chains: each becomes a chain with no rules and no policy
     * (as a partial {@code iptables -S} paste gives it), so that a walk through it is uncertain, never
     * "no rule, default accept".
     */
    private static void missingBuiltins(String source, Listing l, String table, Map<String, Iptables.Chain> built, List<ParseProblem> gaps) {
        List<String> builtins = switch (table) {
            case "filter", "security" -> List.of("INPUT", "FORWARD", "OUTPUT");
            case "nat" -> List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");
            case "mangle" -> List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");
            case "raw" -> List.of("PREROUTING", "OUTPUT");
            default -> List.of();
        };
        for (String b : builtins) {
            if (!built.containsKey(b)) {
                built.put(b, new Iptables.Chain(b, null, l.line, List.of()));
                gaps.add(new ParseProblem(source, l.line, "-N " + b, "the " + table + " listing does not show the " + b
                        + " chain: its rules and policy are unknown (a listing of some chains only, or cut)"));
            }
        }
    }

    /**
     * In a listing of a whole table, a chain shows how many rules jump to it; fewer jumps in what was
     * pasted means rules are missing: the listing was cut, most likely in its last chain.
     */
    private static void cutAt(String source, Listing l, List<ParseProblem> gaps) {
        if (l.chains.isEmpty() || l.references.isEmpty()) {
            return;
        }
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (Pending p : l.rules) {
            if (p.rule().target() != null) {
                seen.merge(p.rule().target(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> e : l.references.entrySet()) {
            int got = seen.getOrDefault(e.getKey(), 0);
            if (got < e.getValue() && l.chains.values().stream().anyMatch(c -> c.policy != null)) {
                ChainBuilder last = null;
                for (ChainBuilder c : l.chains.values()) {
                    last = c;
                }
                gaps.add(new ParseProblem(source, last.line, "-N " + last.name, e.getKey() + " has " + e.getValue() + " reference"
                        + (e.getValue() == 1 ? "" : "s") + " but " + got + " rule" + (got == 1 ? "" : "s") + " of the listing jump to it: "
                        + "rules are missing (the listing was cut, here or before)"));
                return;
            }
        }
    }

    /** One rule line: the columns, then the text each match and the target print. */
    private static Iptables.Rule rule(Listing l, ChainBuilder chain, String line, int n) {
        List<String> tok = new ArrayList<>(List.of(line.split("\\s+")));
        int i = 0;
        boolean numbered = chain.numbered;
        boolean verbose = chain.verbose;
        if (!chain.layoutKnown) { // no column header: from the counters the line starts with
            int k = 0;
            while (k < tok.size() && k < 3 && COUNTER.matcher(tok.get(k)).matches()) {
                k++;
            }
            numbered = k == 1 || k == 3;
            verbose = k >= 2;
        }
        if (numbered) {
            need(tok, i, "num");
            if (!tok.get(i).matches("\\d+")) {
                throw new IllegalArgumentException("expected the rule number, found '" + tok.get(i) + "'");
            }
            i++;
        }
        if (verbose) {
            for (String what : List.of("pkts", "bytes")) {
                need(tok, i, what);
                if (!COUNTER.matcher(tok.get(i)).matches()) {
                    throw new IllegalArgumentException("expected the " + what + " counter, found '" + tok.get(i) + "'");
                }
                i++;
            }
        }
        String target;
        String prot;
        String opt = null;
        need(tok, i + 1, "prot");
        if (OPT.contains(tok.get(i + 1))) { // no target: a rule that only counts (or logs to nothing)
            target = null;
            prot = tok.get(i);
            opt = tok.get(i + 1);
            i += 2;
        } else if (i + 2 < tok.size() && OPT.contains(tok.get(i + 2))) {
            target = tok.get(i);
            prot = tok.get(i + 1);
            opt = tok.get(i + 2);
            i += 3;
        } else if (isProto(tok.get(i)) && !isProto(tok.get(i + 1))) { // ip6tables prints no opt column
            target = null;
            prot = tok.get(i);
            i += 1;
        } else {
            target = tok.get(i);
            prot = tok.get(i + 1);
            i += 2;
        }
        if (!isProto(prot)) {
            throw new IllegalArgumentException("'" + prot + "' is not a protocol (the columns are not as the header says)");
        }
        String in = null;
        String out = null;
        if (verbose) {
            need(tok, i + 1, "in and out");
            in = tok.get(i);
            out = tok.get(i + 1);
            i += 2;
        } else {
            chain.hidesInterfaces = true;
        }
        need(tok, i + 1, "source and destination");
        String src = tok.get(i);
        String dst = tok.get(i + 1);
        i += 2;
        // the text after the columns, as printed (its spacing matters inside comments and log prefixes)
        int at = 0;
        for (int k = 0; k < i; k++) {
            at = line.indexOf(tok.get(k), at) + tok.get(k).length();
        }
        String extra = line.substring(at).trim();

        List<Iptables.Option> matches = new ArrayList<>();
        address(l, "-s", src, matches);
        address(l, "-d", dst, matches);
        iface("-i", in, matches);
        iface("-o", out, matches);
        boolean negProt = prot.startsWith("!");
        String p = negProt ? prot.substring(1) : prot;
        p = PROTO_NUMBERS.getOrDefault(p, p);
        if (!p.equals("all")) {
            matches.add(new Iptables.Option(null, "-p", List.of(p), negProt));
        }
        if (opt != null && !opt.equals("--")) {
            matches.add(new Iptables.Option(null, "-f", List.of(), opt.startsWith("!")));
        }
        if (target != null && (target.equals("DNAT") || target.equals("MASQUERADE") || target.equals("SNAT") || target.equals("REDIRECT"))) {
            l.natTargets = true;
        }
        Extra x = new Extra(target, p, tokens(extra));
        x.read();
        matches.addAll(x.matches);
        return new Iptables.Rule(null, chain.name, n, line, x.modules, matches, target, x.isGoto, x.targetOptions);
    }

    private static boolean isProto(String s) {
        String p = s.startsWith("!") ? s.substring(1) : s;
        return PROTOS.contains(p.toLowerCase(Locale.ROOT)) || p.matches("\\d{1,3}");
    }

    private static void need(List<String> tok, int i, String what) {
        if (i >= tok.size()) {
            throw new IllegalArgumentException("the line ends before the " + what + " column (cut?)");
        }
    }

    private static void address(Listing l, String opt, String v, List<Iptables.Option> out) {
        boolean neg = v.startsWith("!");
        String a = neg ? v.substring(1) : v;
        if (a.contains(":")) {
            l.anyV6 = true;
        } else if (a.matches("[0-9.]+(/\\d+)?")) {
            l.anyV4 = true;
        }
        if (a.equals("0.0.0.0/0") || a.equals("::/0") || a.equals("anywhere")) {
            if (neg) {
                out.add(new Iptables.Option(null, opt, List.of(a.equals("anywhere") ? "0.0.0.0/0" : a), true));
            }
            return;
        }
        if (a.equals("localhost")) {
            a = "127.0.0.1";
        } else if (a.equals("ip6-localhost")) {
            a = "::1";
        }
        if (!a.contains("/") && a.matches("[0-9.]+")) {
            a = a + "/32";
        } else if (!a.contains("/") && a.contains(":") && a.matches("[0-9a-fA-F:.]+")) {
            a = a + "/128";
        }
        out.add(new Iptables.Option(null, opt, List.of(a), neg)); // a host name stays a name: the evaluator cannot place it
    }

    private static void iface(String opt, @Nullable String v, List<Iptables.Option> out) {
        if (v == null) {
            return;
        }
        boolean neg = v.startsWith("!");
        String a = neg ? v.substring(1) : v;
        if (a.equals("*") || a.equals("any")) {
            return;
        }
        out.add(new Iptables.Option(null, opt, List.of(a), neg));
    }

    /** A comment ({@code /* … *\/}) and a double-quoted string are one token each (marked with a leading NUL and quote). */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (s.startsWith("/* ", i) || s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated comment (cut?)");
                }
                String body = s.substring(i + 2, end);
                if (body.startsWith(" ")) {
                    body = body.substring(1);
                }
                if (body.endsWith(" ")) {
                    body = body.substring(0, body.length() - 1);
                }
                out.add("\0/" + body);
                i = end + 2;
                continue;
            }
            if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated quote (cut?)");
                }
                out.add("\0\"" + s.substring(i + 1, end));
                i = end + 1;
                continue;
            }
            int j = i;
            while (j < s.length() && !Character.isWhitespace(s.charAt(j))) {
                j++;
            }
            out.add(s.substring(i, j));
            i = j;
        }
        return out;
    }

    /** The text after the columns, read piece by piece into the options iptables-save prints. */
    private static final class Extra {
        final @Nullable String target;
        final String proto;
        final List<String> t;
        int i;
        boolean neg;
        boolean isGoto;
        final List<String> modules = new ArrayList<>();
        final List<Iptables.Option> matches = new ArrayList<>();
        final List<Iptables.Option> targetOptions = new ArrayList<>();

        Extra(String target, String proto, List<String> tokens) {
            this.target = target;
            this.proto = proto;
            this.t = tokens;
        }

        String next(String what) {
            if (i >= t.size()) {
                throw new IllegalArgumentException(what + " needs a value (cut?)");
            }
            return t.get(i++);
        }

        @Nullable String peek() {
            return i < t.size() ? t.get(i) : null;
        }

        void module(String m) {
            modules.add(m);
        }

        void match(String module, String name, String... values) {
            matches.add(new Iptables.Option(module, name, List.of(values), neg));
            neg = false;
        }

        void targetOption(String name, String... values) {
            targetOptions.add(new Iptables.Option("target:" + target, name, List.of(values), false));
        }

        void expect(String word) {
            String got = next("'" + word + "'");
            if (!got.equals(word)) {
                throw new IllegalArgumentException("expected '" + word + "', found '" + got + "'");
            }
        }

        /** A value that may carry its own {@code !} ({@code !LOCAL}, {@code ! 0x8000/0x8000}). */
        String negatable(String what) {
            String v = next(what);
            if (v.equals("!")) {
                neg = !neg;
                v = next(what);
            } else if (v.startsWith("!") && v.length() > 1) {
                neg = !neg;
                v = v.substring(1);
            }
            return v;
        }

        void read() {
            while (i < t.size()) {
                String w = t.get(i++);
                if (w.equals("!")) {
                    neg = true;
                    continue;
                }
                if (w.startsWith("\0/")) {
                    module("comment");
                    match("comment", "--comment", w.substring(2));
                    continue;
                }
                if (w.startsWith("\0\"")) {
                    throw new IllegalArgumentException("unexpected quoted text \"" + w.substring(2) + "\"");
                }
                if (!piece(w)) {
                    throw new IllegalArgumentException("cannot read '" + w + "'" + (i < t.size() ? " (in '" + w + " " + t.get(i) + "')" : ""));
                }
            }
            if (neg) {
                throw new IllegalArgumentException("a '!' negates nothing");
            }
        }

        private boolean piece(String w) {
            switch (w) {
                case "[goto]" -> isGoto = true;
                case "tcp", "udp", "udplite", "sctp", "dccp" -> ports(w);
                case "multiport" -> multiport();
                case "icmp", "icmptype" -> icmp(w, "icmp", "--icmp-type");
                case "ipv6-icmp", "ipv6-icmptype" -> icmp(w, "icmp6", "--icmpv6-type");
                case "state" -> {
                    module("state");
                    String v = negatable("state");
                    match("state", "--state", v);
                }
                case "mark" -> {
                    expect("match");
                    module("mark");
                    String v = negatable("mark");
                    match("mark", "--mark", v);
                }
                case "connmark" -> {
                    expect("match");
                    module("connmark");
                    String v = negatable("connmark");
                    match("connmark", "--mark", v);
                }
                case "ADDRTYPE" -> addrtype();
                case "statistic" -> statistic();
                case "match-set" -> {
                    module("set");
                    String name = next("match-set");
                    String flags = next("match-set");
                    match("set", "--match-set", name, flags);
                    setExtras();
                }
                case "limit:" -> limit();
                case "recent:" -> recent();
                case "#conn" -> connlimit();
                case "PHYSDEV" -> physdev();
                case "source", "destination" -> {
                    expect("IP");
                    expect("range");
                    module("iprange");
                    String v = negatable("range");
                    match("iprange", w.equals("source") ? "--src-range" : "--dst-range", v);
                }
                case "PKTTYPE" -> {
                    String op = next("PKTTYPE");
                    if (!op.equals("=") && !op.equals("!=")) {
                        throw new IllegalArgumentException("PKTTYPE needs = or !=");
                    }
                    neg = op.equals("!=");
                    module("pkttype");
                    match("pkttype", "--pkt-type", next("PKTTYPE"));
                }
                default -> {
                    if (CT_KEYS.contains(w)) {
                        if (modules.isEmpty() || !modules.get(modules.size() - 1).equals("conntrack")) {
                            module("conntrack");
                        }
                        boolean n = neg;
                        neg = false;
                        String v = negatable(w);
                        neg = neg != n;
                        match("conntrack", "--" + w, v);
                        return true;
                    }
                    return targetPiece(w);
                }
            }
            return true;
        }

        /** {@code tcp dpt:30080}, {@code tcp spts:1024:65535 dpt:!22}, {@code tcp flags:0x17/0x02}, a bare {@code tcp}. */
        private void ports(String proto) {
            module(proto);
            while (i < t.size()) {
                String w = t.get(i);
                int colon = w.indexOf(':');
                int eq = w.indexOf('=');
                String key = colon > 0 ? w.substring(0, colon) : eq > 0 ? w.substring(0, eq) : w;
                if (!TCP_KEYS.contains(key)) {
                    return;
                }
                i++;
                String v = w.substring(key.length() + 1);
                boolean n = v.startsWith("!");
                if (n) {
                    v = v.substring(1);
                }
                neg = n;
                switch (key) {
                    case "spt" -> match(proto, "--sport", port(v));
                    case "dpt" -> match(proto, "--dport", port(v));
                    case "spts", "dpts" -> {
                        int c = v.indexOf(':');
                        if (c < 0) {
                            throw new IllegalArgumentException(key + " needs a range: '" + w + "'");
                        }
                        match(proto, key.equals("spts") ? "--sport" : "--dport", port(v.substring(0, c)) + ":" + port(v.substring(c + 1)));
                    }
                    case "flags" -> {
                        int s = v.indexOf('/');
                        if (s < 0) {
                            throw new IllegalArgumentException("flags needs mask/comparison: '" + w + "'");
                        }
                        match(proto, "--tcp-flags", flags(v.substring(0, s)), flags(v.substring(s + 1)));
                    }
                    default -> match(proto, "--tcp-option", v);
                }
            }
        }

        private void multiport() {
            module("multiport");
            String kind = next("multiport");
            String name = switch (kind) {
                case "sports" -> "--sports";
                case "dports" -> "--dports";
                case "ports" -> "--ports";
                default -> throw new IllegalArgumentException("multiport needs sports, dports or ports, found '" + kind + "'");
            };
            String list = negatable("multiport " + kind);
            List<String> ports = new ArrayList<>();
            for (String one : list.split(",")) {
                int c = one.indexOf(':');
                ports.add(c < 0 ? port(one) : port(one.substring(0, c)) + ":" + port(one.substring(c + 1)));
            }
            match("multiport", name, String.join(",", ports));
        }

        /** {@code icmp echo-request}, {@code icmp !echo-request}, {@code icmptype 8 code 0}, {@code icmp !type 8}. */
        private void icmp(String w, String module, String name) {
            module(module);
            String v;
            if (w.endsWith("type")) {
                v = next(w);
            } else {
                v = negatable(w);
                if (v.equals("type")) {
                    v = next(w);
                } else if (v.startsWith("type") && v.length() > 4) {
                    v = v.substring(4);
                }
            }
            if ("code".equals(peek()) || "codes".equals(peek())) {
                i++;
                v = v + "/" + next("code");
            }
            match(module, name, v);
        }

        private void addrtype() {
            expect("match");
            module("addrtype");
            boolean any = false;
            while (i < t.size()) {
                String w = t.get(i);
                switch (w) {
                    case "src-type", "dst-type" -> {
                        i++;
                        String v = negatable(w);
                        match("addrtype", "--" + w, v);
                    }
                    case "limit-in" -> {
                        i++;
                        match("addrtype", "--limit-iface-in");
                    }
                    case "limit-out" -> {
                        i++;
                        match("addrtype", "--limit-iface-out");
                    }
                    default -> {
                        if (!any) {
                            throw new IllegalArgumentException("ADDRTYPE match needs src-type or dst-type");
                        }
                        return;
                    }
                }
                any = true;
            }
        }

        /** {@code statistic mode random probability 0.5}, {@code statistic mode random ! probability 0.5}, {@code statistic mode nth every 2 packet 0}. */
        private void statistic() {
            module("statistic");
            boolean n = neg;
            neg = false;
            expect("mode");
            String mode = next("mode");
            match("statistic", "--mode", mode);
            neg = n;
            if (mode.equals("random")) {
                if ("!".equals(peek())) {
                    i++;
                    neg = !neg;
                }
                expect("probability");
                match("statistic", "--probability", next("probability"));
            } else if (mode.equals("nth")) {
                if ("!".equals(peek())) {
                    i++;
                    neg = !neg;
                }
                expect("every");
                match("statistic", "--every", next("every"));
                if ("packet".equals(peek())) {
                    i++;
                    match("statistic", "--packet", next("packet"));
                }
            } else {
                throw new IllegalArgumentException("statistic mode '" + mode + "' is not known");
            }
        }

        private void setExtras() {
            while (i < t.size()) {
                String w = t.get(i);
                boolean bang = w.equals("!") && i + 1 < t.size() && t.get(i + 1).matches("update-(sub)?counters");
                String key = bang ? t.get(i + 1) : w;
                switch (key) {
                    case "return-nomatch", "update-counters", "update-subcounters" -> {
                        i += bang ? 2 : 1;
                        neg = bang;
                        match("set", "--" + key);
                    }
                    case "packets-eq", "packets-lt", "packets-gt", "bytes-eq", "bytes-lt", "bytes-gt" -> {
                        i += bang ? 2 : 1;
                        neg = bang;
                        match("set", "--" + key, next(key));
                    }
                    default -> {
                        return;
                    }
                }
            }
        }

        /** {@code limit: avg 3/min burst 5}; hashlimit: {@code limit: up to 10/sec burst 5 mode srcip htable-expire 10000}, {@code limit: above …}. */
        private void limit() {
            String w = next("limit:");
            String kind;
            String rate;
            if (w.equals("avg")) {
                rate = next("limit: avg");
                kind = "avg";
            } else if (w.equals("up")) {
                expect("to");
                rate = next("limit: up to");
                kind = "upto";
            } else if (w.equals("above")) {
                rate = next("limit: above");
                kind = "above";
            } else {
                throw new IllegalArgumentException("limit: needs avg, up to or above, found '" + w + "'");
            }
            if (peek() != null && peek().matches("\\d+") && i + 1 < t.size() && t.get(i + 1).matches("[a-z]+(/s)?")) {
                rate = rate + next("rate") + "/" + t.get(i++); // "10 kb/s" printed with a space in byte mode
            }
            String burst = null;
            if ("burst".equals(peek())) {
                i++;
                burst = next("burst");
            }
            boolean hash = !kind.equals("avg") || peek() != null && (HASHLIMIT_KEYS.contains(peek()));
            if (!hash) {
                module("limit");
                match("limit", "--limit", rate);
                if (burst != null) {
                    match("limit", "--limit-burst", burst);
                }
                return;
            }
            module("hashlimit");
            match("hashlimit", kind.equals("above") ? "--hashlimit-above" : kind.equals("upto") ? "--hashlimit-upto" : "--hashlimit", rate);
            if (burst != null) {
                match("hashlimit", "--hashlimit-burst", burst);
            }
            while (peek() != null && HASHLIMIT_KEYS.contains(peek())) {
                String k = t.get(i++);
                match("hashlimit", "--hashlimit-" + k, next(k));
            }
        }

        /** {@code recent: CHECK seconds: 60 hit_count: 4 TTL-Match name: DEFAULT side: source mask: 255.255.255.255}. */
        private void recent() {
            module("recent");
            String cmd = next("recent:");
            String opt = switch (cmd) {
                case "SET" -> "--set";
                case "CHECK" -> "--rcheck";
                case "UPDATE" -> "--update";
                case "REMOVE" -> "--remove";
                default -> throw new IllegalArgumentException("recent: needs SET, CHECK, UPDATE or REMOVE, found '" + cmd + "'");
            };
            match("recent", opt);
            while (peek() != null) {
                String w = t.get(i);
                switch (w) {
                    case "seconds:" -> {
                        i++;
                        match("recent", "--seconds", next(w));
                    }
                    case "hit_count:" -> {
                        i++;
                        match("recent", "--hitcount", next(w));
                    }
                    case "TTL-Match" -> {
                        i++;
                        match("recent", "--rttl");
                    }
                    case "reap" -> {
                        i++;
                        match("recent", "--reap");
                    }
                    case "name:" -> {
                        i++;
                        match("recent", "--name", next(w));
                    }
                    case "mask:" -> {
                        i++;
                        match("recent", "--mask", next(w));
                    }
                    case "side:" -> {
                        i++;
                        String s = next(w);
                        match("recent", s.equals("source") ? "--rsource" : s.equals("dest") ? "--rdest" : bad("side: " + s));
                    }
                    default -> {
                        return;
                    }
                }
            }
        }

        /** {@code #conn src/32 > 10} ({@code <=} for connlimit-upto). */
        private void connlimit() {
            module("connlimit");
            String who = next("#conn");
            int slash = who.indexOf('/');
            String side = slash < 0 ? who : who.substring(0, slash);
            String op = next("#conn");
            String limit = next("#conn");
            match("connlimit", op.equals(">") ? "--connlimit-above" : op.equals("<=") ? "--connlimit-upto" : bad("#conn " + op), limit);
            if (slash >= 0) {
                match("connlimit", "--connlimit-mask", who.substring(slash + 1));
            }
            match("connlimit", side.equals("src") ? "--connlimit-saddr" : side.equals("dst") ? "--connlimit-daddr" : bad("#conn " + side));
        }

        private void physdev() {
            expect("match");
            module("physdev");
            while (peek() != null && (peek().startsWith("--physdev-") || peek().equals("!") && i + 1 < t.size()
                    && t.get(i + 1).startsWith("--physdev-"))) {
                if (t.get(i).equals("!")) {
                    neg = true;
                    i++;
                }
                String o = t.get(i++);
                if (IptablesSaveParser.FLAGS.contains(o)) {
                    match("physdev", o);
                } else {
                    match("physdev", o, next(o));
                }
            }
        }

        /** What a target prints after the matches. */
        private boolean targetPiece(String w) {
            String tg = target == null ? "" : target;
            if (w.startsWith("to:") && (tg.equals("DNAT") || tg.equals("SNAT") || tg.equals("NETMAP"))) {
                String v = w.length() > 3 ? w.substring(3) : next("to:");
                targetOption(tg.equals("DNAT") ? "--to-destination" : tg.equals("SNAT") ? "--to-source" : "--to", v);
                return true;
            }
            switch (w) {
                case "reject-with" -> {
                    if (!tg.equals("REJECT")) {
                        return false;
                    }
                    targetOption("--reject-with", next(w));
                }
                case "random", "persistent", "random-fully" -> {
                    if (!Set.of("DNAT", "SNAT", "MASQUERADE", "REDIRECT").contains(tg)) {
                        return false;
                    }
                    targetOption("--" + w);
                }
                case "masq", "redir" -> {
                    if (!tg.equals("MASQUERADE") && !tg.equals("REDIRECT")) {
                        return false;
                    }
                    String p = next(w);
                    if (p.equals("ports:") || p.equals("ports")) {
                        p = next(w);
                    }
                    targetOption("--to-ports", p);
                }
                case "MARK" -> {
                    if (!tg.equals("MARK")) {
                        return false;
                    }
                    targetOption("--set-xmark", xmark(next("MARK"), next("MARK")));
                }
                case "CONNMARK" -> {
                    if (!tg.equals("CONNMARK")) {
                        return false;
                    }
                    String op = next("CONNMARK");
                    switch (op) {
                        case "save" -> targetOption("--save-mark");
                        case "restore" -> targetOption("--restore-mark");
                        default -> targetOption("--set-xmark", xmark(op, next("CONNMARK")));
                    }
                    while (peek() != null && (peek().equals("nfmask") || peek().equals("ctmask") || peek().equals("mask"))) {
                        String k = t.get(i++);
                        targetOption("--" + k, next(k));
                    }
                }
                case "LOG" -> {
                    if (!tg.equals("LOG")) {
                        return false;
                    }
                    log();
                }
                case "TCPMSS" -> {
                    if (!tg.equals("TCPMSS")) {
                        return false;
                    }
                    String v = next(w);
                    if (v.equals("clamp")) {
                        expect("to");
                        expect("PMTU");
                        targetOption("--clamp-mss-to-pmtu");
                    } else if (v.equals("set")) {
                        targetOption("--set-mss", next(w));
                    } else {
                        return false;
                    }
                }
                case "CT" -> {
                    if (!tg.equals("CT")) {
                        return false;
                    }
                    while (peek() != null) {
                        String k = t.get(i++);
                        if (k.equals("notrack")) {
                            targetOption("--notrack");
                        } else if (Set.of("helper", "zone", "ctevents", "expevents", "timeout").contains(k)) {
                            targetOption("--" + k, next(k));
                        } else {
                            return false;
                        }
                    }
                }
                case "add-set", "del-set" -> {
                    if (!tg.equals("SET")) {
                        return false;
                    }
                    targetOption("--" + w, next(w), next(w));
                    while (peek() != null && Set.of("exist", "timeout").contains(peek())) {
                        String k = t.get(i++);
                        targetOption("--" + k, k.equals("timeout") ? new String[] {next(k)} : new String[0]);
                    }
                }
                case "nflog-group", "nflog-prefix", "nflog-range", "nflog-size", "nflog-threshold" -> {
                    if (!tg.equals("NFLOG")) {
                        return false;
                    }
                    String v = next(w);
                    targetOption("--" + w, v.startsWith("\0\"") ? v.substring(2) : v);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** {@code LOG flags 0 level 4 prefix "[UFW BLOCK] "}, or without -n {@code LOG level warning tcp-options prefix "…"}. */
        private void log() {
            while (peek() != null) {
                String k = t.get(i);
                switch (k) {
                    case "flags" -> {
                        i++;
                        next("flags"); // the log flags as a number: not what decides a verdict
                    }
                    case "level" -> {
                        i++;
                        targetOption("--log-level", next(k));
                    }
                    case "prefix" -> {
                        i++;
                        String v = next(k);
                        if (!v.startsWith("\0\"")) {
                            throw new IllegalArgumentException("LOG prefix needs a quoted text");
                        }
                        targetOption("--log-prefix", v.substring(2));
                    }
                    case "tcp-sequence", "tcp-options", "ip-options", "uid", "macdecode" -> {
                        i++;
                        targetOption("--log-" + k);
                    }
                    default -> {
                        return;
                    }
                }
            }
        }

        /** {@code or 0x4000}, {@code set 0x4000}, {@code xset 0x4000/0xffff}, {@code and 0xff}, {@code xor 0x1} as iptables-save's {@code --set-xmark value/mask}. */
        private String xmark(String op, String v) {
            try {
                long value;
                long mask;
                switch (op) {
                    case "or" -> {
                        value = Long.decode(v);
                        mask = value;
                    }
                    case "set" -> {
                        value = Long.decode(v);
                        mask = 0xFFFF_FFFFL;
                    }
                    case "and" -> {
                        value = 0;
                        mask = ~Long.decode(v) & 0xFFFF_FFFFL;
                    }
                    case "xor" -> {
                        value = Long.decode(v);
                        mask = 0;
                    }
                    case "xset" -> {
                        int s = v.indexOf('/');
                        value = Long.decode(s < 0 ? v : v.substring(0, s));
                        mask = s < 0 ? 0xFFFF_FFFFL : Long.decode(v.substring(s + 1));
                    }
                    default -> throw new IllegalArgumentException("mark operation '" + op + "' is not known");
                }
                return "0x" + Long.toHexString(value) + "/0x" + Long.toHexString(mask);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a mark");
            }
        }

        private String port(String v) {
            if (v.matches("\\d+")) {
                return v;
            }
            int p = Services.port(v);
            if (p < 0) {
                throw new IllegalArgumentException("the service name '" + v + "' is not known (paste iptables -L -n, which prints numbers)");
            }
            return String.valueOf(p);
        }

        private static String flags(String v) {
            if (!v.startsWith("0x")) {
                return v; // already names (FIN,SYN,RST,ACK)
            }
            int bits;
            try {
                bits = Integer.decode(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a set of TCP flags");
            }
            if (bits == 0) {
                return "NONE";
            }
            if (bits == 0x3F) {
                return "FIN,SYN,RST,PSH,ACK,URG";
            }
            List<String> names = new ArrayList<>();
            for (int b = 0; b < TCP_FLAGS.length; b++) {
                if ((bits & (1 << b)) != 0) {
                    names.add(TCP_FLAGS[b]);
                }
            }
            return String.join(",", names);
        }

        private static String bad(String what) {
            throw new IllegalArgumentException("cannot read '" + what + "'");
        }
    }
}
