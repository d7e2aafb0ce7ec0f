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
import org.pcap4j.core.Pcaps;
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

    private static volatile @Nullable Throwable libraryError;
    private static volatile boolean libraryChecked;

    private SynSupport() {
    }

    /** pcap4j reads the library to load from this property ("pcap" by default). */
    static final String LIB_PROPERTY = "org.pcap4j.core.pcapLibName";
    /** JNA's list of system library folders; when unset JNA asks ldconfig. */
    static final String JNA_PATH_PROPERTY = "jna.platform.library.path";
    /** Where Linux distributions put shared libraries, most specific first. */
    private static final List<String> LIB_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib");
    /** libpcap's file names: the development link first, then the runtime names Debian and others ship. */
    private static final List<String> LIB_NAMES = List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8");

    /**
     * Points pcap4j at libpcap's file when the user has not: without the unversioned
     * {@code libpcap.so} (a -dev package) JNA finds {@code libpcap.so.0.8} only by listing every
     * library folder, or by running {@code ldconfig -p}, about 20 ms of each SYN scan's start.
     */
    static void locateLibpcap() {
        if (System.getProperty(JNA_PATH_PROPERTY) == null) {
            // Otherwise JNA's first use runs /sbin/ldconfig -p to learn these folders (a process start).
            StringBuilder path = new StringBuilder();
            for (String dir : LIB_DIRS) {
                if (new java.io.File(dir).isDirectory()) {
                    path.append(path.length() == 0 ? "" : java.io.File.pathSeparator).append(dir);
                }
            }
            System.setProperty(JNA_PATH_PROPERTY, path.toString());
        }
        if (System.getProperty(LIB_PROPERTY) != null) {
            return;
        }
        for (String dir : LIB_DIRS) {
            for (String name : LIB_NAMES) {
                java.io.File f = new java.io.File(dir, name);
                if (f.isFile()) {
                    System.setProperty(LIB_PROPERTY, f.getPath());
                    return;
                }
            }
        }
    }

    /** Null if libpcap loads, else the first error it gave, as one line. */
    public static synchronized @Nullable String libpcapProblem() {
        if (!libraryChecked) {
            locateLibpcap();
            Trace.mark("libpcap located");
            try {
                Pcaps.libVersion();
                Trace.mark("libpcap loaded");
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

    /** A native callback type of our own, to warm JNA's callback machinery (see {@link #prefetch}). */
    private interface WarmCallback extends com.sun.jna.Callback {
        void invoke(com.sun.jna.Pointer p);
    }

    /**
     * Work a SYN scan needs before its first packet, done on a spare core while the command line is
     * parsed: load libpcap, and build one JNA native callback (the receive loop's packet handler is
     * one; the first costs JNA about 20 ms of reflection and trampoline set-up).
     */
    public static void prefetch() {
        if (libpcapProblem() != null) {
            return;
        }
        try {
            WarmCallback cb = p -> { };
            com.sun.jna.CallbackReference.getFunctionPointer(cb);
            Trace.mark("JNA callback warm");
        } catch (RuntimeException | LinkageError e) {
            // only a warm-up
        }
    }

    /**
     * Loads the SYN engine's classes and libpcap without opening anything: used by the build's
     * class-data-sharing training run so that SYN scans start as fast as connect scans.
     */
    public static void warmUp() {
        prefetch();
        Cookie c = new Cookie(1, 2);
        byte[] f = Frames.v4Template(new byte[6], 0x7F000001);
        Frames.patchV4(f, new byte[6], 0x7F000001, 9, SynEngine.SPORT_BASE, c.v4(0x7F000001, 9, SynEngine.SPORT_BASE));
        new Reply(c).parse(f, f.length);
        byte[] g = Frames.v6Template(new byte[6], 0, 1);
        Frames.patchV6(g, new byte[6], 0, 1, 9, SynEngine.SPORT_BASE, c.v6(0, 1, 9, SynEngine.SPORT_BASE));
        RouteTable.parse("", "");
        byte[] arp = Frames.arpTemplate(new byte[6], 0x7F000001);
        Frames.patchArp(arp, 0x7F000002);
        new NeighbourReply(Address.v4(0x7F000001L), Address.parse("::1")).parse(arp, arp.length);
        Frames.patchNs(Frames.nsTemplate(new byte[6], 0, 1), 0, 2);
        // Classes a SYN scan loads, so that the start-up caches made from this run hold them too
        // (the training run cannot open a capture: it runs unprivileged and on loopback).
        ClassLoader cl = SynSupport.class.getClassLoader();
        for (String name : List.of("org.pcap4j.core.PcapHandle", "org.pcap4j.core.PcapHandle$Builder", "org.pcap4j.core.PcapStat",
                "org.pcap4j.core.PcapHandle$PcapDirection", "org.pcap4j.core.PcapNetworkInterface$PromiscuousMode",
                "org.pcap4j.core.PcapHandle$TimestampPrecision", "org.pcap4j.core.PcapHandle$SimpleExecutor",
                "org.pcap4j.core.PcapHandle$GotRawPacketFuncExecutor", "org.pcap4j.core.RawPacketListener",
                "org.pcap4j.core.BpfProgram", "org.pcap4j.core.BpfProgram$BpfCompileMode", "org.pcap4j.core.NativeMappings$PcapLibrary",
                "org.pcap4j.core.NativeMappings$pcap_stat", "org.pcap4j.core.NativeMappings$pcap_stat_ex",
                "org.pcap4j.core.NativeMappings$timeval", "org.pcap4j.core.NativeMappings$pcap_pkthdr",
                "org.pcap4j.core.NativeMappings$bpf_program", "org.pcap4j.packet.namednumber.DataLinkType",
                "org.aiscan.probe.syn.SynEngine", "org.aiscan.probe.syn.SynEngine$Sender", "org.aiscan.probe.syn.SynEngine$Receiver",
                "org.aiscan.probe.syn.SynEngine$Shared", "org.aiscan.probe.syn.AfPacketSender", "org.aiscan.probe.syn.PcapSender",
                "org.aiscan.probe.syn.OnLink", "org.aiscan.probe.SplitEngine")) {
            try {
                Class.forName(name, false, cl);
            } catch (ClassNotFoundException | LinkageError e) {
                // nothing to warm
            }
        }
    }

    /** Decides for these targets. Does not send anything except, if needed, one datagram to a next hop. */
    public static Decision decide(TargetSet targets, int ports, Overrides o, TargetGuard guard) {
        try {
            return decideOrThrow(targets, ports, o, guard);
        } catch (IOException | RuntimeException e) {
            return no("cannot prepare raw frames: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return no("interrupted");
        }
    }

    private static Decision decideOrThrow(TargetSet targets, int ports, Overrides o, TargetGuard guard)
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
        String lib = libpcapProblem();
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
                byte[] mac = Neighbours.resolve(gw, iface, guard, 1500);
                if (mac == null) {
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
            String lib = libpcapProblem();
            return lib != null ? lib : "cannot open " + iface + ": " + t;
        }
    }

    /** The SYN engine for a usable decision. */
    public static ProbeEngine engine(Decision d, EngineOptions options, TargetGuard guard, SendOptions sending) {
        if (!d.usable()) {
            throw new IllegalStateException(d.reason());
        }
        return new SynEngine(d.setup(), options, guard, sending);
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
