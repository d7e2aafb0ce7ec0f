package org.aiscan.host;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;

/** Changes to a snapshot that the user states, kept as sources of their own so that evidence names them. */
public final class Snapshots {
    /** The name of the source holding addresses given on the command line. */
    public static final String GIVEN = "--host-address";

    /** The interface the given addresses are put on: its real name is not known. */
    public static final String GIVEN_IFACE = "given";

    private Snapshots() {
    }

    /**
     * The snapshot with the host's addresses as the user gave them ({@code --host-address}), as an
     * {@code ip-addr} source in {@code ip -br addr} form on an interface named {@code given}, in place
     * of a missing or empty one.
     */
    public static Snapshot withAddresses(Snapshot s, List<Address> addresses) {
        StringBuilder line = new StringBuilder(GIVEN_IFACE + " UP");
        for (Address a : addresses) {
            line.append(' ').append(a).append(a.isV6() ? "/128" : "/32");
        }
        List<Snapshot.Source> sources = new ArrayList<>();
        for (Snapshot.Source src : s.sources()) {
            if (!src.name().equals("ip-addr")) {
                sources.add(src);
            }
        }
        sources.add(new Snapshot.Source("ip-addr", List.of(GIVEN), "ok", 0, 0, line + "\n", "", "addresses given with " + GIVEN));
        return new Snapshot(s.schema(), s.hostname(), s.collected(), s.aiscanVersion(), s.root(), sources);
    }
}
