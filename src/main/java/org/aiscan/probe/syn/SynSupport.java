package org.aiscan.probe.syn;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiscan.model.Address;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.target.TargetGuard;
import org.aiscan.probe.HostAddresses;
import org.aiscan.probe.SplitEngine;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.TargetSet;
import org.aiscan.model.InvalidInputException;
import org.aiscan.trace.Trace;
import org.jspecify.annotations.Nullable;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Decides whether the SYN engine can run for a set of targets, and if so with which interface,
 * addresses and next-hop MACs. Every "no" comes with one line saying why, in the order a user can
 * act on: targets the engine cannot reach (only loopback and this host's own addresses), then a
 * missing libpcap (the first native error is kept and shown, not the later NoClassDefFoundError),
 * then missing privileges. A usable decision may still leave some targets to the connect engine:
 * this host's own addresses among others ({@link Decision#near}).
 */
public final class SynSupport {
    /** User overrides; any may be null. */
    public record Overrides(@Nullable String iface, @Nullable Address sourceV4, @Nullable Address sourceV6, @Nullable String routerMac) {
    }

    /**
     * The outcome: either a usable setup or the reason there is none.
     *
     * @param near the targets that are this host (its own addresses, loopback): probed by connect in
     *     the same run, never by SYN; empty when there are none or when SYN is not usable
     */
    public record Decision(@Nullable Setup setup, @Nullable String reason, @Nullable List<AddressRange> near) {
        public Decision {
            near = near == null ? List.of() : List.copyOf(near);
        }

        public boolean usable() {
            return setup != null;
        }
    }

    /**
     * Everything the engine needs to build frames for these targets.
     *
     * @param onLink the targets on the interface's own link, whose MACs the engine learns by ARP and
     *     neighbour solicitation before it sends them SYNs; null when there are none or with --router-mac
     */
    record Setup(String iface, byte[] srcMac, @Nullable Address src4, @Nullable Address src6, RouteTable routes,
                 Map<Address, byte[]> nextHopMacs, byte @Nullable [] routerMac, @Nullable List<AddressRange> onLink, String summary) {
    }

    /** Most of this host's own or loopback addresses handed to connect within a SYN scan. */
    static final long MAX_NEAR_ADDRESSES = 65_536;

    private SynSupport() {
    }

    /** Decides for these targets. Does not send anything except, if needed, one datagram to a next hop. */
    public static Decision decide(TargetSet targets, int ports, Overrides o, TargetGuard guard) {
        return decide(targets, ports, o, guard, true);
    }

    /**
     * Decides for these targets without sending anything: a next hop the kernel has no MAC for yet
     * stays unresolved (all zeros in the frames; a scan would resolve it first). For {@code --dry-run}.
     */
    public static Decision decideWithoutSending(TargetSet targets, int ports, Overrides o, TargetGuard guard) {
        return decide(targets, ports, o, guard, false);
    }

    private static Decision decide(TargetSet targets, int ports, Overrides o, TargetGuard guard, boolean resolve) {
        try {
            return decideOrThrow(targets, ports, o, guard, resolve);
        } catch (IOException | RuntimeException e) {
            return no("cannot prepare raw frames: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return no("interrupted");
        }
    }

    private static Decision decideOrThrow(TargetSet targets, int ports, Overrides o, TargetGuard guard, boolean resolve)
            throws IOException, InterruptedException {
        Set<Address> own = HostAddresses.interfaceAddresses();
        List<AddressRange> near = HostAddresses.within(targets, own);
        long nearCount = 0;
        boolean loopback = false;
        for (AddressRange r : near) {
            nearCount += r.count().min(java.math.BigInteger.valueOf(Long.MAX_VALUE / 2)).longValue();
            loopback |= r.first().isLoopback();
        }
        if (nearCount >= targets.size()) {
            return no(loopback ? "targets include loopback, which injected frames cannot reach"
                    : "the targets are this host's own addresses, which injected frames cannot reach");
        }
        if (nearCount > MAX_NEAR_ADDRESSES || nearCount * ports > SplitEngine.MAX_NEAR_PROBES) {
            return no(String.format(java.util.Locale.ROOT, "targets include %,d loopback or own addresses, which injected frames "
                    + "cannot reach; scan those separately to use SYN for the rest", nearCount));
        }
        List<ExclusionList.Entry> cut = new ArrayList<>();
        for (AddressRange r : near) {
            cut.add(new ExclusionList.Entry(r, "this host"));
        }
        TargetSet remote = near.isEmpty() ? targets : TargetSet.build(targets.ranges(), ExclusionList.of(cut));
        byte[] routerMac = o.routerMac() == null ? null : parseMacOption(o.routerMac());
        Trace.mark("own addresses read");
        RouteTable routes = RouteTable.read();
        Trace.mark("routes read");
        Set<String> ifaces = new LinkedHashSet<>();
        Set<Address> gateways = new LinkedHashSet<>();
        List<AddressRange> onLink = new ArrayList<>();
        for (AddressRange r : remote.ranges()) {
            for (RouteTable.Region region : routes.regions(r)) {
                RouteTable.Route route = region.route();
                if (route == null) {
                    if (o.iface() == null) {
                        return no("no route to part of " + r + " (" + region.range().first() + ")");
                    }
                    continue;
                }
                ifaces.add(route.iface());
                if (route.gateway() != null) {
                    gateways.add(route.gateway());
                } else {
                    onLink.add(region.range());
                }
            }
        }
        String iface = o.iface();
        if (iface == null) {
            if (ifaces.size() != 1) {
                return no("targets are reached through several interfaces " + ifaces + "; pass --interface");
            }
            iface = ifaces.iterator().next();
        } else if (routerMac == null && !ifaces.isEmpty() && !ifaces.equals(Set.of(iface))) {
            return no("the routes to the targets use " + ifaces + ", not " + iface + "; pass --router-mac to force " + iface);
        }
        if (routerMac != null) {
            onLink.clear(); // everything goes to the one next hop the user named
        }
        long onLinkCount = 0;
        for (AddressRange r : onLink) {
            onLinkCount += r.count().min(java.math.BigInteger.valueOf(OnLink.MAX_HOSTS + 1)).longValue();
        }
        if (onLinkCount > OnLink.MAX_HOSTS) {
            return no(String.format(java.util.Locale.ROOT, "more than %,d targets on the local link of %s need a neighbour lookup each; "
                    + "split the range, or pass --router-mac to send everything to one next hop", OnLink.MAX_HOSTS, iface));
        }
        java.nio.file.Path type = java.nio.file.Path.of("/sys/class/net", iface, "type");
        if (java.nio.file.Files.exists(type) && !java.nio.file.Files.readString(type).trim().equals("1")) {
            return no("interface " + iface + " is not Ethernet (ARPHRD " + java.nio.file.Files.readString(type).trim() + ")");
        }
        String lib = Libpcap.problem();
        if (lib != null) {
            return no(lib);
        }
        Trace.mark("libpcap ready");
        NetworkInterface ni = NetworkInterface.getByName(iface);
        if (ni == null) {
            return no("interface " + iface + " does not exist");
        }
        byte[] srcMac = ni.getHardwareAddress();
        if (srcMac == null || srcMac.length != 6 || allZero(srcMac)) {
            return no("interface " + iface + " has no Ethernet address");
        }
        Address src4 = null;
        Address src6 = null;
        for (AddressRange r : remote.ranges()) {
            if (!r.isV6() && src4 == null) {
                src4 = o.sourceV4() != null ? o.sourceV4() : kernelSource(r.first());
                if (src4 == null) {
                    return no("no IPv4 source address towards " + r.first() + "; pass --source-ip");
                }
            }
            if (r.isV6() && src6 == null) {
                src6 = o.sourceV6() != null ? o.sourceV6() : kernelSource(r.first());
                if (src6 == null) {
                    return no("no IPv6 source address towards " + r.first() + "; pass --source-ip");
                }
            }
        }
        Trace.mark("source addresses");
        Map<Address, byte[]> macs = new HashMap<>();
        if (routerMac == null) {
            for (Address gw : gateways) {
                byte[] mac = resolve ? Neighbours.resolve(gw, iface, guard, 1500) : Neighbours.lookup(gw, iface);
                if (mac == null && !resolve) {
                    mac = new byte[6];
                } else if (mac == null) {
                    return no("next hop " + gw + " on " + iface + " does not resolve to a MAC; pass --router-mac");
                }
                macs.put(gw, mac);
            }
        }
        Trace.mark("next hops resolved");
        String perm = privilegeProblem(iface);
        if (perm != null) {
            return no(perm);
        }
        StringBuilder summary = new StringBuilder("on ").append(iface);
        if (src4 != null) {
            summary.append(" from ").append(src4);
        }
        if (src6 != null) {
            summary.append(src4 != null ? " and " : " from ").append(src6);
        }
        List<String> hops = new ArrayList<>();
        if (routerMac != null) {
            hops.add(Neighbours.format(routerMac));
        } else {
            macs.forEach((gw, mac) -> hops.add(gw + " (" + Neighbours.format(mac) + ")"));
            Collections.sort(hops);
            if (!onLink.isEmpty()) {
                hops.add(String.format(java.util.Locale.ROOT, "%,d on-link address%s by their own MAC", onLinkCount, onLinkCount == 1 ? "" : "es"));
            }
        }
        summary.append(" via ").append(String.join(", ", hops));
        Setup setup = new Setup(iface, srcMac, src4, src6, routes, Map.copyOf(macs), routerMac,
                onLink.isEmpty() ? null : List.copyOf(onLink), summary.toString());
        return new Decision(setup, null, near);
    }

    /**
     * Whether this process may open raw sockets: root, or CAP_NET_RAW (bit 13) in the effective set
     * of {@code /proc/self/status}. Cheaper than opening a handle; when the file is unreadable a
     * throw-away handle decides.
     */
    private static @Nullable String privilegeProblem(String iface) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << 13)) != 0 ? null
                            : "no permission for raw sockets (CAP_NET_RAW is not in the effective set): run as root or grant CAP_NET_RAW";
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the direct test
        }
        return openTest(iface);
    }

    /** Opens and closes a handle: the direct test for raw-socket permission. */
    private static @Nullable String openTest(String iface) {
        try {
            PcapHandle h = new PcapHandle.Builder(iface).snaplen(128).timeoutMillis(10).build();
            try {
                if (!DataLinkType.EN10MB.equals(h.getDlt())) {
                    return "interface " + iface + " is not Ethernet (" + h.getDlt() + ")";
                }
            } finally {
                h.close();
            }
            return null;
        } catch (PcapNativeException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("not permitted") || m.contains("ermission")) {
                return "no permission for raw sockets (" + m.trim() + "): run as root or grant CAP_NET_RAW";
            }
            return "cannot open " + iface + " for capture: " + m.trim();
        } catch (Throwable t) {
            String lib = Libpcap.problem();
            return lib != null ? lib : "cannot open " + iface + ": " + t;
        }
    }

    /** The SYN engine for a usable decision. */
    public static ProbeEngine engine(Decision d, EngineOptions options, TargetGuard guard, SendOptions sending) {
        if (!d.usable()) {
            throw new IllegalStateException(d.reason());
        }
        return new SynEngine(d.setup(), options, guard, sending.threads(), new PcapLink(d.setup(), sending), Ticker.SYSTEM, Cookie::random);
    }

    /**
     * The SYN engine of {@code --dry-run}: the scan's own packet path, with every frame printed to
     * {@code out} instead of sent, in the plan's order (one send thread, no pacing), each probe once
     * (no retries, no wait for answers that cannot come). Sequence numbers use a key made from
     * {@code seed}, so a seed gives the same lines; a scan draws a secret key.
     */
    public static ProbeEngine dryRunEngine(Decision d, EngineOptions options, TargetGuard guard, PrintWriter out, long seed) {
        if (!d.usable()) {
            throw new IllegalStateException(d.reason());
        }
        EngineOptions once = new EngineOptions(0, 1, 1, 0, options.concurrency());
        return new SynEngine(d.setup(), once, guard, 1, new DryRunLink(d.setup().iface(), out), Ticker.SYSTEM,
                () -> new Cookie(seed, Long.rotateLeft(seed, 32) ^ 0x5DEE_CE66_DL));
    }

    private static Decision no(String why) {
        return new Decision(null, why, List.of());
    }

    static @Nullable Address kernelSource(Address target) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(target.toInetAddress(), 9)); // connect() on UDP sends nothing
            InetAddress l = s.getLocalAddress();
            if (l == null || l.isAnyLocalAddress()) {
                return null;
            }
            Address a = Address.of(l);
            return a.isV6() == target.isV6() ? a : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    public static byte[] parseMacOption(String s) {
        try {
            byte[] b = Neighbours.parseMac(s.trim());
            if (allZero(b)) {
                throw new IllegalArgumentException("all-zero MAC");
            }
            return b;
        } catch (RuntimeException e) {
            throw new InvalidInputException("bad --router-mac '" + s + "': expected six hex bytes like 02:a1:5c:00:fe:02");
        }
    }
}
