package org.aiscan.model;

import org.jspecify.annotations.Nullable;

/**
 * How sure a fingerprint is: {@code high}, {@code medium} or {@code low}. A {@link Service} keeps
 * the text it was given; {@link Service#certainty()} reads it as one of these.
 */
public enum Confidence {
    HIGH, MEDIUM, LOW;

    public String label() {
        return WireName.of(this);
    }

    @Override
    public String toString() {
        return label();
    }

    /** The confidence written {@code s}, or null for null or any other text. */
    public static @Nullable Confidence of(@Nullable String s) {
        return WireName.parse(Confidence.class, s);
    }
}
