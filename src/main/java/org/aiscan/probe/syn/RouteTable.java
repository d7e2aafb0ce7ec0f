package org.aiscan.probe.syn;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.target.AddressRange;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's main routing table for both families, read from {@code /proc/net/route} and
 * {@code /proc/net/ipv6_route}, with longest-prefix lookup. Reject routes (unreachable, prohibit,
 * blackhole) count as "no route": frames are never built for what the kernel would refuse. Policy routing is not modelled; the
 * engine cross-checks the source address with the kernel's own choice.
 */
public final class RouteTable {
    /**
     * One route: destination block, interface, gateway (null when the block is on-link), metric;
     * {@code reject} for unreachable/prohibit/blackhole routes, which the kernel refuses to use.
     */
    public record Route(Cidr net, String iface, @Nullable Address gateway, long metric, boolean reject) {
        boolean v6() {
            return net.isV6();
        }

        int prefix() {
            return net.prefix();
        }

        boolean contains(Address a) {
            return net.contains(a);
        }

        Address first() {
            return net.first();
        }

        Address last() {
            return net.last();
        }

        @Override
        public String toString() {
            return net + (gateway != null ? " via " + gateway : "") + " dev " + iface;
        }
    }

    private final List<Route> routes; // longest prefix first, then lowest metric

    RouteTable(List<Route> routes) {
        List<Route> r = new ArrayList<>(routes);
        r.sort(Comparator.comparingInt((Route x) -> -x.prefix()).thenComparingLong(Route::metric));
        this.routes = List.copyOf(r);
    }

    public static RouteTable read() throws IOException {
        String v4 = Files.exists(Path.of("/proc/net/route")) ? Files.readString(Path.of("/proc/net/route")) : "";
        String v6 = Files.exists(Path.of("/proc/net/ipv6_route")) ? Files.readString(Path.of("/proc/net/ipv6_route")) : "";
        return parse(v4, v6);
    }

    public static RouteTable parse(String procRoute, String procIpv6Route) {
        List<Route> out = new ArrayList<>();
        for (String line : procRoute.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            int flags = Integer.parseInt(f[3], 16);
            if ((flags & 0x1) == 0) { // not up
                continue;
            }
            long dest = littleEndian32(f[1]);
            long gw = littleEndian32(f[2]);
            long mask = littleEndian32(f[7]);
            int prefix = Long.bitCount(mask);
            out.add(new Route(new Cidr(Address.v4(dest & mask), prefix), f[0], (flags & 0x2) != 0 && gw != 0 ? Address.v4(gw) : null,
                    Long.parseLong(f[6]), (flags & 0x200) != 0));
        }
        for (String line : procIpv6Route.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            long flags = Long.parseLong(f[8], 16);
            String dev = f[9];
            boolean reject = (flags & 0x200) != 0;
            if (!reject && ((flags & 0x1) == 0 || dev.equals("lo"))) { // the kernel prints reject routes without RTF_UP
                continue;
            }
            long dHi = Long.parseUnsignedLong(f[0].substring(0, 16), 16);
            long dLo = Long.parseUnsignedLong(f[0].substring(16), 16);
            int prefix = Integer.parseInt(f[1], 16);
            long gHi = Long.parseUnsignedLong(f[4].substring(0, 16), 16);
            long gLo = Long.parseUnsignedLong(f[4].substring(16), 16);
            Address gw = (gHi == 0 && gLo == 0) ? null : Address.v6(gHi, gLo);
            if (dHi == 0xff00000000000000L && prefix == 8) {
                continue; // multicast
            }
            out.add(new Route(new Cidr(Address.v6(dHi, dLo), prefix), dev, gw, Long.parseLong(f[5], 16), reject));
        }
        return new RouteTable(out);
    }

    private static long littleEndian32(String hex) {
        long v = Long.parseLong(hex, 16);
        return ((v & 0xFF) << 24) | ((v & 0xFF00) << 8) | ((v >>> 8) & 0xFF00) | ((v >>> 24) & 0xFF);
    }

    List<Route> routes() {
        return routes;
    }

    /** The route the kernel's main table picks for {@code a}, or null when there is none or it is a reject route. */
    public @Nullable Route lookup(Address a) {
        Route r = match(a);
        return r == null || r.reject() ? null : r;
    }

    private @Nullable Route match(Address a) {
        for (Route r : routes) {
            if (r.contains(a)) {
                return r;
            }
        }
        return null;
    }

    /** A stretch of addresses that one route carries (null: no usable route). */
    public record Region(AddressRange range, Route route) {
    }

    /**
     * Exactly the routes the addresses of {@code range} use, in address order; a null element stands
     * for addresses with no route.
     */
    public List<Route> usedBy(AddressRange range) {
        List<Route> used = new ArrayList<>();
        for (Region r : regions(range)) {
            if (!used.contains(r.route())) {
                used.add(r.route());
            }
        }
        return used;
    }

    /**
     * {@code range} cut where the route changes, in address order. Walks the range in regions: from
     * an address, the route chosen by longest-prefix match stays the same until the route's block ends
     * or a more specific route begins, since routes are nested or disjoint prefix blocks.
     */
    public List<Region> regions(AddressRange range) {
        List<Region> out = new ArrayList<>();
        BigInteger cur = big(range.first());
        BigInteger last = big(range.last());
        boolean v6 = range.isV6();
        while (cur.compareTo(last) <= 0) {
            Address a = of(v6, cur);
            Route r = match(a);
            BigInteger end = last;
            if (r != null) {
                end = end.min(big(r.last()));
            }
            for (Route s : routes) {
                if (s.v6() != v6 || (r != null && s.prefix() <= r.prefix())) {
                    continue;
                }
                BigInteger start = big(s.first());
                if (start.compareTo(cur) > 0 && start.compareTo(end) <= 0) {
                    end = start.subtract(BigInteger.ONE);
                }
            }
            Route usable = r == null || r.reject() ? null : r;
            Region prev = out.isEmpty() ? null : out.get(out.size() - 1);
            if (prev != null && java.util.Objects.equals(prev.route(), usable)) {
                out.set(out.size() - 1, new Region(new AddressRange(prev.range().first(), of(v6, end), range.source()), usable));
            } else {
                out.add(new Region(new AddressRange(a, of(v6, end), range.source()), usable));
            }
            cur = end.add(BigInteger.ONE);
        }
        return out;
    }

    private static BigInteger big(Address a) {
        return new BigInteger(1, a.toBytes());
    }

    private static Address of(boolean v6, BigInteger v) {
        return v6 ? Address.v6(v.shiftRight(64).longValue(), v.longValue()) : Address.v4(v.longValueExact());
    }

}
