package org.aiscan.fingerprint;

import org.jspecify.annotations.Nullable;

/** Which text of a response a check reads. */
public enum Part {
    /** The body (the raw bytes for a non-HTTP answer), as UTF-8. */
    BODY,
    /** The headers, one {@code name: value} per line, names lower-cased. */
    HEADERS,
    /** {@code HTTP <status>}, the headers, and the body. */
    ALL;

    /** The part a rule file names (null: body), or null when the name is unknown. */
    static @Nullable Part of(@Nullable String key) {
        if (key == null) {
            return BODY;
        }
        for (Part p : values()) {
            if (p.name().equalsIgnoreCase(key)) {
                return p;
            }
        }
        return null;
    }
}
