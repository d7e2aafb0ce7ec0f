package org.aiscan.model;

import org.jspecify.annotations.Nullable;

/**
 * Whether a service asks for credentials: {@code none}, {@code required} or {@code unknown}. A
 * {@link Service} keeps the text it was given (a scan file read back may hold any); {@link
 * Service#access()} reads it as one of these.
 */
public enum Auth {
    NONE, REQUIRED, UNKNOWN;

    public String label() {
        return WireName.of(this);
    }

    @Override
    public String toString() {
        return label();
    }

    /** The state written {@code s}; {@link #UNKNOWN} for null or any other text. */
    public static Auth of(@Nullable String s) {
        Auth a = WireName.parse(Auth.class, s);
        return a == null ? UNKNOWN : a;
    }
}
