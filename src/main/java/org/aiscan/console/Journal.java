package org.aiscan.console;

/**
 * Syslog priority prefixes ({@code <3>} error, {@code <4>} warning, {@code <6>} info) for lines on
 * stderr when systemd connects it to the journal ({@code JOURNAL_STREAM} is set): journald turns
 * them into the record's priority, so {@code journalctl -p warning -u aiscan} shows what matters.
 * On a terminal, in cron mail or in a file the lines stay plain.
 */
public final class Journal {
    public static final String ERROR = "<3>";
    public static final String WARNING = "<4>";
    public static final String INFO = "<6>";

    private static final boolean ON = System.getenv("JOURNAL_STREAM") != null && System.getenv("AISCAN_NO_JOURNAL") == null;

    private Journal() {
    }

    /** The prefix for a line of this priority, or "" when stderr does not go to the journal. */
    public static String prefix(String priority) {
        return ON ? priority : "";
    }
}
