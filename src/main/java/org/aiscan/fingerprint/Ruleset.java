package org.aiscan.fingerprint;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every fingerprint rule plus the safety policy they run under, ordered by priority (highest first). */
public final class Ruleset {
    private final List<Rule> rules;
    private final Map<String, Rule> byId = new LinkedHashMap<>();
    private final SafetyPolicy safety;

    public Ruleset(List<Rule> rules, SafetyPolicy safety) {
        this.rules = rules.stream().sorted(Comparator.comparingInt(Rule::priority).reversed().thenComparing(Rule::id)).toList();
        for (Rule r : this.rules) {
            byId.put(r.id(), r);
        }
        this.safety = safety;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Rule get(String id) {
        return byId.get(id);
    }

    public SafetyPolicy safety() {
        return safety;
    }

    public int size() {
        return rules.size();
    }
}
