package org.aiscan.audit;

import org.aiscan.model.Address;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.audit.Packet;
import org.jspecify.annotations.Nullable;

/**
 * What one chain did with a packet.
 *
 * @param kind the outcome
 * @param by the rule or policy line that decided, or null when the chain simply ended
 * @param policy the decision is a chain policy, not a rule
 * @param reset a REJECT that answers with a TCP reset (the scanner sees "closed"); other rejects answer ICMP
 * @param natTo the DNAT destination, for {@link Kind#DNAT}
 * @param natPort the DNAT port, for {@link Kind#DNAT} (0 = unchanged)
 */
record Verdict(Kind kind, @Nullable EvidenceLine by, boolean policy, boolean reset, @Nullable Address natTo, int natPort) {
    enum Kind {
        ACCEPT, DROP, REJECT, DNAT,
        /** RETURN, or the end of a regular chain: the caller goes on. */
        CONTINUE
    }

    static final Verdict CONTINUE = new Verdict(Kind.CONTINUE, null, false, false, null, 0);

    static Verdict of(Kind k, EvidenceLine by) {
        return new Verdict(k, by, false, false, null, 0);
    }

    static Verdict policy(Kind k, EvidenceLine by) {
        return new Verdict(k, by, true, false, null, 0);
    }

    static Verdict reject(EvidenceLine by, boolean reset) {
        return new Verdict(Kind.REJECT, by, false, reset, null, 0);
    }

    static Verdict dnat(EvidenceLine by, Address to, int port) {
        return new Verdict(Kind.DNAT, by, false, false, to, port);
    }

    /** The verdict a rule's drop, reject or destination rewrite gives the packet, or null for any other statement. */
    static @Nullable Verdict ending(Stmt s, EvidenceLine by, Packet p) {
        if (s instanceof Stmt.Drop) {
            return of(Kind.DROP, by);
        }
        if (s instanceof Stmt.Reject r) {
            return reject(by, r.reset());
        }
        if (s instanceof Stmt.Dnat d) {
            return dnat(by, d.to() == null ? p.dst() : d.to(), d.port() == 0 ? p.dport() : d.port());
        }
        return null;
    }

    boolean terminal() {
        return kind == Kind.DROP || kind == Kind.REJECT;
    }
}
