package org.aiscan.model;

import java.util.Objects;

/**
 * One line a conclusion rests on, cited from a snapshot source or a scan.
 *
 * @param source where it comes from: a snapshot source ({@code iptables-nft-v4}, {@code ufw-numbered},
 *     {@code nft}, {@code ss-tcp}, …) or {@code scan}
 * @param line 1-based line in that source's text, 0 when the fact has no line (a scan result, a policy)
 * @param text the line as printed, or the fact in words
 */
public record EvidenceLine(String source, int line, String text) {
    public EvidenceLine {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ": " + text : source + ": " + text;
    }
}
