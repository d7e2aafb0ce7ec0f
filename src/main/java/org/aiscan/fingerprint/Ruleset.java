package org.aiscan.fingerprint;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Every fingerprint rule plus the safety policy they run under (ordered by priority, highest first) and the vulnerability catalog. */
public final class Ruleset {
    private final List<Rule> rules;
    private final Map<String, Rule> byId = new LinkedHashMap<>();
    private final SafetyPolicy safety;
    private final CveCatalog cves;

    public Ruleset(List<Rule> rules, SafetyPolicy safety) {
        this(rules, safety, CveCatalog.empty());
    }

    public Ruleset(List<Rule> rules, SafetyPolicy safety, CveCatalog cves) {
        this.cves = cves;
        this.rules = rules.stream().sorted(Comparator.comparingInt(Rule::priority).reversed().thenComparing(Rule::id)).toList();
        for (Rule r : this.rules) {
            byId.put(r.id(), r);
        }
        this.safety = safety;
    }

    public List<Rule> rules() {
        return rules;
    }

    public @Nullable Rule get(String id) {
        return byId.get(id);
    }

    /** Every rule's unit words, each once: what {@code aiscan collect} looks for among systemd units. */
    public List<String> unitWords() {
        return rules.stream().flatMap(r -> r.units() == null ? java.util.stream.Stream.<String>empty() : r.units().stream())
                .distinct().sorted().toList();
    }

    /** Known vulnerabilities of the products these rules identify (rulesets/cves/). */
    public CveCatalog cves() {
        return cves;
    }

    public SafetyPolicy safety() {
        return safety;
    }

    public int size() {
        return rules.size();
    }
}
