package org.aiscan.fingerprint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiscan.grab.Response;
import org.jspecify.annotations.Nullable;

/**
 * The matcher types: status, words, any-words, equals, regex, header and JSON checks over one
 * response, and the extractors. Stateless apart from a per-endpoint cache of parsed JSON bodies.
 */
final class Matching {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNode NOT_JSON = JSON.getNodeFactory().missingNode();

    private final Map<Response, JsonNode> parsed = new IdentityHashMap<>();
    /** Each response's text by part, decoded once, not per matcher; and lower-cased, for case-insensitive checks. */
    private final Map<Response, Map<Part, String>> texts = new IdentityHashMap<>();
    private final Map<Response, Map<Part, String>> lowered = new IdentityHashMap<>();

    /** Whether the matcher holds on the response (negative already applied); false for a missing response. */
    boolean holds(Matcher m, @Nullable Response r) {
        if (r == null) {
            return false;
        }
        for (Matcher.Check c : m.checks()) {
            if (!check(c, r)) {
                return m.negative();
            }
        }
        return !m.negative();
    }

    private boolean check(Matcher.Check c, Response r) {
        if (c instanceof Matcher.Status s) {
            return s.any().contains(r.status());
        }
        if (c instanceof Matcher.Contains w) {
            String hay = text(r, w.part(), w.ignoreCase());
            return w.words().stream().allMatch(hay::contains);
        }
        if (c instanceof Matcher.ContainsAny w) {
            String hay = text(r, w.part(), w.ignoreCase());
            return w.words().stream().anyMatch(hay::contains);
        }
        if (c instanceof Matcher.Equals e) {
            return text(r, e.part(), e.ignoreCase()).trim().equals(e.text());
        }
        if (c instanceof Matcher.Matches m) {
            return m.regex().matcher(part(r, m.part())).find();
        }
        if (c instanceof Matcher.Header h) {
            return header(h, r);
        }
        return json((Matcher.Json) c, json(r));
    }

    private String text(Response r, Part part, boolean lower) {
        return lower ? lowerPart(r, part) : part(r, part);
    }

    private static boolean header(Matcher.Header h, Response r) {
        List<String> values = r.headers().get(h.name());
        if (h.absent()) {
            return values == null || values.isEmpty();
        }
        if (values == null || values.isEmpty()) {
            return false;
        }
        for (String v : values) {
            String lower = v.toLowerCase(Locale.ROOT);
            if (h.words().stream().allMatch(lower::contains) && (h.regex() == null || h.regex().matcher(v).find())) {
                return true;
            }
        }
        return false;
    }

    JsonNode json(Response r) {
        return parsed.computeIfAbsent(r, x -> {
            if (x.body().length == 0) {
                return NOT_JSON;
            }
            try {
                JsonNode n = JSON.readTree(x.body());
                return n == null ? NOT_JSON : n;
            } catch (java.io.IOException | RuntimeException e) {
                return NOT_JSON;
            }
        });
    }

    private static boolean json(Matcher.Json j, JsonNode root) {
        List<JsonNode> nodes = j.path().select(root);
        if (j.test() instanceof Matcher.Node n) {
            return nodes.stream().anyMatch(x -> oneNode(n, x));
        }
        return nodes.isEmpty(); // Matcher.Absent
    }

    private static boolean oneNode(Matcher.Node j, JsonNode n) {
        if (j.equals() != null && !j.equals().equals(n)) {
            return false;
        }
        if (j.regex() != null && !j.regex().matcher(n.isValueNode() ? n.asText() : n.toString()).find()) {
            return false;
        }
        if (j.type() != null && !typeOf(n).equals(j.type())) {
            return false;
        }
        if (j.keys() != null && (!n.isObject() || !j.keys().stream().allMatch(n::has))) {
            return false;
        }
        return j.onlyKeys() == null || n.isObject() && n.size() == j.onlyKeys().size() && j.onlyKeys().stream().allMatch(n::has);
    }

    private static String typeOf(JsonNode n) {
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        return "null";
    }

    /** The text of one part of a response, decoded once per response. */
    String part(Response r, Part part) {
        Map<Part, String> byPart = texts.computeIfAbsent(r, x -> new java.util.EnumMap<>(Part.class));
        String t = byPart.get(part);
        if (t == null) {
            t = switch (part) {
                case HEADERS -> r.headerText();
                case ALL -> "HTTP " + r.status() + "\n" + r.headerText() + "\n" + part(r, Part.BODY);
                case BODY -> r.text();
            };
            byPart.put(part, t);
        }
        return t;
    }

    private String lowerPart(Response r, Part part) {
        return lowered.computeIfAbsent(r, x -> new java.util.EnumMap<>(Part.class)).computeIfAbsent(part,
                p -> part(r, p).toLowerCase(Locale.ROOT));
    }

    /** A version from the extractor, or null. */
    @Nullable String extract(Extractor x, @Nullable Response r) {
        if (r == null) {
            return null;
        }
        String value;
        if (x.source() instanceof Extractor.AtJson j) {
            List<JsonNode> nodes = j.path().select(json(r));
            value = !nodes.isEmpty() && nodes.get(0).isValueNode() && !nodes.get(0).isNull() ? nodes.get(0).asText() : null;
        } else if (x.source() instanceof Extractor.InHeader h) {
            String v = r.header(h.name());
            value = v == null || h.regex() == null ? v : firstGroup(h.regex().matcher(v));
        } else {
            Extractor.InText t = (Extractor.InText) x.source();
            String v = firstGroup(t.regex().matcher(part(r, t.part())));
            value = v != null && t.base64() != null ? decodedMatch(v, t.base64()) : v;
        }
        if (value == null) {
            return null;
        }
        value = value.trim();
        if (!x.strip().isEmpty() && value.startsWith(x.strip())) {
            value = value.substring(x.strip().length());
        }
        return value.isEmpty() || value.length() > 80 ? null : value;
    }

    /** Every value at an exposure's path, as text, in order and each once. */
    List<String> exposed(Rule.Exposure e, @Nullable Response r) {
        if (r == null) {
            return List.of();
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (JsonNode n : e.path().select(json(r))) {
            if (n.isValueNode() && !n.isNull() && !n.asText().isBlank()) {
                out.add(n.asText());
            }
        }
        return List.copyOf(out);
    }

    /** Group 1 (or the whole match) of {@code then} in the base64 decoding of {@code encoded}; null if either fails. */
    static @Nullable String decodedMatch(String encoded, java.util.regex.Pattern then) {
        String decoded;
        try {
            decoded = new String(java.util.Base64.getMimeDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return firstGroup(then.matcher(decoded));
    }

    /** Group 1 of the first match (the whole match when the regex has no group), or null. */
    private static @Nullable String firstGroup(java.util.regex.Matcher m) {
        return m.find() ? (m.groupCount() >= 1 ? m.group(1) : m.group()) : null;
    }

    /**
     * A short, printable piece of the response supporting a matcher, for evidence: what its regex
     * matched, the words in their context, the header, or the JSON found (every value, where the path
     * selects many); the part itself when nothing more precise holds.
     */
    String snippet(Matcher m, Response r) {
        String found = null;
        for (Matcher.Check c : m.checks()) {
            found = snippet(c, r);
            if (found != null) {
                break;
            }
        }
        if (found == null) {
            Part p = m.checks().stream().map(Matching::partOf).filter(java.util.Objects::nonNull).findFirst().orElse(Part.BODY);
            found = part(r, p);
        }
        return clean(found, 160);
    }

    /** What one check found, or null when it names nothing to show (a status, an equality: the part itself is shown). */
    private @Nullable String snippet(Matcher.Check c, Response r) {
        if (c instanceof Matcher.Matches x) {
            java.util.regex.Matcher mm = x.regex().matcher(part(r, x.part()));
            return mm.find() ? mm.group() : null;
        }
        if (c instanceof Matcher.Contains w) {
            return w.words().isEmpty() ? null : around(text(r, w.part(), w.ignoreCase()), part(r, w.part()), w.words().get(0));
        }
        if (c instanceof Matcher.ContainsAny w) {
            return w.words().stream().map(x -> around(text(r, w.part(), w.ignoreCase()), part(r, w.part()), x))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        if (c instanceof Matcher.Header h) {
            String v = r.header(h.name());
            return v == null ? null : h.name() + ": " + v;
        }
        if (c instanceof Matcher.Json j) {
            List<JsonNode> nodes = j.path().select(json(r));
            return nodes.isEmpty() ? null : j.path() + " = " + (j.path().many()
                    ? String.join(", ", nodes.stream().map(n -> n.isValueNode() ? n.asText() : n.toString()).toList())
                    : nodes.get(0).toString());
        }
        return null;
    }

    private static @Nullable Part partOf(Matcher.Check c) {
        if (c instanceof Matcher.Contains w) {
            return w.part();
        }
        if (c instanceof Matcher.ContainsAny w) {
            return w.part();
        }
        if (c instanceof Matcher.Equals e) {
            return e.part();
        }
        return c instanceof Matcher.Matches x ? x.part() : null;
    }

    /** {@link #around(String, String)} found in {@code hay} (possibly lower-cased) but cut from {@code text}. */
    private static @Nullable String around(String hay, String text, String word) {
        if (hay == text) {
            return around(text, word);
        }
        int i = hay.indexOf(word);
        return i < 0 ? null : around(text, text.substring(i, i + word.length()));
    }

    /**
     * The text around the first {@code word}: about 30 characters either side, widened or narrowed
     * to whole words (never "ps://github.com/…" for a URL cut in its scheme), with an ellipsis where
     * text was left out.
     */
    static @Nullable String around(String text, String word) {
        int i = text.indexOf(word);
        if (i < 0) {
            return null;
        }
        int from = wordStart(text, Math.max(0, i - 30), i);
        int to = wordEnd(text, Math.min(text.length(), i + word.length() + 30), i + word.length());
        return (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
    }

    /** A start at or before {@code at} that does not cut a word: back up to 20 more characters, else forward (never past {@code limit}). */
    private static int wordStart(String text, int at, int limit) {
        if (at == 0 || Character.isWhitespace(text.charAt(at - 1))) {
            return at;
        }
        for (int j = at - 1; j >= Math.max(0, at - 20); j--) {
            if (j == 0 || Character.isWhitespace(text.charAt(j - 1))) {
                return j;
            }
        }
        for (int j = at; j < limit; j++) {
            if (Character.isWhitespace(text.charAt(j))) {
                return j + 1;
            }
        }
        return limit;
    }

    /** An end at or after {@code at} that does not cut a word: forward up to 20 more characters, else back (never before {@code limit}). */
    private static int wordEnd(String text, int at, int limit) {
        int n = text.length();
        if (at >= n || Character.isWhitespace(text.charAt(at))) {
            return at;
        }
        for (int j = at + 1; j <= Math.min(n, at + 20); j++) {
            if (j == n || Character.isWhitespace(text.charAt(j))) {
                return j;
            }
        }
        for (int j = at - 1; j > limit; j--) {
            if (Character.isWhitespace(text.charAt(j))) {
                return j;
            }
        }
        return limit;
    }

    /**
     * Printable text only (control and format characters become '?', a lone surrogate too),
     * whitespace folded, at most {@code max} characters; an ellipsis says that more was left out.
     * Never splits a surrogate pair.
     */
    static String clean(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        boolean space = false;
        int i = 0;
        for (; i < s.length() && sb.length() < max; ) {
            int c = s.codePointAt(i);
            int n = Character.charCount(c);
            if (Character.isWhitespace(c)) {
                if (!space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = true;
                i += n;
                continue;
            }
            if (n == 2 && sb.length() + 2 > max) {
                break;
            }
            space = false;
            boolean bad = Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE;
            if (bad) {
                sb.append('?');
            } else {
                sb.appendCodePoint(c);
            }
            i += n;
        }
        String out = sb.toString().trim();
        boolean more = s.substring(i).chars().anyMatch(c -> !Character.isWhitespace(c));
        return more ? out + "…" : out;
    }
}
