package org.aiscan.fingerprint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import org.aiscan.grab.Response;

/**
 * The matcher types: status, words, any-words, equals, regex, header and JSON checks over one
 * response, and the extractors. Stateless apart from a per-endpoint cache of parsed JSON bodies.
 */
final class Matching {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNode NOT_JSON = JSON.getNodeFactory().missingNode();

    private final Map<Response, JsonNode> parsed = new IdentityHashMap<>();
    /** Each response's text by part (and lower-cased, key prefixed "ci:"): decoded once, not per matcher. */
    private final Map<Response, Map<String, String>> texts = new IdentityHashMap<>();

    /** Whether the matcher holds on the response (negative already applied); false for a missing response. */
    boolean holds(Rule.Matcher m, Response r) {
        if (r == null) {
            return false;
        }
        boolean result = positive(m, r);
        return Boolean.TRUE.equals(m.negative()) != result;
    }

    private boolean positive(Rule.Matcher m, Response r) {
        if (m.status() != null && !m.status().contains(r.status())) {
            return false;
        }
        boolean ci = Boolean.TRUE.equals(m.caseInsensitive());
        String text = part(r, m.part());
        String hay = ci ? lowerPart(r, m.part()) : text;
        if (m.words() != null) {
            for (String w : m.words()) {
                if (!hay.contains(ci ? w.toLowerCase(Locale.ROOT) : w)) {
                    return false;
                }
            }
        }
        if (m.anyWords() != null) {
            boolean any = false;
            for (String w : m.anyWords()) {
                any |= hay.contains(ci ? w.toLowerCase(Locale.ROOT) : w);
            }
            if (!any) {
                return false;
            }
        }
        if (m.equals() != null) {
            String want = ci ? m.equals().toLowerCase(Locale.ROOT) : m.equals();
            if (!hay.trim().equals(want.trim())) {
                return false;
            }
        }
        if (m.regex() != null && !m.regex().pattern().matcher(text).find()) {
            return false;
        }
        if (m.header() != null && !header(m.header(), r)) {
            return false;
        }
        if (m.json() != null) {
            JsonNode root = json(r);
            for (Rule.JsonCheck j : m.json()) {
                if (!jsonCheck(j, root)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean header(Rule.HeaderCheck h, Response r) {
        List<String> values = r.headers().get(h.name().toLowerCase(Locale.ROOT));
        if (Boolean.TRUE.equals(h.absent())) {
            return values == null || values.isEmpty();
        }
        if (values == null || values.isEmpty()) {
            return false;
        }
        for (String v : values) {
            boolean ok = true;
            if (h.words() != null) {
                for (String w : h.words()) {
                    ok &= v.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT));
                }
            }
            if (h.regex() != null) {
                ok &= h.regex().pattern().matcher(v).find();
            }
            if (ok) {
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

    /** Every node at a pointer; {@code *} as a segment stands for every element or field. */
    static List<JsonNode> select(JsonNode root, String path) {
        List<JsonNode> out = new ArrayList<>();
        if (root == null || root.isMissingNode()) {
            return out;
        }
        select(root, path.isEmpty() ? new String[0] : path.substring(1).split("/", -1), 0, out);
        return out;
    }

    private static void select(JsonNode node, String[] segs, int i, List<JsonNode> out) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (i == segs.length) {
            out.add(node);
            return;
        }
        String seg = segs[i].replace("~1", "/").replace("~0", "~");
        if (seg.equals("*")) {
            if (node.isArray() || node.isObject()) {
                node.elements().forEachRemaining(child -> select(child, segs, i + 1, out));
            }
            return;
        }
        if (node.isArray()) {
            try {
                select(node.get(Integer.parseInt(seg)), segs, i + 1, out);
            } catch (NumberFormatException e) {
                // an object key on an array: nothing there
            }
            return;
        }
        if (node.isObject()) {
            select(node.get(seg), segs, i + 1, out);
        }
    }

    private static boolean jsonCheck(Rule.JsonCheck j, JsonNode root) {
        List<JsonNode> nodes = select(root, j.path());
        if (Boolean.TRUE.equals(j.absent())) {
            return nodes.isEmpty();
        }
        if (nodes.isEmpty()) {
            return false;
        }
        for (JsonNode n : nodes) {
            if (oneNode(j, n)) {
                return true;
            }
        }
        return false;
    }

    private static boolean oneNode(Rule.JsonCheck j, JsonNode n) {
        if (j.equals() != null && !j.equals().equals(n)) {
            return false;
        }
        if (j.regex() != null && !j.regex().pattern().matcher(n.isValueNode() ? n.asText() : n.toString()).find()) {
            return false;
        }
        if (j.type() != null && !typeOf(n).equals(j.type())) {
            return false;
        }
        if (j.keys() != null) {
            if (!n.isObject()) {
                return false;
            }
            for (String k : j.keys()) {
                if (!n.has(k)) {
                    return false;
                }
            }
        }
        if (j.onlyKeys() != null) {
            if (!n.isObject() || n.size() != j.onlyKeys().size()) {
                return false;
            }
            for (String k : j.onlyKeys()) {
                if (!n.has(k)) {
                    return false;
                }
            }
        }
        return true;
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

    String part(Response r, String part) {
        String p = part == null ? "body" : part;
        Map<String, String> byPart = texts.computeIfAbsent(r, x -> new java.util.HashMap<>());
        String t = byPart.get(p);
        if (t == null) {
            t = switch (p) {
                case "headers" -> r.headerText();
                case "all" -> "HTTP " + r.status() + "\n" + r.headerText() + "\n" + part(r, "body");
                default -> r.text();
            };
            byPart.put(p, t);
        }
        return t;
    }

    private String lowerPart(Response r, String part) {
        String p = part == null ? "body" : part;
        String text = part(r, p);
        return texts.get(r).computeIfAbsent("ci:" + p, k -> text.toLowerCase(Locale.ROOT));
    }

    /** A version from the extractor, or null. */
    String extract(Rule.Extract x, Response r) {
        if (r == null) {
            return null;
        }
        String value = null;
        if (x.json() != null) {
            List<JsonNode> nodes = select(json(r), x.json());
            if (!nodes.isEmpty() && nodes.get(0).isValueNode() && !nodes.get(0).isNull()) {
                value = nodes.get(0).asText();
            }
        } else {
            String text = x.header() != null ? r.header(x.header()) : part(r, x.part());
            if (text != null && x.regex() != null) {
                Matcher m = x.regex().pattern().matcher(text);
                value = firstGroup(m);
                if (value != null && x.base64() != null) {
                    value = decodedMatch(value, x.base64());
                }
            } else {
                value = text;
            }
        }
        if (value == null) {
            return null;
        }
        value = value.trim();
        if (x.strip() != null && value.startsWith(x.strip())) {
            value = value.substring(x.strip().length());
        }
        return value.isEmpty() || value.length() > 80 ? null : value;
    }

    /** Group 1 (or the whole match) of {@code then} in the base64 decoding of {@code encoded}; null if either fails. */
    static String decodedMatch(String encoded, Regex then) {
        String decoded;
        try {
            decoded = new String(java.util.Base64.getMimeDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return firstGroup(then.pattern().matcher(decoded));
    }

    /** Group 1 of the first match (the whole match when the regex has no group), or null. */
    private static String firstGroup(Matcher m) {
        return m.find() ? (m.groupCount() >= 1 ? m.group(1) : m.group()) : null;
    }

    /** A short, printable piece of the response supporting a matcher, for evidence. */
    String snippet(Rule.Matcher m, Response r) {
        String text = part(r, m.part());
        String found = null;
        if (m.regex() != null) {
            Matcher x = m.regex().pattern().matcher(text);
            if (x.find()) {
                found = x.group();
            }
        }
        if (found == null && m.words() != null && !m.words().isEmpty()) {
            found = around(text, m.words().get(0));
        }
        if (found == null && m.anyWords() != null) {
            for (String w : m.anyWords()) {
                if (text.contains(w)) {
                    found = around(text, w);
                    break;
                }
            }
        }
        if (found == null && m.header() != null) {
            String v = r.header(m.header().name());
            found = v == null ? null : m.header().name() + ": " + v;
        }
        if (found == null && m.json() != null && !m.json().isEmpty()) {
            List<JsonNode> nodes = select(json(r), m.json().get(0).path());
            found = nodes.isEmpty() ? null : m.json().get(0).path() + " = " + nodes.get(0);
        }
        if (found == null) {
            found = text;
        }
        return clean(found, 160);
    }

    /**
     * The text around the first {@code word}: about 30 characters either side, widened or narrowed
     * to whole words (never "ps://github.com/…" for a URL cut in its scheme), with an ellipsis where
     * text was left out.
     */
    static String around(String text, String word) {
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
