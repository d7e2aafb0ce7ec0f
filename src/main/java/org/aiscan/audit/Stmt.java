package org.aiscan.audit;

import java.util.List;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/** What a firewall rule does when its matches hold, read once from iptables' target or nftables' statements. */
sealed interface Stmt {
    /** No verdict: the rule only counts, logs or marks, and the walk goes on. */
    record None() implements Stmt {
    }

    record Accept() implements Stmt {
    }

    record Drop() implements Stmt {
    }

    /** @param reset a TCP reset (the scan sees "closed"), else an ICMP error */
    record Reject(boolean reset) implements Stmt {
    }

    record Return() implements Stmt {
    }

    /** nft's {@code continue}: go on with the next rule. */
    record Continue() implements Stmt {
    }

    /** {@code -j CHAIN}, {@code jump chain}; {@code goto} does not come back. */
    record Jump(String chain, boolean isGoto) implements Stmt {
    }

    /**
     * A destination rewrite.
     *
     * @param to the new address, or null to keep it ({@code REDIRECT}, {@code dnat to :8080})
     * @param port the new port, or 0 to keep it
     */
    record Dnat(@Nullable Address to, int port) implements Stmt {
    }

    /** iptables' MARK target: {@code --set-xmark 0x4000/0x4000} and the like, in order. */
    record SetMark(List<MarkOp> ops) implements Stmt {
        public SetMark {
            ops = List.copyOf(ops);
        }
    }

    /** One mark operation: set-xmark, set-mark, or-mark, and-mark, xor-mark. */
    record MarkOp(String op, long value, long mask) {
        long apply(long mark) {
            return switch (op) {
                case "--set-xmark" -> (mark & ~mask) ^ value;
                case "--set-mark" -> (mark & ~mask) | value;
                case "--or-mark" -> mark | value;
                case "--and-mark" -> mark & value;
                case "--xor-mark" -> mark ^ value;
                default -> mark;
            };
        }
    }

    /** A target that neither ends nor redirects the walk (LOG, CONNMARK, SNAT, …). */
    record Other(String name) implements Stmt {
    }

    /** A verdict this evaluator cannot read ({@code queue}, a DNAT target it cannot parse). */
    record Unknown(String text) implements Stmt {
    }
}
