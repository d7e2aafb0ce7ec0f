package org.aiscan.probe.syn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.aiscan.model.Address;
import org.aiscan.model.PortResult;
import org.aiscan.probe.Cancellation;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.EngineReport;
import org.aiscan.probe.ScanProgress;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.Shard;
import org.aiscan.target.TargetGuard;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;
import org.aiscan.testing.FakeTicker;
import org.aiscan.testing.RecordingFrameSender;
import org.aiscan.testing.ScriptedFrameSource;

/**
 * The SYN engine on doubles, for tests without root: the lab's addresses and routes
 * ({@link RouteTableTest}: 198.18.0.0/24 and 2001:2::/64 behind the gateway, 198.18.254.0/24 and
 * 2001:2:0:fe::/64 on the link), a recording sender, a capture answered by a script, a fake clock;
 * and the answers a target or a router would give to the engine's own frames.
 */
final class SynLab {
    static final byte[] OUR_MAC = {2, 0, 0, 0, 0, 1};
    static final byte[] GW_MAC = {2, (byte) 0xa1, 0x5c, 0, (byte) 0xfe, 2};
    static final Address SRC4 = Address.parse("198.18.254.1");
    static final Address SRC6 = Address.parse("2001:2:0:fe::1");
    static final Address GW4 = Address.parse("198.18.254.2");
    static final Address GW6 = Address.parse("2001:2:0:fe::2");
    static final Cookie COOKIE = new Cookie(11, 22);
    static final TargetGuard GUARD = TargetGuard.parse("198.18.0.0/15,2001:2::/48");
    static final long RTT = 300_000; // what the script's answers take: 0.3 ms

    final FakeTicker ticker = new FakeTicker();
    final ScriptedFrameSource rx;
    final RecordingFrameSender tx;
    final List<Neighbours.Entry> kernelTable = new ArrayList<>();
    final List<PortResult> results = Collections.synchronizedList(new ArrayList<>());
    final Cancellation cancel = new Cancellation();
    ScanProgress progress;

    /** @param script what answers each frame sent; @param ring how many captured frames wait for the receive thread */
    SynLab(Function<byte[], List<byte[]>> script, int ring) {
        this.rx = ScriptedFrameSource.on(ticker, script, RTT, ring);
        this.tx = new RecordingFrameSender(ticker, rx::sent);
    }

    SynLab(Function<byte[], List<byte[]>> script) {
        this(script, 1 << 16);
    }

    /** @param targets comma-separated target specifications */
    static ScanPlan plan(String targets, String ports) {
        TargetSet set = TargetSet.build(ranges(targets), ExclusionList.empty());
        return new ScanPlan(set, PortSpec.parse(ports), 42, Shard.WHOLE);
    }

    static List<AddressRange> ranges(String targets) {
        List<AddressRange> out = new ArrayList<>();
        for (String t : targets.split(",")) {
            out.addAll(new TargetParser(TargetParser.SYSTEM, false).parse(t));
        }
        return out;
    }

    /** Routed targets only (no on-link table). */
    static SynSupport.Setup setup() {
        return setup(null);
    }

    /** @param onLink on-link targets, as "first-last" inside 198.18.254.0/24 or 2001:2:0:fe::/64, or null */
    static SynSupport.Setup setup(String onLink) {
        List<AddressRange> ranges = onLink == null ? null : ranges(onLink);
        return new SynSupport.Setup("lab0", OUR_MAC, SRC4, SRC6, RouteTable.parse(RouteTableTest.V4, RouteTableTest.V6),
                Map.of(GW4, GW_MAC, GW6, GW_MAC), null, ranges, "on lab0 (test)");
    }

    SynRun run(ScanPlan plan, SynSupport.Setup setup) {
        OnLink onLink = setup.onLink() == null ? null : new OnLink(setup.onLink());
        progress = new ScanProgress(plan.probes());
        return new SynRun(plan, setup, GUARD, new SynState(plan.probes(), COOKIE, onLink, ticker.nanoTime()), ticker, progress, cancel);
    }

    SynEngine engine(SynSupport.Setup setup, long rate, int retries) {
        return new SynEngine(setup, new EngineOptions(rate, 200, 20, retries, 4096), GUARD, 1, link(), ticker, () -> COOKIE);
    }

    /** The doubles as the engine's link: the recording sender, the scripted capture, {@link #kernelTable}. */
    Link link() {
        return new Link() {
            @Override
            public Wire open(OnLink onLink, long probes, int senders, List<String> info) {
                return new Wire(rx, List.of(tx));
            }

            @Override
            public List<Neighbours.Entry> neighbourTable(boolean v4, boolean v6) {
                return kernelTable;
            }
        };
    }

    EngineReport scan(SynSupport.Setup setup, ScanPlan plan, long rate, int retries) throws Exception {
        progress = new ScanProgress(plan.probes());
        return engine(setup, rate, retries).run(plan, (p, r) -> results.add(r), progress, cancel);
    }

    /** Results as "ADDRESS:PORT STATE REASON", sorted. */
    List<String> verdicts() {
        synchronized (results) {
            return results.stream().map(r -> r.address().endpoint(r.port()) + " " + r.state().name().toLowerCase() + " " + r.reason())
                    .sorted().toList();
        }
    }

    // --- what the other side sends back

    static boolean isV6(byte[] f) {
        return Frames.get16(f, 12) == 0x86DD;
    }

    static Address destination(byte[] f) {
        int type = Frames.get16(f, 12);
        if (type == 0x0806) {
            return Address.v4(Frames.get32(f, 38) & 0xFFFF_FFFFL);
        }
        if (type == 0x86DD && (f[Frames.ETH + 6] & 0xFF) == 58) {
            return Address.v6(Frames.get64(f, Frames.ETH + 48), Frames.get64(f, Frames.ETH + 56));
        }
        return isV6(f) ? Address.v6(Frames.get64(f, Frames.ETH + 24), Frames.get64(f, Frames.ETH + 32))
                : Address.v4(Frames.get32(f, Frames.ETH + 16) & 0xFFFF_FFFFL);
    }

    static boolean isSyn(byte[] f) {
        int type = Frames.get16(f, 12);
        return type == 0x0800 && f[Frames.ETH + 9] == 6 || type == 0x86DD && f[Frames.ETH + 6] == 6;
    }

    static int tcp(byte[] f) {
        return Frames.ETH + (isV6(f) ? 40 : 20);
    }

    static int targetPort(byte[] syn) {
        return Frames.get16(syn, tcp(syn) + 2);
    }

    /** The target's TCP answer to a SYN: addresses and ports swapped, ack = seq + 1, the given flags (0x12 SYN-ACK, 0x14 RST). */
    static byte[] answer(byte[] syn, int flags) {
        byte[] r = syn.clone();
        System.arraycopy(syn, 6, r, 0, 6);
        System.arraycopy(syn, 0, r, 6, 6);
        int ip = Frames.ETH;
        int src = ip + (isV6(syn) ? 8 : 12);
        int n = isV6(syn) ? 16 : 4;
        System.arraycopy(syn, src + n, r, src, n);
        System.arraycopy(syn, src, r, src + n, n);
        int t = tcp(syn);
        Frames.put16(r, t, Frames.get16(syn, t + 2));
        Frames.put16(r, t + 2, Frames.get16(syn, t));
        Frames.put32(r, t + 8, Frames.get32(syn, t + 4) + 1);
        r[t + 13] = (byte) flags;
        return r;
    }

    /** A router's ICMP unreachable (type 3) quoting an IPv4 SYN. */
    static byte[] unreachable(byte[] syn, int code) {
        byte[] f = new byte[Frames.ETH + 20 + 8 + 28];
        System.arraycopy(syn, 6, f, 0, 6);
        System.arraycopy(syn, 0, f, 6, 6);
        f[12] = 0x08;
        int ip = Frames.ETH;
        f[ip] = 0x45;
        f[ip + 9] = 1;
        Frames.put32(f, ip + 12, GW4.v4Int());
        Frames.put32(f, ip + 16, SRC4.v4Int());
        f[ip + 20] = 3;
        f[ip + 21] = (byte) code;
        System.arraycopy(syn, Frames.ETH, f, ip + 28, 28);
        return f;
    }

    /** A host's ARP reply to one of the engine's requests. */
    static byte[] arpReply(byte[] request, byte[] hostMac) {
        byte[] f = request.clone();
        System.arraycopy(request, 6, f, 0, 6);
        System.arraycopy(hostMac, 0, f, 6, 6);
        Frames.put16(f, 20, 2);
        System.arraycopy(hostMac, 0, f, 22, 6);
        System.arraycopy(request, 38, f, 28, 4);
        System.arraycopy(request, 22, f, 32, 6);
        System.arraycopy(request, 28, f, 38, 4);
        return f;
    }

    /** A host's neighbour advertisement (solicited, override) answering one of the engine's solicitations. */
    static byte[] advertisement(byte[] ns, byte[] hostMac) {
        byte[] f = ns.clone();
        System.arraycopy(ns, 6, f, 0, 6);
        System.arraycopy(hostMac, 0, f, 6, 6);
        int ip = Frames.ETH;
        System.arraycopy(ns, ip + 40 + 8, f, ip + 8, 16); // from the target address
        System.arraycopy(ns, ip + 8, f, ip + 24, 16); // to us
        int t = ip + 40;
        f[t] = (byte) 136;
        f[t + 4] = 0x60; // solicited, override
        f[t + 24] = 2; // target link-layer address
        System.arraycopy(hostMac, 0, f, t + 26, 6);
        return f;
    }
}
