package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.target.AddressRange;
import org.junit.jupiter.api.Test;

/** Parsing of /proc/net/route and /proc/net/ipv6_route as captured on this machine with the lab up. */
class RouteTableTest {
    static final String V4 = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            aisl-up\t000012C6\t02FE12C6\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
            aisl-up\t004012C6\t02FE12C6\t0003\t0\t0\t0\t00C0FFFF\t0\t0\t0
            aisl-up\t00FE12C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """;
    static final String V6 = """
            20010002000000000000000000000000 40 00000000000000000000000000000000 00 20010002000000fe0000000000000002 00000400 00000001 00000000 00000003  aisl-up
            20010002000000fe0000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001  aisl-up
            00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000003 00000000 80200001       lo
            00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000001 00000000 00000003     eth0
            """;

    @Test
    void longestPrefixWins() {
        RouteTable t = RouteTable.parse(V4, V6);
        RouteTable.Route r = t.lookup(Address.parse("198.18.0.10"));
        assertEquals("aisl-up", r.iface());
        assertEquals(Address.parse("198.18.254.2"), r.gateway());
        assertEquals(24, r.prefix());
        RouteTable.Route d = t.lookup(Address.parse("8.8.8.8"));
        assertEquals(Address.parse("192.0.2.1"), d.gateway());
        assertNull(t.lookup(Address.parse("198.18.254.7")).gateway(), "on-link");
        assertEquals(Address.parse("2001:2:0:fe::2"), t.lookup(Address.parse("2001:2::10")).gateway());
        assertEquals("eth0", t.lookup(Address.parse("2001:db8::1")).iface());
    }

    @Test
    void rangesSeeOnlyTheRoutesTheyCanUse() {
        RouteTable t = RouteTable.parse(V4, V6);
        List<RouteTable.Route> lab = t.usedBy(new AddressRange(Address.parse("198.18.0.0"), Address.parse("198.18.0.255"), ""));
        assertEquals(1, lab.size(), "the default route is shadowed by the /24: " + lab);
        List<RouteTable.Route> wide = t.usedBy(new AddressRange(Address.parse("198.18.0.0"), Address.parse("198.18.255.255"), ""));
        assertEquals(4, wide.size(), "a /16 spans two lab routes, the on-link /24 and the default: " + wide);
        // Two adjacent /24 routes together shadow the default route over their union.
        String two = V4 + "aisl-up\t000112C6\t02FE12C6\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        List<RouteTable.Route> both = RouteTable.parse(two, V6)
                .usedBy(new AddressRange(Address.parse("198.18.0.0"), Address.parse("198.18.1.255"), ""));
        assertEquals(2, both.size(), both.toString());
        assertTrue(both.stream().allMatch(r -> r.iface().equals("aisl-up")), both.toString());
        assertEquals(List.of(t.lookup(Address.parse("2001:2::1"))),
                t.usedBy(new AddressRange(Address.parse("2001:2::"), Address.parse("2001:2::ff"), "")));
    }

    @Test
    void rejectRoutesAreNoRouteNotTheDefault() {
        // ip route add unreachable 198.18.0.0/15; ip -6 route add unreachable 2001:2::/48 (as the lab installs them)
        String v4 = V4 + "*\t000012C6\t00000000\t0201\t0\t0\t0\t0000FEFF\t0\t0\t0\n";
        String v6 = V6 + "20010002000000000000000000000000 30 00000000000000000000000000000000 00 "
                + "00000000000000000000000000000000 00000400 00000001 00000000 00200200       lo\n";
        RouteTable t = RouteTable.parse(v4, v6);
        assertNull(t.lookup(Address.parse("198.18.31.2")), "unreachable, not the default route");
        assertNull(t.lookup(Address.parse("2001:2:0:31::2")));
        assertEquals("aisl-up", t.lookup(Address.parse("198.18.0.10")).iface(), "more specific lab routes still win");
        assertEquals("aisl-up", t.lookup(Address.parse("2001:2::10")).iface());
        List<RouteTable.Route> used = t.usedBy(new AddressRange(Address.parse("198.18.0.0"), Address.parse("198.18.3.255"), ""));
        assertTrue(used.contains(null), "part of the range has no usable route: " + used);
        assertEquals(2, used.size(), used.toString());
    }
}
