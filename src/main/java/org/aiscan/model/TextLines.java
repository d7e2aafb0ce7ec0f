package org.aiscan.model;

import org.jspecify.annotations.Nullable;

/** Where a piece of text sits in a file's text, for {@code file:line} messages and evidence. */
public final class TextLines {
    private TextLines() {
    }

    /**
     * The 1-based number of the first line at or after line {@code from} (0-based count of lines to
     * skip) that contains {@code needle}, or 0 when none does (or there is no text).
     */
    public static int lineOf(@Nullable String text, @Nullable String needle, int from) {
        if (text == null || needle == null) {
            return 0;
        }
        if (needle.indexOf('\n') >= 0) {
            return 0; // a line cannot contain a line break
        }
        int start = 0;
        int line = 0;
        while (line < from) { // no split: called once per record of files holding hundreds
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                return 0;
            }
            start = nl + 1;
            line++;
        }
        int at = text.indexOf(needle, start);
        if (at < 0) {
            return 0;
        }
        for (int i = text.indexOf('\n', start); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
            line++;
        }
        return line + 1;
    }
}
