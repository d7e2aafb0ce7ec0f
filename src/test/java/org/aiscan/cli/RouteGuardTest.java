package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.aiscan.model.InvalidInputException;
import org.aiscan.probe.syn.RouteTable;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;
import org.junit.jupiter.api.Test;

/**
 * Under {@code AISCAN_ALLOWED_NETS}, a lab address whose lab is down must not follow the default route
 * off the machine. Routing tables as /proc prints them; no packet is involved.
 */
class RouteGuardTest {
    static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
    static final String DEFAULT = "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
    static final String LAB = "aisl-up\t000012C6\t02FE12C6\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"; // 198.18.0.0/24
    static final String UNREACHABLE = "*\t000012C6\t00000000\t0201\t0\t0\t0\t0000FEFF\t0\t0\t0\n"; // 198.18.0.0/15
    static final String V6_DEFAULT = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
            + "fd000000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n";

    static TargetSet targets(String... specs) {
        TargetParser p = new TargetParser(TargetParser.SYSTEM, false);
        List<org.aiscan.target.AddressRange> all = new java.util.ArrayList<>();
        for (String s : specs) {
            all.addAll(p.parse(s));
        }
        return TargetSet.build(all, ExclusionList.empty());
    }

    @Test
    void aLabAddressWithoutItsLabIsRefused() {
        RouteTable routes = RouteTable.parse(HEADER + DEFAULT + LAB, V6_DEFAULT);
        assertDoesNotThrow(() -> RouteGuard.checkRoutes(targets("198.18.0.0/24", "127.0.0.1"), routes));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> RouteGuard.checkRoutes(targets("198.18.0.0/23"), routes));
        assertTrue(e.getMessage().contains("leaves this machine"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> RouteGuard.checkRoutes(targets("2001:2::10"), routes));
        assertDoesNotThrow(() -> RouteGuard.checkRoutes(targets("::1"), routes));
    }

    @Test
    void theLabsUnreachableRouteKeepsTheRestOnTheMachine() {
        RouteTable routes = RouteTable.parse(HEADER + DEFAULT + LAB + UNREACHABLE, V6_DEFAULT);
        assertDoesNotThrow(() -> RouteGuard.checkRoutes(targets("198.18.0.0/23"), routes),
                "198.18.1.0/24 is unreachable, so the kernel refuses it rather than sending it out");
    }
}
