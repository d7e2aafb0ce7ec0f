package org.aiscan.probe.connect;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The open-files limit, which bounds how many connects can be in flight. HotSpot on Linux already
 * raises the soft limit to the hard limit at start-up, so what is reported here is the ceiling
 * this process can reach without privileges.
 */
final class FdLimits {
    /** Descriptors kept free for jars, output files, the selector and the JDK's own needs. */
    static final int RESERVE = 256;

    private FdLimits() {
    }

    /** The process's open-files limit, or -1 if the platform does not say. */
    static long max() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return u.getMaxFileDescriptorCount();
        }
        return -1;
    }

    static long open() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return u.getOpenFileDescriptorCount();
        }
        return 0;
    }

    /** How many sockets may be open at once, given what is requested. */
    static int usable(int requested) {
        long max = max();
        if (max < 0) {
            return requested;
        }
        long free = max - open() - RESERVE;
        return (int) Math.max(1, Math.min(requested, free));
    }
}
