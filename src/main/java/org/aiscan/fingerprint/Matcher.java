package org.aiscan.fingerprint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A compiled test on one probe's response: every check holds, and {@code negative} inverts the
 * result. A missing response (the probe was never answered) holds for no matcher, negative or not.
 */
public record Matcher(Rule.Probe probe, List<Check> checks, boolean negative) {
    public Matcher {
        checks = List.copyOf(checks);
    }

    /** One check of a matcher. */
    public sealed interface Check permits Status, Contains, ContainsAny, Equals, Matches, Header, Json {
    }

    /** The HTTP status is one of these (0: the answer was not HTTP). */
    public record Status(Set<Integer> any) implements Check {
        public Status {
            any = Set.copyOf(any);
        }
    }

    /** Every word occurs in the part. */
    public record Contains(Part part, List<String> words, boolean ignoreCase) implements Check {
        public Contains {
            words = List.copyOf(words);
        }
    }

    /** At least one word occurs in the part. */
    public record ContainsAny(Part part, List<String> words, boolean ignoreCase) implements Check {
        public ContainsAny {
            words = List.copyOf(words);
        }
    }

    /** The part, trimmed, equals the text. */
    public record Equals(Part part, String text, boolean ignoreCase) implements Check {
    }

    /** The part contains a match of the regex. */
    public record Matches(Part part, Pattern regex) implements Check {
    }

    /**
     * A header is present (or, with {@code absent}, is not) and one of its values contains every word
     * (case-insensitively) and matches the regex, where given.
     */
    public record Header(String name, List<String> words, @Nullable Pattern regex, boolean absent) implements Check {
        public Header {
            words = List.copyOf(words);
        }
    }

    /** The body parsed as JSON passes one test at a path. */
    public record Json(JsonPath path, JsonTest test) implements Check {
    }

    /**
     * A test on the nodes at a JSON path. {@link Absent} holds when there is no node; the others hold
     * when at least one node passes every given part.
     *
     * @param equals the node equals this JSON value, or null
     * @param regex the node's text form matches, or null
     * @param type object, array, string, number, boolean or null; or null for any
     * @param keys an object holding all of these, or null
     * @param onlyKeys an object holding exactly these, or null
     */
    public sealed interface JsonTest permits Absent, Node {
    }

    /** Nothing is at the path. */
    public record Absent() implements JsonTest {
    }

    /** Something at the path passes every given part ({@code exists: true} is a Node test with none given). */
    public record Node(@Nullable JsonNode equals, @Nullable Pattern regex, @Nullable String type, @Nullable List<String> keys, @Nullable List<String> onlyKeys) implements JsonTest {
        public Node {
            keys = keys == null ? null : List.copyOf(keys);
            onlyKeys = onlyKeys == null ? null : List.copyOf(onlyKeys);
        }
    }
}
