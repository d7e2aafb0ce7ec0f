package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.host.Ufw;
import org.aiscan.model.EvidenceLine;

/**
 * Reads a row of {@code ufw status} into {@link FwRule}'s typed matches: the To side's address,
 * interface, protocol and ports, the From side's address and ports. ALLOW and LIMIT accept (LIMIT
 * with its rate limit, under which a first connection is), DENY drops, REJECT rejects. An
 * application profile printed without its ports is unknown: {@code /etc/ufw/applications.d} is not
 * in a status.
 */
final class UfwCompiler {
    private UfwCompiler() {
    }

    static FwRule compile(String source, Ufw.Rule r) {
        List<Cond> conds = new ArrayList<>();
        side(r.to(), true, conds);
        side(r.from(), false, conds);
        Stmt stmt = switch (r.action()) {
            case "ALLOW" -> new Stmt.Accept();
            case "LIMIT" -> {
                conds.add(new Cond.Rate(Tri.TRUE, "LIMIT"));
                yield new Stmt.Accept();
            }
            case "DENY" -> new Stmt.Drop();
            case "REJECT" -> new Stmt.Reject(true); // ufw answers TCP with a reset
            default -> new Stmt.Unknown(r.action());
        };
        return new FwRule(new EvidenceLine(source, r.line(), r.text().trim()), conds, stmt, r.to().ports() != null,
                r.from().address() != null);
    }

    private static void side(Ufw.Side s, boolean to, List<Cond> conds) {
        String raw = s.raw() == null ? "" : s.raw().trim();
        if (s.app() != null && s.ports() == null) { // '22/tcp (OpenSSH)' prints the profile's ports; 'OpenSSH' alone does not
            conds.add(new Cond.Unknown((to ? "To " : "From ") + raw + " (an application profile)"));
            return;
        }
        if (s.address() != null) {
            conds.add(new Cond.Test(to ? Sel.DST : Sel.SRC, List.of(Atom.address(s.address())), false, raw));
        }
        if (to && s.iface() != null) {
            conds.add(new Cond.Test(Sel.IIF, List.of(Atom.iface(s.iface())), false, raw));
        }
        if (s.proto() != null) {
            conds.add(new Cond.Test(Sel.L4PROTO, List.of(Atom.protocol(s.proto())), false, raw));
        }
        if (s.ports() != null) {
            conds.add(new Cond.Test(to ? Sel.DPORT : Sel.SPORT, IptablesCompiler.ports(s.ports()), false, raw));
        }
    }

    /** Whether {@code port} is one of a side's ports (true when it names none and is no application profile). */
    static boolean hasPort(Ufw.Side s, int port) {
        if (s.ports() == null) {
            return s.app() == null;
        }
        return IptablesCompiler.ports(s.ports()).stream().anyMatch(a -> a instanceof Atom.Ports r && r.contains(port));
    }
}
