package org.aiscan.probe.syn;

import java.io.IOException;
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
import org.aiscan.probe.TargetGuard;
import org.aiscan.target.AddressRange;
import org.aiscan.target.TargetSet;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Decides whether the SYN engine can run for a set of targets, and if so with which interface,
 * addresses and next-hop MACs. Every "no" comes with one line saying why, in the order a user can
 * act on: targets the engine cannot reach (loopback, this host's own addresses, on-link hosts),
 * then a missing libpcap (the first native error is kept and shown, not the later
 * NoClassDefFoundError), then missing privileges.
 */
public final class SynSupport {
    /** User overrides; any may be null. */
    public record Overrides(String iface, Address sourceV4, Address sourceV6, String routerMac) {
    }

    /** The outcome: either a usable setup or the reason there is none. */
    public record Decision(Setup setup, String reason) {
        public boolean usable() {
            return setup != null;
        }
    }

    /** Everything the engine needs to build frames for these targets. */
    record Setup(String iface, byte[] srcMac, Address src4, Address src6, RouteTable routes,
                 Map<Address, byte[]> nextHopMacs, byte[] routerMac, String summary) {
    }

    private static volatile Throwable libraryError;
    private static volatile boolean libraryChecked;

    private SynSupport() {
    }

    /** Null if libpcap loads, else the first error it gave, as one line. */
    public static synchronized String libpcapProblem() {
        if (!libraryChecked) {
            try {
                Pcaps.libVersion();
            } catch (Throwable t) {
                libraryError = t;
            }
            libraryChecked = true;
        }
        Throwable t = libraryError;
        if (t == null) {
            return null;
        }
        String m = String.valueOf(t.getMessage()).replaceAll("\\s+", " ").trim();
        // JNA repeats the reason once for every place it searched; the first clause says it all.
        String tail = "No such file or directory";
        if (m.startsWith("Unable to load library") && m.indexOf(tail) > 0) {
            m = m.substring(0, m.indexOf(tail) + tail.length());
        }
        if (m.contains("failed to map segment") || m.contains("jnidispatch")) {
            return "JNA could not load its native stub (" + m + "); set -Djna.tmpdir to a folder that allows exec";
        }
        return "libpcap could not be loaded (" + m + "); install it: apt-get install libpcap0.8";
    }

    /**
     * Loads the SYN engine's classes and libpcap without opening anything: used by the build's
     * class-data-sharing training run so that SYN scans start as fast as connect scans.
     */
    public static void warmUp() {
        libpcapProblem();
        Cookie c = new Cookie(1, 2);
        byte[] f = Frames.v4Template(new byte[6], 0x7F000001);
        Frames.patchV4(f, new byte[6], 0x7F000001, 9, SynEngine.SPORT_BASE, c.v4(0x7F000001, 9, SynEngine.SPORT_BASE));
        new Reply(c).parse(f, f.length);
        byte[] g = Frames.v6Template(new byte[6], 0, 1);
        Frames.patchV6(g, new byte[6], 0, 1, 9, SynEngine.SPORT_BASE, c.v6(0, 1, 9, SynEngine.SPORT_BASE));
        RouteTable.parse("", "");
        try {
            Class.forName("org.pcap4j.core.PcapHandle$Builder");
            Class.forName("org.pcap4j.core.PcapStat");
            Class.forName("org.aiscan.probe.syn.SynEngine");
        } catch (ClassNotFoundException | LinkageError e) {
            // nothing to warm
        }
    }

    /** Decides for these targets. Does not send anything except, if needed, one datagram to a next hop. */
    public static Decision decide(TargetSet targets, Overrides o, TargetGuard guard) {
        try {
            return decideOrThrow(targets, o, guard);
        } catch (IOException | RuntimeException e) {
            return new Decision(null, "cannot prepare raw frames: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Decision(null, "interrupted");
        }
    }

    private static Decision decideOrThrow(TargetSet targets, Overrides o, TargetGuard guard)
            throws IOException, InterruptedException {
        Set<Address> local = localAddresses();
        for (AddressRange r : targets.ranges()) {
            for (Address a : local) {
                if (r.contains(a)) {
                    return no("targets include " + (isLoopback(a) ? "loopback" : "this host's own address " + a)
                            + ", which injected frames cannot reach");
                }
            }
            if (!r.isV6() && overlaps(r, 0x7F00_0000L, 0x7FFF_FFFFL) || r.isV6() && r.contains(Address.parse("::1"))) {
                return no("targets include loopback, which injected frames cannot reach");
            }
        }
        byte[] routerMac = o.routerMac() == null ? null : parseMacOption(o.routerMac());
        RouteTable routes = RouteTable.read();
        Set<String> ifaces = new LinkedHashSet<>();
        Set<Address> gateways = new LinkedHashSet<>();
        for (AddressRange r : targets.ranges()) {
            List<RouteTable.Route> used = routes.usedBy(r);
            if (used.contains(null) && o.iface() == null) {
                return no("no route to part of " + r);
            }
            for (RouteTable.Route route : used) {
                if (route == null) {
                    continue;
                }
                ifaces.add(route.iface());
                if (route.gateway() == null && routerMac == null) {
                    return no("targets on the local link of " + route.iface() + " (" + route.net()
                            + ") need a neighbour lookup per host; pass --router-mac to send everything to one next hop");
                }
                if (route.gateway() != null) {
                    gateways.add(route.gateway());
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
        java.nio.file.Path type = java.nio.file.Path.of("/sys/class/net", iface, "type");
        if (java.nio.file.Files.exists(type) && !java.nio.file.Files.readString(type).trim().equals("1")) {
            return no("interface " + iface + " is not Ethernet (ARPHRD " + java.nio.file.Files.readString(type).trim() + ")");
        }
        String lib = libpcapProblem();
        if (lib != null) {
            return no(lib);
        }
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
        for (AddressRange r : targets.ranges()) {
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
        Map<Address, byte[]> macs = new HashMap<>();
        if (routerMac == null) {
            for (Address gw : gateways) {
                byte[] mac = Neighbours.resolve(gw, iface, guard, 1500);
                if (mac == null) {
                    return no("next hop " + gw + " on " + iface + " does not resolve to a MAC; pass --router-mac");
                }
                macs.put(gw, mac);
            }
        }
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
        if (routerMac != null) {
            summary.append(" via ").append(Neighbours.format(routerMac));
        } else {
            List<String> hops = new ArrayList<>();
            macs.forEach((gw, mac) -> hops.add(gw + " (" + Neighbours.format(mac) + ")"));
            Collections.sort(hops);
            summary.append(" via ").append(String.join(", ", hops));
        }
        return new Decision(new Setup(iface, srcMac, src4, src6, routes, Map.copyOf(macs), routerMac, summary.toString()), null);
    }

    /**
     * Whether this process may open raw sockets: root, or CAP_NET_RAW (bit 13) in the effective set
     * of {@code /proc/self/status}. Cheaper than opening a handle; when the file is unreadable a
     * throw-away handle decides.
     */
    private static String privilegeProblem(String iface) {
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
    private static String openTest(String iface) {
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
            String lib = libpcapProblem();
            return lib != null ? lib : "cannot open " + iface + ": " + t;
        }
    }

    /** The SYN engine for a usable decision. */
    public static ProbeEngine engine(Decision d, EngineOptions options, TargetGuard guard, int sendThreads) {
        if (!d.usable()) {
            throw new IllegalStateException(d.reason());
        }
        return new SynEngine(d.setup(), options, guard, sendThreads);
    }

    private static Decision no(String why) {
        return new Decision(null, why);
    }

    static Address kernelSource(Address target) {
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

    private static Set<Address> localAddresses() throws SocketException {
        Set<Address> out = new LinkedHashSet<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                out.add(Address.of(a.getAddress()));
            }
        }
        return out;
    }

    private static boolean isLoopback(Address a) {
        return a.isV6() ? a.equals(Address.parse("::1")) : (a.lo() >>> 24) == 127;
    }

    private static boolean overlaps(AddressRange r, long lo, long hi) {
        return !r.isV6() && r.first().lo() <= hi && r.last().lo() >= lo;
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
            throw new org.aiscan.model.InvalidInputException("bad --router-mac '" + s + "': expected six hex bytes like 02:a1:5c:00:fe:02");
        }
    }
}
