package org.aiscan.fingerprint;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What must never be sent, read from {@code rulesets/safety.yaml}: paths that look harmless but run a
 * generation or change state on some product (research/fingerprints.md §1.2), the only raw payloads
 * allowed, and ordering guards (a path sent only after another request has ruled a product out).
 * Enforced twice: {@code aiscan rules lint} rejects a rule that names a forbidden request, and the
 * fingerprinter refuses to send one.
 */
public record SafetyPolicy(List<Never> never, List<String> rawPayloads, @Nullable List<Order> order) {
    /** A forbidden path ({@code path}, exact) or family ({@code prefix}), with why. */
    public record Never(@Nullable String path, @Nullable String prefix, @Nullable String why) {
        boolean matches(String p) {
            String norm = normalise(p);
            return (path != null && normalise(path).equals(norm)) || (prefix != null && norm.startsWith(normalise(prefix)));
        }
    }

    /**
     * {@code path} is sent only after every request in {@code after}, never once a rule in
     * {@code unlessIdentified} matched, and, with {@code unlessProduct}, never once any product rule
     * identified the endpoint.
     */
    public record Order(String path, @Nullable List<String> after, @Nullable List<String> unlessIdentified, Boolean unlessProduct, String why) {
        public Order {
            after = after == null ? List.of() : List.copyOf(after);
            unlessIdentified = unlessIdentified == null ? List.of() : List.copyOf(unlessIdentified);
        }
    }

    public SafetyPolicy {
        never = List.copyOf(never);
        rawPayloads = List.copyOf(rawPayloads);
        order = order == null ? List.of() : List.copyOf(order);
    }

    /** Why a GET of {@code path} is forbidden, or null if it is allowed. */
    public @Nullable String forbidden(String path) {
        for (Never n : never) {
            if (n.matches(path)) {
                return n.why();
            }
        }
        return null;
    }

    public boolean rawAllowed(String payload) {
        return rawPayloads.contains(payload);
    }

    /** The query and a trailing slash do not change which handler runs; the comparison ignores them. */
    static String normalise(String p) {
        String s = p;
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
