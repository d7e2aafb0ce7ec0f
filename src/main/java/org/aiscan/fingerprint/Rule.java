package org.aiscan.fingerprint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiscan.grab.Request;
import org.jspecify.annotations.Nullable;

/**
 * One product's (or protocol's) fingerprint, compiled from {@code rulesets/fingerprints/<id>.yaml} by
 * {@link RuleCompiler}: every reference resolved, every default applied, every regex compiled, no
 * field null. Immutable; one instance serves every endpoint.
 *
 * @param id the service id (equals the file name)
 * @param name display name
 * @param category what kind of service it is (drives the audit's classes: ai-api, admin, …)
 * @param kind a product, a protocol that many products speak, or the generic catch-all: a product
 *     that matches wins over a protocol, a protocol over the catch-all
 * @param priority tie-breaker between rules of one kind that identify with the same confidence
 * @param ports ports where it is found by default: a hint for order, never a gate
 * @param units words of its systemd unit names ({@code aiscan collect} records those units' limits)
 * @param probes the named requests this rule uses
 * @param identify alternatives, any of which identifies it (in file order)
 * @param version version extractors, tried in order
 * @param auth authentication states, the first that holds wins
 * @param exposes what an open endpoint discloses (model names, …), reported as evidence
 * @param risk what an attacker gets when it is open
 * @param scheme how the product numbers its releases
 * @param references where the facts come from
 */
public record Rule(String id, String name, Category category, Kind kind, int priority, List<Integer> ports, @Nullable List<String> units,
                   Map<String, Probe> probes, List<Alternative> identify, List<Extractor> version, List<AuthState> auth,
                   List<Exposure> exposes, @Nullable RiskSpec risk, VersionScheme scheme, List<String> references) {

    public Rule {
        ports = List.copyOf(ports);
        units = List.copyOf(units);
        probes = Map.copyOf(probes);
        identify = List.copyOf(identify);
        version = List.copyOf(version);
        auth = List.copyOf(auth);
        exposes = List.copyOf(exposes);
        references = List.copyOf(references);
    }

    /** The constant whose key (as rule files write it) is {@code key}, or null. */
    private static <E extends Enum<E>> @Nullable E byKey(E[] values, String key) {
        for (E e : values) {
            if (e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(key)) {
                return e;
            }
        }
        return null;
    }

    /** Whether {@code port} is one of the rule's default ports. */
    public boolean hints(int port) {
        return ports.contains(port);
    }

    /** What kind of service a rule describes; {@link #key()} is the word used in rule files and the audit policy. */
    public enum Category {
        LLM_INFERENCE, IMAGE_GENERATION, SPEECH, CHAT_UI, AGENT_PLATFORM, NOTEBOOK, MLOPS, MONITORING, VECTOR_DB, DATA_STORE,
        AUTOMATION, GENERIC;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The category a rule file names, or null. */
        static @Nullable Category of(String key) {
            return byKey(values(), key);
        }
    }

    /** Product, protocol or the generic catch-all; matches rank in this order whatever their confidence. */
    public enum Kind {
        GENERIC, PROTOCOL, PRODUCT;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static @Nullable Kind of(String key) {
            return byKey(values(), key);
        }
    }

    /** How sure an identification is. */
    public enum Confidence {
        LOW, MEDIUM, HIGH;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static @Nullable Confidence of(String key) {
            return byKey(values(), key);
        }
    }

    /** How the matchers of one alternative combine. */
    public enum Condition { AND, OR }

    /** What an authentication state says about who may use the endpoint. */
    public enum AuthDetail {
        /** Nothing is asked. */
        OPEN,
        /** The product's own login, key or token. */
        PRODUCT,
        /** Something in front of the product (a proxy) asks. */
        PROXY,
        /** No administrator exists yet: the first visitor becomes one. */
        SETUP_TAKEOVER,
        /** Anyone may create an account. */
        REGISTRATION_OPEN;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static @Nullable AuthDetail of(String key) {
            return byKey(values(), key);
        }
    }

    /**
     * A named request of the rule.
     *
     * @param afterIdentify sent only once this rule has identified the endpoint (version, auth, confirmation)
     * @param portOnly sent only when the endpoint's port is one of the rule's ports
     */
    public record Probe(String name, Request request, boolean afterIdentify, boolean portOnly) {
    }

    /** One way to recognise the product: matchers combined by {@code condition}. */
    public record Alternative(Confidence confidence, Condition condition, List<Matcher> match, @Nullable String note) {
        public Alternative {
            match = List.copyOf(match);
        }
    }

    /** Whether credentials are needed: as the product shows it, or unknown with the reason said. */
    public enum Access {
        NONE, REQUIRED, UNKNOWN;

        /** The word used in rule files and reports. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static @Nullable Access of(String key) {
            return byKey(values(), key);
        }
    }

    /**
     * An authentication state. {@link Access#UNKNOWN} is a state a rule can name when what the product
     * shows cannot decide (Flowise 3 answers 401 before and after its first account exists): its
     * evidence says why, and it has no detail.
     *
     * @param detail what the state says about who may use the endpoint; null for an unknown state
     * @param evidence one sentence saying what the match proves (or, for unknown, why it cannot)
     * @param severity the risk when this state holds, if it differs from the rule's; null: the rule's
     * @param summary what an attacker gets in this state instead of the rule's summary; null: the rule's
     */
    public record AuthState(Access access, @Nullable AuthDetail detail, Condition condition, List<Matcher> match, @Nullable String evidence,
                            @Nullable String severity, @Nullable String summary) {
        public AuthState {
            match = List.copyOf(match);
        }

        public boolean required() {
            return access == Access.REQUIRED;
        }
    }

    /** Something an open endpoint discloses, such as its model names: every value at a JSON pointer. */
    public record Exposure(String what, Probe probe, JsonPath path) {
    }

    /**
     * Risk: {@code severity} applies when the service is usable without credentials; a protected one is
     * {@code protectedSeverity}; setup takeover is always critical.
     */
    public record RiskSpec(String severity, List<String> impacts, String summary, String protectedSeverity) {
        public RiskSpec {
            impacts = List.copyOf(impacts);
        }
    }
}
