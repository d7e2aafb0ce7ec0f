package org.aiscan.fingerprint;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a version comes from, compiled. {@code strip} (possibly empty) is a prefix removed from the
 * value, such as {@code v}.
 */
public record Extractor(Rule.Probe probe, Source source, String strip) {

    /** The kinds of source. */
    public sealed interface Source permits AtJson, InHeader, InText {
    }

    /** The value at a JSON path (the first node; a scalar). */
    public record AtJson(JsonPath path) implements Source {
    }

    /** A header's first value, or group 1 of a regex over it when {@code regex} is not null. */
    public record InHeader(String name, @Nullable Pattern regex) implements Source {
    }

    /**
     * Group 1 of a regex over a part of the response. With {@code base64} not null, what the regex
     * captured is base64 text: it is decoded and group 1 of this second regex is the value (n8n 2.x
     * carries its release only in a base64 meta tag of the editor page).
     */
    public record InText(Part part, Pattern regex, @Nullable Pattern base64) implements Source {
    }
}
