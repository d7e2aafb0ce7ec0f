package org.aiscan.host;

import org.jspecify.annotations.Nullable;

/** A line a parser could not read (never silently dropped). */
public record ParseProblem(String source, int line, @Nullable String text, String message) {
    @Override
    public String toString() {
        return source + ":" + line + ": " + message + (text == null || text.isEmpty() ? "" : ": " + abbreviate(text));
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
