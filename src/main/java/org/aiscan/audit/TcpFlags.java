package org.aiscan.audit;

import java.util.Locale;

/** TCP flag names as iptables ({@code SYN,ACK}) and nft ({@code syn|ack}, {@code (fin|syn)}) print them. */
final class TcpFlags {
    /** The flags of the packet the evaluator reasons about: the SYN that opens a connection. */
    static final int SYN = 0x02;

    private TcpFlags() {
    }

    /** The bit set named by {@code s}, or -1 when a name is not a flag. */
    static int parse(String s) {
        int f = 0;
        for (String x : s.replace("(", "").replace(")", "").split("[|,]")) {
            switch (x.trim().toUpperCase(Locale.ROOT)) {
                case "FIN" -> f |= 0x01;
                case "SYN" -> f |= 0x02;
                case "RST" -> f |= 0x04;
                case "PSH" -> f |= 0x08;
                case "ACK" -> f |= 0x10;
                case "URG" -> f |= 0x20;
                case "ECE", "ECN" -> f |= 0x40;
                case "CWR" -> f |= 0x80;
                case "ALL" -> f |= 0x3F;
                case "NONE" -> f |= 0;
                default -> {
                    return -1;
                }
            }
        }
        return f;
    }
}
