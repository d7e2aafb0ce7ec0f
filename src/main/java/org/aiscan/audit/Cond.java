package org.aiscan.audit;

import java.util.List;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.audit.Packet;
import org.jspecify.annotations.Nullable;

/**
 * One match of a firewall rule, read once from iptables options or nftables expressions when the
 * snapshot is loaded, and evaluated against each packet by {@link FwRule}. Both tools' rules become
 * these same types, so a port, an address or an interface means the same in either. {@link Unknown}
 * is a construct the evaluator cannot tell for a packet: the rule's verdict becomes uncertain, never
 * false.
 */
sealed interface Cond {
    /** The match as the rule writes it, for the evidence ({@code ! -s 10.0.0.0/8}, {@code tcp dport 8000}). */
    String text();

    /** Which packets a match concerns at all: nft's {@code tcp dport} is false for a UDP datagram, whatever it compares. */
    enum Gate {
        NONE, TCP, UDP, TCP_OR_UDP, OTHER;

        Tri test(Packet p) {
            return switch (this) {
                case NONE -> Tri.TRUE;
                case TCP -> Tri.of(p.proto().equals("tcp"));
                case UDP -> Tri.of(p.proto().equals("udp"));
                case TCP_OR_UDP -> Tri.of(p.proto().equals("tcp") || p.proto().equals("udp"));
                case OTHER -> Tri.FALSE;
            };
        }
    }

    /**
     * A field compared with values: holds when the field is any of them ({@code !} negates).
     *
     * @param family 4 or 6 when the expression reads that family's header ({@code ip saddr}), else 0
     * @param ordered a {@code <} or {@code >} comparison, which this evaluator does not read
     */
    record Test(Sel sel, int family, Gate gate, List<Atom> any, boolean negated, boolean ordered, String text) implements Cond {
        public Test {
            any = List.copyOf(any);
        }

        Test(Sel sel, List<Atom> any, boolean negated, String text) {
            this(sel, 0, Gate.NONE, any, negated, false, text);
        }

        Tri eval(Packet p, HostModel host, long mark) {
            Tri g = family != 0 && family != p.family() ? Tri.FALSE : gate.test(p);
            if (g == Tri.FALSE) {
                return Tri.FALSE;
            }
            if (ordered) {
                return Tri.UNKNOWN;
            }
            Tri found = Tri.FALSE;
            for (Atom a : any) {
                Tri t = sel.test(a, p, host, mark);
                if (t == Tri.TRUE) {
                    found = Tri.TRUE;
                    break;
                }
                found = found.or(t);
            }
            return g.and(found.negateIf(negated));
        }
    }

    /** One part of a concatenated key ({@code ip daddr . meta l4proto . th dport}). */
    record Part(Sel sel, int family, Gate gate) {
    }

    /**
     * An element of a set or verdict map, its key read part by part for the selectors that look it up.
     *
     * @param verdict what a map element does ({@code goto service-…}), null in a set
     * @param cite the element on its map's line, or null for an inline one
     */
    record Element(List<Atom> key, @Nullable Stmt verdict, @Nullable EvidenceLine cite) {
        public Element {
            key = List.copyOf(key);
        }
    }

    /**
     * A lookup of one or more selectors in a set or verdict map: the first element whose every part
     * holds decides; a part that cannot be told makes the lookup unknown.
     *
     * @param vmap the elements carry verdicts; the one found is the rule's verdict
     * @param map the named map that decides (for the trace), or null
     */
    record Lookup(List<Part> parts, List<Element> elements, boolean vmap, boolean negated, @Nullable String map, String text) implements Cond {
        public Lookup {
            parts = List.copyOf(parts);
            elements = List.copyOf(elements);
        }
    }

    /** {@code numgen random mod N [offset K] vmap {…}}: one endpoint of several; the walk follows the first, a path a connection can take. */
    record Numgen(long offset, List<Element> elements, String map, String text) implements Cond {
        public Numgen {
            elements = List.copyOf(elements);
        }
    }

    /** A rate limit (limit, hashlimit, connlimit, ct count, meter, recent with a hit count): the first packet is under it. */
    record Rate(Tri value, String text) implements Cond {
    }

    /** {@code -m statistic}: a share of connections; certain only for all of them, or when the walk takes the share. */
    record Chance(double share, boolean negated, String text) implements Cond {
    }

    /** tcp flags under a mask: {@code --tcp-flags SYN,RST,ACK SYN}, {@code tcp flags & (syn|ack) == syn}, {@code tcp flags syn}. */
    record Flags(int mask, int comp, boolean anyBit, boolean negated, String text) implements Cond {
        Tri eval(Packet p) {
            if (!p.proto().equals("tcp")) {
                return Tri.FALSE;
            }
            boolean holds = anyBit ? (TcpFlags.SYN & mask) != 0 : (TcpFlags.SYN & mask) == comp;
            return Tri.of(holds).negateIf(negated);
        }
    }

    /** A match whose answer for the first packet of a connection is known whatever the packet ({@code -f}: false). */
    record Fixed(Tri value, String text) implements Cond {
    }

    /** A construct this evaluator does not read: unknown for the packets its gates let through. */
    record Unknown(String text, int family, Gate gate) implements Cond {
        Unknown(String text) {
            this(text, 0, Gate.NONE);
        }
    }
}
