package org.aiscan.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How the state enums of the model are written in every output (JSON, JSON Lines, SARIF, CSV,
 * Markdown, HTML, text): the constant's name in lower case with dashes ({@code NOT_OPEN} is
 * {@code not-open}), and back.
 */
final class WireName {
    private WireName() {
    }

    static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant written {@code s}, or null when none is. */
    static <E extends Enum<E>> @Nullable E parse(Class<E> type, @Nullable String s) {
        if (s == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(s)) {
                return e;
            }
        }
        return null;
    }
}
