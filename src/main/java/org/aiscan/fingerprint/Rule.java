package org.aiscan.fingerprint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One product's fingerprint, as read from {@code rulesets/fingerprints/<id>.yaml}. Field names in the
 * file are the kebab-case forms of the components ({@code after-identify}, {@code any-words}, …).
 *
 * @param id the service id (must equal the file name)
 * @param name display name
 * @param category what kind of service: llm-inference, image-generation, chat-ui, agent-platform,
 *     notebook, mlops, monitoring, vector-db, data-store, generic, speech
 * @param priority tie-breaker between rules that identify with the same confidence: higher wins;
 *     generic rules (http) are lowest
 * @param ports ports where the product is found by default; a hint for order, never a gate
 * @param units words of the product's systemd unit names ({@code ollama} finds {@code ollama.service});
 *     {@code aiscan collect} records these units' limits
 * @param probes the named requests this rule uses
 * @param identify alternatives, any of which identifies the product
 * @param version version extractors, tried in order
 * @param auth authentication states, first match wins
 * @param risk what an attacker gets when it is open
 * @param versionScheme how the product numbers releases ({@link VersionScheme}; default {@code release}):
 *     known vulnerabilities (rulesets/cves/, OSV) are matched in these terms
 * @param references where the facts come from
 */
public record Rule(String id, String name, String category, int priority, List<Integer> ports, List<String> units, Map<String, Probe> probes,
                   List<Identify> identify, List<Extract> version, List<Auth> auth, RiskSpec risk, String versionScheme,
                   List<String> references) {

    /** The version scheme, resolved (the loader has checked the name). */
    public VersionScheme scheme() {
        VersionScheme s = VersionScheme.of(versionScheme);
        return s == null ? VersionScheme.RELEASE : s;
    }

    /**
     * A request. Exactly one of {@code path} (HTTP GET), {@code send} (raw bytes from the safety
     * policy's allowed list) or {@code banner: true}.
     *
     * @param afterIdentify send only once this rule has identified the endpoint (version, auth, confirmation)
     * @param portOnly send only when the endpoint's port is one of the rule's ports
     */
    public record Probe(String path, String send, Boolean banner, Boolean afterIdentify, Boolean portOnly) {
    }

    /** One way to recognise the product: matchers combined by {@code condition} (and by default). */
    public record Identify(String confidence, String condition, List<Matcher> match, String note) {
    }

    /**
     * A test on one probe's response; every given check must hold, and {@code negative} inverts the result.
     *
     * @param status any of these statuses
     * @param words all of these strings occur in {@code part}
     * @param anyWords at least one of these occurs
     * @param equals {@code part}, trimmed, equals this
     * @param regex {@code part} contains a match
     * @param header a header check
     * @param json checks on the body parsed as JSON
     * @param part body (default), headers, all, or banner
     */
    public record Matcher(String probe, List<Integer> status, List<String> words, List<String> anyWords, String equals,
                          Regex regex, HeaderCheck header, List<JsonCheck> json, String part, Boolean caseInsensitive,
                          Boolean negative) {
    }

    /** A header is present and (optionally) its value contains the words or matches the regex. */
    public record HeaderCheck(String name, List<String> words, Regex regex, Boolean absent) {
    }

    /**
     * A check at a JSON Pointer ({@code /data/0/owned_by}); {@code *} as a segment means "any element".
     * Given checks all hold: {@code exists}, {@code absent}, {@code equals} (any JSON value),
     * {@code regex} (on the text form), {@code type} (object, array, string, number, boolean, null),
     * {@code keys} (object has all), {@code onlyKeys} (object has exactly these).
     */
    public record JsonCheck(String path, Boolean exists, Boolean absent, JsonNode equals, Regex regex, String type,
                            List<String> keys, List<String> onlyKeys) {
    }

    /**
     * Where the version comes from: a JSON Pointer, a header, or a regex (group 1) over {@code part}.
     * {@code strip} removes a prefix such as {@code v}. {@code base64}: the regex captured base64
     * text; it is decoded and this second regex's group 1 is the version (n8n 2.x carries its release
     * only in a base64 meta tag of the editor page).
     */
    public record Extract(String probe, String json, String header, Regex regex, String part, String strip, Regex base64) {
    }

    /**
     * An authentication state.
     *
     * @param state none or required
     * @param detail open, product, proxy, setup-takeover or registration-open
     * @param evidence one sentence saying what the match proves
     * @param severity the risk when this state holds, if it differs from the rule's (a metrics port of
     *     an inference server gives statistics, not inference)
     * @param summary what an attacker gets in this state, instead of the rule's risk summary
     */
    public record Auth(String state, String detail, String condition, List<Matcher> match, String evidence, String severity,
                       String summary) {
    }

    /**
     * Risk. {@code severity} applies when the service is usable without credentials; a protected
     * one is {@code protectedSeverity} (default low); setup takeover is always critical.
     */
    public record RiskSpec(String severity, List<String> impacts, String summary, String protectedSeverity) {
    }
}
