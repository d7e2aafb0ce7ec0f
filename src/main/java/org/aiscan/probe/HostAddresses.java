package org.aiscan.probe;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aiscan.model.Address;
import org.aiscan.target.AddressRange;
import org.aiscan.target.TargetSet;

/**
 * This host's own addresses, as the kernel sees them in the scanner's network namespace: every
 * interface address, plus the loopback ranges (127.0.0.0/8, ::1). Frames injected on a link never
 * reach them (the kernel drops a packet from its own address arriving from outside), so a scan
 * probes them with the kernel's own connect instead.
 */
public final class HostAddresses {
    private static final Address LOOPBACK_V4_FIRST = Address.parse("127.0.0.0");
    private static final Address LOOPBACK_V4_LAST = Address.parse("127.255.255.255");
    private static final Address LOOPBACK_V6 = Address.parse("::1");

    private HostAddresses() {
    }

    /** Every address of every interface (link-local ones included, zone dropped). */
    public static Set<Address> interfaceAddresses() {
        Set<Address> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    out.add(Address.of(a.getAddress()));
                }
            }
        } catch (SocketException e) {
            // no interface list: nothing is known to be local
        }
        return out;
    }

    /** The loopback blocks, 127.0.0.0/8 and ::1. */
    public static List<AddressRange> loopback() {
        return List.of(new AddressRange(LOOPBACK_V4_FIRST, LOOPBACK_V4_LAST, "127.0.0.0/8"),
                new AddressRange(LOOPBACK_V6, LOOPBACK_V6, "::1"));
    }

    /**
     * The parts of {@code targets} that are this host: its interface addresses and the loopback
     * blocks, as sorted, disjoint ranges.
     */
    public static List<AddressRange> within(TargetSet targets, Set<Address> own) {
        List<AddressRange> out = new ArrayList<>();
        for (AddressRange lo : loopback()) {
            for (AddressRange r : targets.ranges()) {
                if (r.isV6() != lo.isV6()) {
                    continue;
                }
                Address first = r.first().compareTo(lo.first()) > 0 ? r.first() : lo.first();
                Address last = r.last().compareTo(lo.last()) < 0 ? r.last() : lo.last();
                if (first.compareTo(last) <= 0) {
                    out.add(new AddressRange(first, last, lo.source()));
                }
            }
        }
        for (Address a : own) {
            if (!a.isLoopback() && targets.contains(a)) {
                out.add(new AddressRange(a, a, a.toString()));
            }
        }
        out.sort((x, y) -> x.first().compareTo(y.first()));
        return List.copyOf(out);
    }
}
