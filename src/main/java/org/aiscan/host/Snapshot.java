package org.aiscan.host;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code aiscan collect} gathered on one host: every source's raw output and how it ended.
 * Parsing is separate ({@link HostView}) and repeatable, so the audit always cites the raw lines.
 *
 * @param schema {@value #SCHEMA}
 * @param hostname the host's name
 * @param collected when
 * @param aiscanVersion the collector's version
 * @param root whether it ran with root privileges
 * @param sources every command and file read
 */
public record Snapshot(String schema, String hostname, Instant collected, String aiscanVersion, boolean root, List<Source> sources) {
    public static final String SCHEMA = "aiscan-snapshot/1";

    public Snapshot {
        sources = List.copyOf(sources);
    }

    /**
     * One source.
     *
     * @param name a fixed name: {@code ss-tcp}, {@code iptables-nft-v4}, {@code ufw-verbose}, {@code nft}, …
     * @param command what ran (or {@code cat FILE})
     * @param status ok, empty, missing (tool not installed), denied (needs root), timeout, error
     * @param exitCode the exit code, -1 when it did not run
     * @param millis how long it took
     * @param stdout its output (capped)
     * @param stderr its error output (capped)
     * @param note one line about it for people (why missing, what needs root, truncation)
     */
    public record Source(String name, List<String> command, String status, int exitCode, long millis, @Nullable String stdout, @Nullable String stderr,
                         @Nullable String note) {
        public Source {
            command = List.copyOf(command);
        }

        public boolean ok() {
            return status.equals("ok");
        }
    }

    public @Nullable Source source(String name) {
        for (Source s : sources) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The output of a source that ran, or null. */
    public @Nullable String text(String name) {
        Source s = source(name);
        return s == null || !(s.ok() || s.status().equals("empty")) ? null : s.stdout();
    }
}
