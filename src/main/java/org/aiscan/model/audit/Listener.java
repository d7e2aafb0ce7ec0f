package org.aiscan.model.audit;

import java.util.List;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * A listening socket from {@code ss}.
 *
 * @param proto tcp or udp
 * @param bind what the socket is bound to
 * @param address the bound address when {@code bind} is ADDRESS, else null
 * @param port the port
 * @param iface the interface the socket is bound to ({@code %iface}), or null
 * @param processes owners as {@code ss -p} shows them (empty without privileges)
 * @param line 1-based line in the source
 * @param text the line as printed
 */
public record Listener(String proto, Bind bind, @Nullable Address address, int port, @Nullable String iface, List<Owner> processes, int line,
                       String text) {
    /** How a socket's local address covers the host's addresses. */
    public enum Bind {
        /** {@code 0.0.0.0}: every IPv4 address. */
        ANY_V4,
        /** {@code [::]}: every IPv6 address, IPv6 only (IPV6_V6ONLY=1). */
        ANY_V6,
        /** {@code *}: every IPv4 and IPv6 address (a dual-stack IPv6 socket). */
        ANY_DUAL,
        /** One address. */
        ADDRESS
    }

    /** One owning process. */
    public record Owner(String name, int pid, int fd) {
    }

    public Listener {
        processes = List.copyOf(processes);
    }

    /** Whether a packet to {@code a} (arriving on {@code inIface}, may be null) reaches this socket's bind. */
    public boolean covers(Address a, @Nullable String inIface) {
        if (iface != null && inIface != null && !iface.equals(inIface)) {
            return false;
        }
        return switch (bind) {
            case ANY_V4 -> !a.isV6();
            case ANY_V6 -> a.isV6();
            case ANY_DUAL -> true;
            case ADDRESS -> address.equals(a);
        };
    }

    /** Whether the socket takes connections from other hosts at all (not loopback-only). */
    public boolean wide() {
        if (bind != Bind.ADDRESS) {
            return true;
        }
        return !(address.isV6() ? address.equals(Address.parse("::1")) : (address.lo() >>> 24) == 127);
    }

    public String processNames() {
        return String.join(",", processes.stream().map(Owner::name).distinct().toList());
    }
}
