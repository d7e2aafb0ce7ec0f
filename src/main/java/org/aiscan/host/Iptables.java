package org.aiscan.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The model of an {@code iptables-save} / {@code ip6tables-save} dump. */
public final class Iptables {
    private Iptables() {
    }

    /**
     * One dump.
     *
     * @param family 4 or 6
     * @param flavour {@code nft}, {@code legacy}, or {@code unknown} (no header)
     * @param tables the tables in the order printed
     * @param warnings the dump's own warning comments ("legacy tables present", "table is incompatible")
     * @param problems lines that could not be read
     * @param gaps where the dump may lack rules without any line being wrong (an {@code iptables -S}
     *     paste whose last chains show no rule: empty, or cut), each on the line that declares the chain
     */
    public record Dump(int family, String flavour, List<Table> tables, List<String> warnings, List<ParseProblem> problems,
                       List<ParseProblem> gaps) {
        public Dump {
            tables = List.copyOf(tables);
            warnings = List.copyOf(warnings);
            problems = List.copyOf(problems);
            gaps = List.copyOf(gaps);
        }

        public @Nullable Table table(String name) {
            for (Table t : tables) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
            return null;
        }

        public boolean isEmpty() {
            return tables.isEmpty();
        }

        /** Number of rules across all tables. */
        public int ruleCount() {
            return tables.stream().mapToInt(t -> t.chains().values().stream().mapToInt(c -> c.rules().size()).sum()).sum();
        }
    }

    /** A table and its chains (in declaration order). {@code incompatible}: iptables-nft could not show it. */
    public record Table(String name, Map<String, Chain> chains, int line, boolean incompatible) {
        public Table {
            chains = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        }

        public @Nullable Chain chain(String name) {
            return chains.get(name);
        }
    }

    /**
     * A chain. {@code policy} is ACCEPT or DROP for built-in chains, null for user chains.
     */
    public record Chain(String name, @Nullable String policy, int line, List<Rule> rules) {
        public Chain {
            rules = List.copyOf(rules);
        }
    }

    /**
     * One option of a rule: {@code -s 10.0.0.0/8}, {@code -m tcp --dport 8000}, {@code -j DNAT --to-destination …}.
     *
     * @param module the match module ({@code tcp}, {@code conntrack}, …), {@code null} for core options
     *     ({@code -s -d -i -o -p}), or {@code target:NAME} for a target's options
     * @param name the option as written ({@code -s}, {@code --dport})
     * @param values its arguments (none for flags such as {@code --rsource})
     * @param negated whether {@code !} preceded it
     */
    public record Option(@Nullable String module, String name, List<String> values, boolean negated) {
        public Option {
            values = List.copyOf(values);
        }

        public @Nullable String value() {
            return values.isEmpty() ? null : values.get(0);
        }
    }

    /**
     * One rule.
     *
     * @param table the table
     * @param chain the chain it is appended to
     * @param line 1-based line in the dump
     * @param text the line as printed
     * @param modules the match modules named with {@code -m}, in order
     * @param matches every match option (core and module)
     * @param target the jump or goto target, or null (a rule that only counts)
     * @param isGoto {@code -g} instead of {@code -j}
     * @param targetOptions the target's options
     */
    public record Rule(@Nullable String table, String chain, int line, String text, List<String> modules, List<Option> matches, @Nullable String target,
                       boolean isGoto, List<Option> targetOptions) {
        public Rule {
            modules = List.copyOf(modules);
            matches = List.copyOf(matches);
            targetOptions = List.copyOf(targetOptions);
        }

        /** The first match option with this name (e.g. {@code --dport}), or null. */
        public @Nullable Option match(String name) {
            for (Option o : matches) {
                if (o.name().equals(name)) {
                    return o;
                }
            }
            return null;
        }

        public List<Option> matchesNamed(String name) {
            List<Option> out = new ArrayList<>();
            for (Option o : matches) {
                if (o.name().equals(name)) {
                    out.add(o);
                }
            }
            return out;
        }

        public @Nullable String targetOption(String name) {
            for (Option o : targetOptions) {
                if (o.name().equals(name)) {
                    return o.value();
                }
            }
            return null;
        }

        /** A short citation: {@code filter INPUT #3: -A INPUT …}. */
        public String cite() {
            return text.trim();
        }
    }
}
