package org.aiscan.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Line numbers of text in a file: the same answers as splitting the file into lines and looking. */
class TextLinesTest {
    /** What lineOf means, written the obvious (and slow: a split per call) way. */
    private static int byLines(String text, String needle, int from) {
        String[] lines = text.split("\n", -1);
        for (int i = Math.max(0, from); i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        return 0;
    }

    @Test
    void examples() {
        String text = "id: a\n  \"CVE-1\"\n\n\"CVE-2\" x\n\"CVE-1\"";
        assertEquals(2, TextLines.lineOf(text, "\"CVE-1\"", 0));
        assertEquals(5, TextLines.lineOf(text, "\"CVE-1\"", 2), "the first at or after line 3");
        assertEquals(4, TextLines.lineOf(text, "CVE-2", 0));
        assertEquals(0, TextLines.lineOf(text, "CVE-3", 0));
        assertEquals(0, TextLines.lineOf(text, "x\n\"", 0), "a needle over a line break matches no line");
        assertEquals(0, TextLines.lineOf(text, "id", 9), "past the end");
        assertEquals(0, TextLines.lineOf(null, "id", 0));
    }

    @Test
    void agreesWithSplittingIntoLinesOnRandomText() {
        Random r = new Random(7);
        String alphabet = "ab\n";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder t = new StringBuilder();
            for (int i = r.nextInt(30); i > 0; i--) {
                t.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            StringBuilder needle = new StringBuilder();
            for (int i = r.nextInt(4); i > 0; i--) {
                needle.append(alphabet.charAt(r.nextInt(2)));
            }
            int from = r.nextInt(8) - 1;
            assertEquals(byLines(t.toString(), needle.toString(), from), TextLines.lineOf(t.toString(), needle.toString(), from),
                    () -> "text " + t.toString().replace("\n", "\\n") + " needle " + needle + " from " + from);
        }
    }
}
