package org.aiscan.probe;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;

/**
 * The last check before a packet leaves: when the environment variable {@code AISCAN_ALLOWED_NETS}
 * holds a comma-separated list of CIDR blocks (tests and CI set it to loopback and the benchmark
 * ranges), every destination outside them is refused with an exception, whatever the target
 * parser produced. Without the variable every destination is allowed (exclusions still apply).
 */
public final class TargetGuard {
    public static final String ENV = "AISCAN_ALLOWED_NETS";

    private record Block(boolean v6, long hi, long lo, int prefix) {
        boolean contains(Address a) {
            if (a.isV6() != v6) {
                return false;
            }
            if (!v6) {
                long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
                return (a.lo() & mask) == (lo & mask);
            }
            if (prefix <= 64) {
                long mask = prefix == 0 ? 0 : -1L << (64 - prefix);
                return (a.hi() & mask) == (hi & mask);
            }
            long mask = -1L << (128 - prefix);
            return a.hi() == hi && (a.lo() & mask) == (lo & mask);
        }
    }

    private static final TargetGuard FROM_ENV = parse(System.getenv(ENV));

    private final List<Block> blocks; // null = no restriction
    private final String text;

    private TargetGuard(List<Block> blocks, String text) {
        this.blocks = blocks;
        this.text = text;
    }

    /** The guard configured by the environment. */
    public static TargetGuard fromEnvironment() {
        return FROM_ENV;
    }

    /** A guard from CIDR text; null or blank means unrestricted. */
    public static TargetGuard parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return new TargetGuard(null, "");
        }
        List<Block> out = new ArrayList<>();
        for (String tok : spec.split(",")) {
            String t = tok.trim();
            if (t.isEmpty()) {
                continue;
            }
            int slash = t.indexOf('/');
            Address a = Address.parse(slash < 0 ? t : t.substring(0, slash));
            int max = a.isV6() ? 128 : 32;
            int prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(ENV + ": bad prefix in " + t);
            }
            out.add(new Block(a.isV6(), a.hi(), a.lo(), prefix));
        }
        return new TargetGuard(List.copyOf(out), spec.trim());
    }

    public boolean restricted() {
        return blocks != null;
    }

    public boolean allows(Address a) {
        if (blocks == null) {
            return true;
        }
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Throws if the destination is outside the allowed networks. */
    public void check(Address a) {
        if (!allows(a)) {
            throw new SecurityException("refusing to send to " + a + ": outside " + ENV + "=" + text);
        }
    }

    public String describe() {
        return blocks == null ? "unrestricted" : text;
    }
}
