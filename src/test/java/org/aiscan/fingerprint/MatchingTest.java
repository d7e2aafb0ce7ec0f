package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Evidence snippets: whole words, an ellipsis where text was left out, printable, surrogate pairs kept
 * whole; versions decoded from base64.
 */
class MatchingTest {
    @Test
    void aSnippetStartsAndEndsOnWordsNotInsideAUrl() {
        String body = "<p>Docs at https://github.com/open-webui/open-webui and more words here; the version is 0.6.5 of Open WebUI, "
                + "released for everyone who runs it.</p>";
        String s = Matching.around(body, "Open WebUI");
        assertTrue(s.startsWith("…"), s);
        String first = s.substring(1).split(" ")[0];
        assertTrue(body.contains(" " + first + " "), "starts on a whole word: " + s);
        assertTrue(s.endsWith("…"), s);
        String last = s.substring(0, s.length() - 1);
        last = last.substring(last.lastIndexOf(' ') + 1);
        assertTrue(body.contains(" " + last + " "), "ends on a whole word: " + s);
        assertTrue(s.contains("Open WebUI"));
    }

    @Test
    void aShortTextIsWholeWithoutEllipsis() {
        assertEquals("ollama is running", Matching.around("ollama is running", "ollama"));
    }

    @Test
    void oneLongWordIsCutOnlyWhereItMustBe() {
        String url = "x".repeat(100) + "NEEDLE" + "y".repeat(100);
        String s = Matching.around(url, "NEEDLE");
        assertTrue(s.contains("NEEDLE"), s);
    }

    @Test
    void cleanKeepsPairsDropsLoneSurrogatesAndSaysWhatWasCut() {
        assertEquals("a?b", Matching.clean("a\ud800b", 10));
        assertEquals("\ud83d\ude00x", Matching.clean("\ud83d\ude00x", 10));
        assertEquals("ab…", Matching.clean("ab\ud83d\ude00", 3), "a pair that does not fit is left out, not split");
        assertEquals("a b", Matching.clean("a \n\t b   ", 10), "whitespace folded, trailing whitespace is not 'more'");
        assertEquals("a?b", Matching.clean("a\u001bb", 10));
    }

    @Test
    void aVersionInsideBase64IsDecodedAndMatched() {
        java.util.regex.Pattern release = java.util.regex.Pattern.compile("\"release\":\"n8n@([^\"]+)\"");
        String meta = java.util.Base64.getEncoder().encodeToString(
                "{\"dsn\":\"\",\"environment\":\"production\",\"release\":\"n8n@2.40.7\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("2.40.7", Matching.decodedMatch(meta, release));
        assertEquals(null, Matching.decodedMatch("not base64 !!", release), "garbage is no version");
        assertEquals(null, Matching.decodedMatch(java.util.Base64.getEncoder().encodeToString("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)), release));
    }
}
