package org.aiscan.console;

import java.lang.management.ManagementFactory;

/**
 * Start-up and phase timing for whoever tunes aiscan: with {@code AISCAN_TRACE=1} each mark prints
 * the milliseconds since the JVM started to stderr. Costs nothing otherwise.
 */
public final class Trace {
    private static final boolean ON = System.getenv("AISCAN_TRACE") != null;

    private Trace() {
    }

    public static void mark(String what) {
        if (ON) {
            System.err.printf("trace: %6d ms  %s%n", ManagementFactory.getRuntimeMXBean().getUptime(), what);
        }
    }
}
