package org.aiscan.fingerprint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A comparable version as AI projects print them: {@code 0.10.1.1}, {@code v2.29.0 (a1b2c3d)},
 * {@code 1.83.7-stable}, {@code 3.1.0rc17}, {@code 0.5.0.post2}, llama.cpp's {@code b3561} or
 * {@code b6123-1a2b3c4d}. Numeric parts compare numerically; a pre-release (a, b, rc, alpha, beta,
 * dev, -pre) sorts before its release and a post-release after it; build metadata is ignored.
 */
public final class Version implements Comparable<Version> {
    private static final Pattern LEADING = Pattern.compile("^[vV]?(\\d+(?:\\.\\d+)*)(.*)$");
    private static final Pattern BUILD = Pattern.compile("^b(\\d+)(?:[-+].*)?$");
    private static final Pattern QUALIFIER = Pattern.compile("[._-]?(alpha|beta|rc|pre|dev|post|a|b|c)\\.?(\\d*)");

    private final long[] numbers;
    private final int phase; // -1 pre-release, 0 release, +1 post-release
    private final long phaseNumber;
    private final String text;

    private Version(long[] numbers, int phase, long phaseNumber, String text) {
        this.numbers = numbers;
        this.phase = phase;
        this.phaseNumber = phaseNumber;
        this.text = text;
    }

    /** Parses, or returns null when the text holds no version number. */
    public static @Nullable Version parse(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        int space = s.indexOf(' ');
        if (space > 0) {
            s = s.substring(0, space); // "v2.29.0 (a1b2c3d)"
        }
        Matcher b = BUILD.matcher(s);
        if (b.matches()) {
            return new Version(new long[] {Long.parseLong(b.group(1))}, 0, 0, raw.trim());
        }
        Matcher m = LEADING.matcher(s);
        if (!m.matches()) {
            return null;
        }
        String[] parts = m.group(1).split("\\.");
        long[] n = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                n[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        int phase = 0;
        long phaseNumber = 0;
        String rest = m.group(2).toLowerCase(Locale.ROOT);
        Matcher q = QUALIFIER.matcher(rest);
        if (q.lookingAt()) {
            String tag = q.group(1);
            phase = tag.equals("post") ? 1 : -1;
            phaseNumber = q.group(2).isEmpty() ? 0 : Long.parseLong(q.group(2));
        }
        return new Version(n, phase, phaseNumber, raw.trim());
    }

    @Override
    public int compareTo(Version o) {
        int len = Math.max(numbers.length, o.numbers.length);
        for (int i = 0; i < len; i++) {
            long a = i < numbers.length ? numbers[i] : 0;
            long b = i < o.numbers.length ? o.numbers[i] : 0;
            if (a != b) {
                return Long.compare(a, b);
            }
        }
        if (phase != o.phase) {
            return Integer.compare(phase, o.phase);
        }
        return Long.compare(phaseNumber, o.phaseNumber);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(trimmed()) * 31 + phase * 7 + (int) phaseNumber;
    }

    private long[] trimmed() {
        int n = numbers.length;
        while (n > 1 && numbers[n - 1] == 0) {
            n--;
        }
        return java.util.Arrays.copyOf(numbers, n);
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * A set of versions: comparisons joined by {@code ,} (and) and alternatives by {@code ||} (or),
     * e.g. {@code >= 0.3.0, < 0.22.0} or {@code < 3.38 || >= 4.0.0, < 4.0.5}.
     */
    public static final class Range {
        private record Bound(String op, Version v) {
        }

        private final List<List<Bound>> any;
        private final String text;

        private Range(List<List<Bound>> any, String text) {
            this.any = any;
            this.text = text;
        }

        /** Parses a range; throws IllegalArgumentException with the reason. */
        public static Range parse(String text) {
            List<List<Bound>> any = new ArrayList<>();
            for (String alt : text.split("\\|\\|")) {
                List<Bound> all = new ArrayList<>();
                for (String c : alt.split(",")) {
                    String t = c.trim();
                    Matcher m = Pattern.compile("^(<=|>=|==|!=|<|>|=)\\s*(\\S+)$").matcher(t);
                    if (!m.matches()) {
                        throw new IllegalArgumentException("bad version constraint '" + t + "': expected an operator (< <= > >= ==) and a version");
                    }
                    Version v = Version.parse(m.group(2));
                    if (v == null) {
                        throw new IllegalArgumentException("bad version '" + m.group(2) + "' in '" + t + "'");
                    }
                    all.add(new Bound(m.group(1).equals("=") ? "==" : m.group(1), v));
                }
                any.add(all);
            }
            return new Range(any, text.trim());
        }

        public boolean contains(Version v) {
            for (List<Bound> all : any) {
                boolean ok = true;
                for (Bound b : all) {
                    int c = v.compareTo(b.v());
                    ok &= switch (b.op()) {
                        case "<" -> c < 0;
                        case "<=" -> c <= 0;
                        case ">" -> c > 0;
                        case ">=" -> c >= 0;
                        case "==" -> c == 0;
                        case "!=" -> c != 0;
                        default -> false;
                    };
                }
                if (ok) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
