package org.aiscan.trace;

import java.lang.management.ManagementFactory;

/**
 * Start-up and phase timing for whoever tunes aiscan: with {@code AISCAN_TRACE=1} each mark prints
 * the milliseconds since the JVM started to stderr. Costs nothing otherwise.
 */
public final class Trace {
    private static final boolean ON = System.getenv("AISCAN_TRACE") != null;
    private static long originNanos;

    private Trace() {
    }

    /**
     * Prints one mark. The JVM's uptime is asked for once (the management classes cost tens of
     * milliseconds to load); later marks add the monotonic time since, so tracing does not distort the
     * intervals it measures.
     */
    public static synchronized void mark(String what) {
        if (ON) {
            long now = System.nanoTime();
            if (originNanos == 0) {
                originNanos = now - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
            }
            System.err.printf("trace: %6d ms  %s%n", (now - originNanos) / 1_000_000L, what);
        }
    }
}
