package org.aiscan.model;

import java.util.Objects;

/**
 * A remediation snippet ready to show: what it does, which bundle file it lives in, its text.
 *
 * @param title one line: "Publish vLLM on loopback only"
 * @param file the bundle file holding it ({@code ufw.sh}, {@code iptables.rules}, …)
 * @param text the lines to review and apply
 */
public record Fix(String title, String file, String text) {
    public Fix {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
    }
}
