package org.aiscan.cli;

import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.aiscan.target.TargetGuard;

/** The destinations of {@code collect --ssh}: their host part, the snapshot file each gets, the network guard. */
final class SshTargets {
    private SshTargets() {
    }

    /** The host of {@code [user@]host} or {@code ssh://[user@]host[:port]} ({@code [v6]} in the URI form). */
    static String host(String dest) {
        boolean uri = dest.startsWith("ssh://");
        String d = uri ? dest.substring("ssh://".length()) : dest;
        int at = d.lastIndexOf('@');
        d = at >= 0 ? d.substring(at + 1) : d;
        if (uri) {
            if (d.startsWith("[")) {
                int close = d.indexOf(']');
                return close < 0 ? d : d.substring(1, close);
            }
            int colon = d.indexOf(':');
            d = colon >= 0 ? d.substring(0, colon) : d;
        }
        return d;
    }

    /** {@code <host>.json}, with the port of an ssh:// destination when it has one. */
    static String fileName(String dest) {
        String host = host(dest);
        String port = "";
        if (dest.startsWith("ssh://")) {
            String rest = dest.substring(dest.indexOf(host) + host.length()).replace("]", "");
            if (rest.startsWith(":") && rest.substring(1).matches("\\d+")) {
                port = "-" + rest.substring(1);
            }
        }
        return (host + port).replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }

    /**
     * Refuses a destination that cannot be a host, and, when {@value TargetGuard#ENV} restricts where
     * aiscan may send, one that is not an address inside it (a name would need a lookup first).
     */
    static void check(String dest) {
        String host = host(dest);
        if (host.isEmpty() || dest.startsWith("-") || host.startsWith("-") || dest.chars().anyMatch(c -> c <= ' ')) {
            throw new InvalidInputException("--ssh " + dest + ": not an ssh destination ([user@]host or ssh://[user@]host[:port])");
        }
        TargetGuard guard = ScanConfig.guard(System.getenv());
        if (!guard.restricted()) {
            return;
        }
        Address a;
        try {
            a = Address.parse(host);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--ssh " + dest + ": " + TargetGuard.ENV + " is set, so give an IP address (a name is not "
                    + "checked against it)");
        }
        if (!guard.allows(a)) {
            throw new InvalidInputException("--ssh " + dest + ": " + a + " is outside " + TargetGuard.ENV + "=" + guard.describe());
        }
    }
}
