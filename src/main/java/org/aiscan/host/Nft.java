package org.aiscan.host;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The model of {@code nft list ruleset}. */
public final class Nft {
    private Nft() {
    }

    /** Every table, and the lines that could not be read. */
    public record Ruleset(List<Table> tables, List<ParseProblem> problems) {
        public Ruleset {
            tables = List.copyOf(tables);
            problems = List.copyOf(problems);
        }

        public boolean isEmpty() {
            return tables.isEmpty();
        }
    }

    /**
     * A table.
     *
     * @param family ip, ip6, inet, arp, bridge or netdev
     * @param managedByIptables iptables-nft's warning precedes it: its rules are iptables rules
     */
    public record Table(String family, String name, List<Chain> chains, List<NamedSet> sets, int line, boolean managedByIptables) {
        public Table {
            chains = List.copyOf(chains);
            sets = List.copyOf(sets);
        }

        public @Nullable Chain chain(String name) {
            for (Chain c : chains) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }

    /**
     * A chain; base chains have a type, hook and priority, regular chains have none.
     *
     * @param priority the numeric priority (symbolic names and arithmetic resolved), or null
     * @param policy accept or drop for base chains, else null
     */
    public record Chain(String name, String type, @Nullable String hook, @Nullable String device, String priorityText, @Nullable Integer priority, @Nullable String policy,
                        int line, List<Rule> rules) {
        public Chain {
            rules = List.copyOf(rules);
        }

        public boolean isBase() {
            return hook != null;
        }
    }

    /** A rule: its text (handle comment removed), its tokens and its line. */
    public record Rule(int line, String text, List<String> tokens) {
        public Rule {
            tokens = List.copyOf(tokens);
        }
    }

    /** A named set or map and its elements as printed. */
    public record NamedSet(String kind, String name, @Nullable String type, List<String> elements, int line) {
        public NamedSet {
            elements = List.copyOf(elements);
        }
    }
}
