package org.aiscan.model;

/** Where a piece of text sits in a file's text, for {@code file:line} messages and evidence. */
public final class TextLines {
    private TextLines() {
    }

    /**
     * The 1-based number of the first line at or after line {@code from} (0-based count of lines to
     * skip) that contains {@code needle}, or 0 when none does (or there is no text).
     */
    public static int lineOf(String text, String needle, int from) {
        if (text == null || needle == null) {
            return 0;
        }
        String[] lines = text.split("\n", -1);
        for (int i = Math.max(0, from); i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        return 0;
    }
}
