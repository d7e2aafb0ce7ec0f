package org.aiscan.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Quoting for the remote shell: what sh reads back is the word itself. */
class SshShellTest {
    @Test
    void aQuotedWordIsReadBackUnchanged() throws Exception {
        for (String w : List.of("plain", "it's", "$(reboot)", "a b\tc", "'", "\\\"", "{{json .}}", "")) {
            Shell.Result r = LocalShell.run(new ProcessBuilder("sh", "-c", "printf %s " + SshShell.quote(w)), 10_000);
            assertEquals(w, new String(r.out(), java.nio.charset.StandardCharsets.UTF_8), w);
        }
    }
}
