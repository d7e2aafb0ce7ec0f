package org.aiscan.audit;

import java.time.Instant;
import java.util.List;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.PortState;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.Vantage;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A VPN interface's peers are not the internet: Tailscale's own rule ({@code -A ts-input -i tailscale0
 * -j ACCEPT}, as tailscaled installs it) must not let an internet source in, and the host's Tailscale
 * address is not one the internet can reach.
 */
class VpnInterfacesTest {
    static Snapshot.Source src(String name, String text) {
        return new Snapshot.Source(name, List.of(name), "ok", 0, 0, text, "", null);
    }

    @Test
    void tailscalesAcceptDoesNotLetTheInternetIn() {
        Snapshot s = new Snapshot(Snapshot.SCHEMA, "h", Instant.EPOCH, "t", true, List.of(
                src("ip-addr", "1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet 198.18.7.2/24 scope global eth0\n"
                        + "3: tailscale0    inet 100.101.102.103/32 scope global tailscale0\n"),
                src("ip-route-v4", "default via 198.18.7.1 dev eth0\n198.18.7.0/24 dev eth0 proto kernel scope link src 198.18.7.2\n"),
                src("ss-tcp", "LISTEN 0 4096 0.0.0.0:8000 0.0.0.0:* users:((\"vllm\",pid=1,fd=3))\n"),
                src("iptables-v4", "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:ts-input - [0:0]\n"
                        + "-A INPUT -j ts-input\n-A ts-input -i tailscale0 -j ACCEPT\nCOMMIT\n"),
                src("iptables-v6", ""), src("nft", "")));
        Netfilter nf = new Netfilter(HostView.of(s));
        assertEquals(List.of(Address.parse("198.18.7.2")), nf.host().publicAddresses(), "the Tailscale address is no public address");
        assertEquals("eth0", nf.host().uplink(), "the internet arrives where the default route leaves");
        Prediction p = nf.evaluate(Vantage.INTERNET_V4, Address.parse("198.18.7.2"), "tcp", 8000);
        assertFalse(p.isUncertain(), p.uncertain().toString());
        assertEquals(PortState.FILTERED, p.state(), "-i tailscale0 -j ACCEPT does not hold for a packet from the internet: " + p);
    }
}
