package org.aiscan.host;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The model of {@code ufw status verbose} / {@code ufw status numbered}. */
public final class Ufw {
    private Ufw() {
    }

    /**
     * @param active whether ufw is enabled
     * @param logging e.g. {@code on (low)}, {@code off}; null when not printed
     * @param defaults incoming, outgoing and routed policy (allow, deny, reject, disabled); empty when not printed
     * @param rules every rule row
     * @param problems rows that could not be read
     */
    public record Status(boolean active, String logging, Map<String, String> defaults, List<Rule> rules, List<ParseProblem> problems) {
        public Status {
            defaults = Map.copyOf(defaults);
            rules = List.copyOf(rules);
            problems = List.copyOf(problems);
        }
    }

    /**
     * One side of a rule ("To" or "From").
     *
     * @param raw the text as printed
     * @param address the address or subnet, or null for Anywhere
     * @param ports {@code 22}, {@code 80,443} or {@code 8000:8010}, or null for any port
     * @param proto tcp or udp, or null for both
     * @param app an application profile name, or null
     * @param iface the interface after {@code on}, or null
     */
    public record Side(@Nullable String raw, @Nullable String address, @Nullable String ports, @Nullable String proto, @Nullable String app, @Nullable String iface) {
    }

    /**
     * One rule row.
     *
     * @param number the rule number in {@code status numbered}, or null
     * @param action ALLOW, DENY, REJECT or LIMIT
     * @param direction IN, OUT or FWD
     * @param v6 the IPv6 copy of a rule (a {@code (v6)} marker or IPv6 addresses)
     * @param attributes {@code log}, {@code log-all}, {@code out}
     * @param comment the comment after {@code #}, or null
     */
    public record Rule(Integer number, Side to, String action, @Nullable String direction, Side from, boolean v6, List<String> attributes,
                       String comment, int line, String text) {
        public Rule {
            attributes = List.copyOf(attributes);
        }
    }
}
