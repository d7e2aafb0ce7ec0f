package org.aiscan.target;

import java.io.BufferedReader;
import java.io.IOException;
import org.aiscan.model.InvalidInputException;

/**
 * The line format of aiscan's data files ({@code exclude.conf}, port groups, {@code -iL} lists):
 * one item per line, {@code #} starts a comment, blank lines are skipped. An item the handler
 * rejects is reported as {@code label:line: why}.
 */
final class DataLines {
    /** Takes one item: its line number, the text before {@code #} (trimmed) and the comment after it. */
    @FunctionalInterface
    interface Handler {
        void item(int line, String body, String comment);
    }

    private DataLines() {
    }

    static void read(BufferedReader r, String label, Handler h) throws IOException {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            int hash = line.indexOf('#');
            String body = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (body.isEmpty()) {
                continue;
            }
            try {
                h.item(n, body, hash >= 0 ? line.substring(hash + 1).trim() : "");
            } catch (InvalidInputException e) {
                throw new InvalidInputException(label + ":" + n + ": " + e.getMessage());
            }
        }
    }
}
