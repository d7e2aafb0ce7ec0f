package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Evidence never carries what a server gave away as a secret; names made of words stay readable. */
class RedactionTest {
    @Test
    void tokensKeysAndLongBase64AreRedacted() {
        assertEquals("window.__INSPECTOR_API_TOKEN__ = \"[redacted]\"",
                Description.redact("window.__INSPECTOR_API_TOKEN__ = \"6fa048f395786b6667d789de12ee8bde447b361f6b06c8bf0280ce36556acd52\""));
        assertEquals("key [redacted] here", Description.redact("key sk-proj-Abc123def456GHI789jkl012 here"));
        assertEquals("[redacted]", Description.redact("hf_AbCdEfGhIjKlMnOpQrStUvWx"));
        assertEquals("x [redacted]", Description.redact("x eyJkc24iOiIiLCJlbnZpcm9ubWVudCI6InByb2R1Y3Rpb24iLCJyZWxlYXNlIjoibjhuQDIuNDAuNyJ9"));
    }

    @Test
    void modelNamesVersionsAndPathsStay() {
        for (String s : new String[] {"models: gpt-4o, claude-sonnet-4", "models: Meta-Llama-3.1-8B-Instruct-Q4_K_M, bge-m3",
                "b1-de3ff81", "/__openclaw__/control-ui-config.json", "mistralai/Mixtral-8x7B-Instruct-v0.1-GPTQ-4bit-128g-actorder_True",
                "2026.9.6-release-eb377ac59e6c"}) {
            assertEquals(s, Description.redact(s));
        }
    }
}
