package org.aiscan.cli;

import org.aiscan.probe.Cancellation;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM end a scan cleanly: the first one cancels (results so far are written and
 * the summary says why it stopped); a second one exits at once.
 */
final class Signals {
    private Signals() {
    }

    static void cancelOn(Cancellation cancel) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    if (cancel.isCancelled()) {
                        Runtime.getRuntime().halt(128 + sig.getNumber());
                    }
                    cancel.cancel(name.equals("INT") ? "interrupted" : "terminated");
                });
            } catch (IllegalArgumentException e) {
                // signal not available on this platform: the JVM's default handling stays
            }
        }
    }
}
