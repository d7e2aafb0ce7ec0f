package org.aiscan.cli;

import java.io.IOException;
import org.aiscan.model.CannotProceedException;
import org.aiscan.model.InvalidInputException;
import org.aiscan.probe.syn.RouteTable;
import org.aiscan.target.AddressRange;
import org.aiscan.target.TargetGuard;
import org.aiscan.target.TargetSet;

/**
 * The scan refused up front when {@value TargetGuard#ENV} restricts where packets may go: every
 * target must be inside the allowed nets and, when packets will be sent, stay on this machine. The
 * engines check each destination again right before it leaves.
 */
final class RouteGuard {
    private RouteGuard() {
    }

    /** @param sending false for a dry run, which sends nothing and needs no route */
    static void check(TargetSet set, TargetGuard guard, boolean sending) {
        if (!guard.restricted()) {
            return;
        }
        for (AddressRange r : set.ranges()) {
            if (!guard.allows(r.first()) || !guard.allows(r.last())) {
                throw new InvalidInputException("refusing to scan " + r + ": outside " + TargetGuard.ENV + "=" + guard.describe());
            }
        }
        if (!sending) {
            return;
        }
        try {
            checkRoutes(set, RouteTable.read());
        } catch (IOException e) {
            throw new CannotProceedException("refusing to scan: " + TargetGuard.ENV + " is set and the routing table cannot be read ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * Inside the allowed nets a target must also stay on this machine: an address of the lab ranges
     * whose lab is not up would follow the default route out. Loopback is not in the main table.
     */
    static void checkRoutes(TargetSet set, RouteTable routes) {
        for (AddressRange r : set.ranges()) {
            if (r.first().isLoopback() && r.last().isLoopback()) {
                continue;
            }
            for (RouteTable.Route route : routes.usedBy(r)) {
                if (route != null && route.net().prefix() == 0) {
                    throw new InvalidInputException("refusing to scan " + r + ": " + TargetGuard.ENV + " is set and part of it is routed by "
                            + route + ", which leaves this machine (is the lab up?)");
                }
            }
        }
    }
}
