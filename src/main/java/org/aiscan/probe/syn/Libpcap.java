package org.aiscan.probe.syn;

import java.io.File;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.trace.Trace;
import org.jspecify.annotations.Nullable;
import org.pcap4j.core.Pcaps;

/**
 * libpcap for the SYN engine: where its file is, whether it loads (the first native error kept as
 * one line), and the work done before a scan's first packet (loading it, warming JNA, loading the
 * engine's classes for the start-up caches).
 */
public final class Libpcap {
    private Libpcap() {
    }

    private static volatile @Nullable Throwable libraryError;
    private static volatile boolean libraryChecked;

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
    static void locate() {
        if (System.getProperty(JNA_PATH_PROPERTY) == null) {
            // Otherwise JNA's first use runs /sbin/ldconfig -p to learn these folders (a process start).
            StringBuilder path = new StringBuilder();
            for (String dir : LIB_DIRS) {
                if (new File(dir).isDirectory()) {
                    path.append(path.length() == 0 ? "" : File.pathSeparator).append(dir);
                }
            }
            System.setProperty(JNA_PATH_PROPERTY, path.toString());
        }
        if (System.getProperty(LIB_PROPERTY) != null) {
            return;
        }
        for (String dir : LIB_DIRS) {
            for (String name : LIB_NAMES) {
                File f = new File(dir, name);
                if (f.isFile()) {
                    System.setProperty(LIB_PROPERTY, f.getPath());
                    return;
                }
            }
        }
    }

    /** Null if libpcap loads, else the first error it gave, as one line. */
    public static synchronized String problem() {
        if (!libraryChecked) {
            locate();
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
        if (problem() != null) {
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
        Frames.patchV4(f, new byte[6], 0x7F000001, 9, SynSender.SPORT_BASE, c.v4(0x7F000001, 9, SynSender.SPORT_BASE));
        new Reply(c).parse(f, f.length);
        byte[] g = Frames.v6Template(new byte[6], 0, 1);
        Frames.patchV6(g, new byte[6], 0, 1, 9, SynSender.SPORT_BASE, c.v6(0, 1, 9, SynSender.SPORT_BASE));
        RouteTable.parse("", "");
        byte[] arp = Frames.arpTemplate(new byte[6], 0x7F000001);
        Frames.patchArp(arp, 0x7F000002);
        new NeighbourReply(Address.v4(0x7F000001L), Address.parse("::1")).parse(arp, arp.length);
        Frames.patchNs(Frames.nsTemplate(new byte[6], 0, 1), 0, 2);
        // Classes a SYN scan loads, so that the start-up caches made from this run hold them too
        // (the training run cannot open a capture: it runs unprivileged and on loopback).
        ClassLoader cl = Libpcap.class.getClassLoader();
        for (String name : List.of("org.pcap4j.core.PcapHandle", "org.pcap4j.core.PcapHandle$Builder", "org.pcap4j.core.PcapStat",
                "org.pcap4j.core.PcapHandle$PcapDirection", "org.pcap4j.core.PcapNetworkInterface$PromiscuousMode",
                "org.pcap4j.core.PcapHandle$TimestampPrecision", "org.pcap4j.core.PcapHandle$SimpleExecutor",
                "org.pcap4j.core.PcapHandle$GotRawPacketFuncExecutor", "org.pcap4j.core.RawPacketListener",
                "org.pcap4j.core.BpfProgram", "org.pcap4j.core.BpfProgram$BpfCompileMode", "org.pcap4j.core.NativeMappings$PcapLibrary",
                "org.pcap4j.core.NativeMappings$pcap_stat", "org.pcap4j.core.NativeMappings$pcap_stat_ex",
                "org.pcap4j.core.NativeMappings$timeval", "org.pcap4j.core.NativeMappings$pcap_pkthdr",
                "org.pcap4j.core.NativeMappings$bpf_program", "org.pcap4j.packet.namednumber.DataLinkType",
                "org.aiscan.probe.syn.SynEngine", "org.aiscan.probe.syn.SynSender", "org.aiscan.probe.syn.SynReceiver",
                "org.aiscan.probe.syn.SynState", "org.aiscan.probe.syn.SynRun", "org.aiscan.probe.syn.PcapLink",
                "org.aiscan.probe.syn.PcapSource", "org.aiscan.probe.syn.Link$Wire", "org.aiscan.probe.syn.NeighbourLookup",
                "org.aiscan.probe.syn.AfPacketSender", "org.aiscan.probe.syn.PcapSender",
                "org.aiscan.probe.syn.OnLink", "org.aiscan.probe.SplitEngine")) {
            try {
                Class.forName(name, false, cl);
            } catch (ClassNotFoundException | LinkageError e) {
                // nothing to warm
            }
        }
    }
}
