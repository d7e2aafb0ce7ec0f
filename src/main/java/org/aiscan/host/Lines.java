package org.aiscan.host;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Text split into lines with limits, so a hostile or huge input costs bounded memory: at most
 * {@link #MAX_LINES} lines and {@link #MAX_LINE} characters per line are kept; what is cut is said.
 */
final class Lines {
    static final int MAX_LINES = 400_000;
    static final int MAX_LINE = 16_384;

    final List<String> lines;
    final boolean truncated;

    private Lines(List<String> lines, boolean truncated) {
        this.lines = lines;
        this.truncated = truncated;
    }

    static Lines of(@Nullable String text) {
        List<String> out = new ArrayList<>();
        boolean cut = false;
        if (text == null) {
            return new Lines(out, false);
        }
        int i = 0;
        int n = text.length();
        while (i < n) {
            int j = text.indexOf('\n', i);
            if (j < 0) {
                j = n;
            }
            if (out.size() >= MAX_LINES) {
                cut = true;
                break;
            }
            String line = text.substring(i, Math.min(j, i + MAX_LINE));
            if (j - i > MAX_LINE) {
                cut = true;
            }
            out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            i = j + 1;
        }
        return new Lines(out, cut);
    }
}
