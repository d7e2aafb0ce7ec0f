package org.aiscan.target;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.jspecify.annotations.Nullable;

/**
 * The last check before a packet leaves: when the environment variable {@code AISCAN_ALLOWED_NETS}
 * (read by the command line, which hands the guard to the engines and the grabber) holds a
 * comma-separated list of CIDR blocks (tests and CI set it to loopback and the benchmark
 * ranges), every destination outside them is refused with an exception, whatever the target
 * parser produced. Without the variable every destination is allowed (exclusions still apply).
 */
public final class TargetGuard {
    public static final String ENV = "AISCAN_ALLOWED_NETS";

    private final @Nullable List<Cidr> blocks; // null = no restriction
    private final String text;

    private TargetGuard(@Nullable List<Cidr> blocks, String text) {
        this.blocks = blocks;
        this.text = text;
    }

    /** A guard from CIDR text; null or blank means unrestricted. */
    public static TargetGuard parse(@Nullable String spec) {
        if (spec == null || spec.isBlank()) {
            return new TargetGuard(null, "");
        }
        List<Cidr> out = new ArrayList<>();
        for (String tok : spec.split(",")) {
            String t = tok.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                out.add(Cidr.parse(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENV + ": " + e.getMessage());
            }
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
        for (Cidr b : blocks) {
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
