package org.aiscan.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.UserRule;

/**
 * The walk of one connection through a host's firewall, as the audit traced it, in hops a diagram
 * draws top to bottom: where it comes from, the interface it arrives on, the destination rewrite
 * before routing (and whose), the hook it then passes (INPUT for the host's own sockets, FORWARD for
 * a container or pod), the rules it met in order — the one that decided marked, DOCKER-USER rules
 * that did not take it marked as such with why — and where it ends: a socket, a container, a drop.
 */
public final class PathDiagram {
    /** How a hop took part: on the way, the deciding rule, a rule that did not take the packet, or the end. */
    public enum Role {
        PASSED, DECIDED, NOT_TAKEN, END
    }

    /**
     * One hop.
     *
     * @param kind source, interface, dnat, hook, rule or end
     * @param label what the hop is, short
     * @param detail the rule or line behind it, as its source prints it (cut to fit)
     */
    public record Hop(String kind, String label, String detail, Role role) {
    }

    private static final int DETAIL = 150;

    private PathDiagram() {
    }

    public static List<Hop> of(Prediction p) {
        List<Hop> out = new ArrayList<>();
        out.add(new Hop("source", "from " + p.packet().src(), p.packet().proto() + " to " + p.destination() + ":" + p.port(), Role.PASSED));
        out.add(new Hop("interface", "arrives on " + (p.packet().inIface() == null ? "an interface not known" : p.packet().inIface()), "",
                Role.PASSED));
        Set<String> shown = new LinkedHashSet<>();
        for (EvidenceLine j : p.viaRules()) {
            if (shown.add(cite(j))) {
                out.add(new Hop("rule", "PREROUTING: jump", cite(j), Role.PASSED));
            }
        }
        if (p.dnat() != null) {
            String by = p.via() == null ? "" : " (" + p.via().label() + ")";
            out.add(new Hop("dnat", "PREROUTING: DNAT to " + p.forwardedTo() + by, cite(p.dnat()), Role.PASSED));
            shown.add(cite(p.dnat()));
        }
        out.add(new Hop("hook", switch (p.path()) {
            case INPUT -> "INPUT (a socket of the host)";
            case FORWARD -> "FORWARD (to " + p.forwardedTo() + ")";
            default -> "stopped before routing";
        }, "", Role.PASSED));
        for (EvidenceLine s : p.steps()) {
            if (shown.add(cite(s))) {
                boolean decides = s.equals(p.decidedBy());
                out.add(new Hop("rule", decides ? "decides: " + p.outcome() : "on the way", cite(s), decides ? Role.DECIDED : Role.PASSED));
            }
        }
        for (UserRule u : p.userRules()) {
            if (!u.matched() && shown.add(cite(u.rule()))) {
                out.add(new Hop("rule", u.chain() + ": not taken" + (u.whyNot() == null ? "" : ", " + u.whyNot()), cite(u.rule()), Role.NOT_TAKEN));
            }
        }
        if (p.decidedBy() != null && shown.add(cite(p.decidedBy()))) {
            out.add(new Hop("rule", "decides: " + p.outcome(), cite(p.decidedBy()), Role.DECIDED));
        }
        String end = switch (p.outcome()) {
            case ACCEPT -> p.receivers().isEmpty() ? "accepted; no receiver in the snapshot" : "accepted by " + p.receivers().get(0).text().trim();
            case REJECT -> p.reset() ? "rejected with a TCP reset (closed)" : "rejected (an ICMP error)";
            default -> "dropped (filtered)";
        };
        out.add(new Hop("end", end + (p.isUncertain() ? " — uncertain: " + p.uncertain().size() + " rule(s) or source(s) not read" : ""), "",
                Role.END));
        return out;
    }

    static String cite(EvidenceLine e) {
        String s = (e.line() > 0 ? e.source() + ":" + e.line() : e.source()) + "  " + e.text().trim();
        return s.length() <= DETAIL ? s : s.substring(0, DETAIL - 1) + "…";
    }
}
