package org.aiscan.model;

import java.util.BitSet;

/**
 * TCP ports written as numbers and ranges, the nmap syntax without groups: {@code 22,8000-8002,11434}
 * (also {@code -1024}, {@code 60000-} and {@code -} for all). It is how a run records its port list
 * ({@link ScanRun#ports()}); the command line's {@code -p} adds group names and the {@code T:} prefix
 * around it ({@code target.PortSpec}).
 */
public final class PortRanges {
    private PortRanges() {
    }

    /** The ports of a list in this syntax; an {@link InvalidInputException} names the first bad item. */
    public static BitSet parse(String text) {
        BitSet set = new BitSet(65536);
        for (String item : text.split(",", -1)) {
            add(item.trim(), item.trim(), set);
        }
        return set;
    }

    /** How many ports a list in this syntax holds. */
    public static int count(String text) {
        return parse(text).cardinality();
    }

    /**
     * Adds one item, {@code 80} or a range, to {@code into}; {@code item} is how the user wrote it (with
     * a prefix the caller removed), for the message.
     */
    public static void add(String range, String item, BitSet into) {
        int dash = range.indexOf('-');
        int lo;
        int hi;
        if (dash < 0) {
            lo = hi = port(range, item);
        } else {
            String a = range.substring(0, dash);
            String b = range.substring(dash + 1);
            lo = a.isEmpty() ? 1 : port(a, item);
            hi = b.isEmpty() ? 65535 : port(b, item);
            if (lo > hi) {
                throw new InvalidInputException("bad port range '" + item + "': " + lo + " is after " + hi);
            }
        }
        into.set(lo, hi + 1);
    }

    private static int port(String s, String item) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException("bad port '" + item + "': expected a number 1-65535, a range like 8000-8100, or a group name");
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
            throw new InvalidInputException("bad port '" + item + "': ports are 1-65535");
        }
        return p;
    }

    /** Sorted distinct ports written short, runs of consecutive ports as ranges: {@code 22,8000-8002,11434}. */
    public static String format(int[] sortedDistinct) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sortedDistinct.length; ) {
            int j = i;
            while (j + 1 < sortedDistinct.length && sortedDistinct[j + 1] == sortedDistinct[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(sortedDistinct[i]);
            if (j > i) {
                sb.append('-').append(sortedDistinct[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
