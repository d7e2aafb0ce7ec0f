package org.aiscan.probe.syn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.aiscan.model.Address;
import org.aiscan.target.TargetGuard;
import org.jspecify.annotations.Nullable;

/**
 * The link-layer address of a next hop: from {@code /proc/net/arp} (IPv4) or {@code ip -6 neigh}
 * (IPv6). When the kernel has none yet, one UDP datagram to the discard port of the next hop
 * (checked by the target guard) makes it resolve one.
 */
final class Neighbours {
    private Neighbours() {
    }

    static byte @Nullable [] lookup(Address nextHop, String iface) throws IOException, InterruptedException {
        if (!nextHop.isV6()) {
            for (String line : Files.readAllLines(Path.of("/proc/net/arp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[0].equals(nextHop.toString()) && f[5].equals(iface)
                        && (Integer.decode(f[2]) & 0x2) != 0) {
                    return parseMac(f[3]);
                }
            }
            return null;
        }
        Process p = new ProcessBuilder("ip", "-6", "neigh", "show", "dev", iface).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].indexOf(':') > 0 && Address.parse(f[0]).equals(nextHop)) {
                for (int i = 1; i + 1 < f.length; i++) {
                    if (f[i].equals("lladdr") && !line.contains("FAILED") && !line.contains("INCOMPLETE")) {
                        return parseMac(f[i + 1]);
                    }
                }
            }
        }
        return null;
    }

    /** Looks the next hop up, asking the kernel to resolve it if needed; null if it never answers. */
    static byte @Nullable [] resolve(Address nextHop, String iface, TargetGuard guard, long waitMillis)
            throws IOException, InterruptedException {
        byte[] mac = lookup(nextHop, iface);
        if (mac != null) {
            return mac;
        }
        guard.check(nextHop);
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(new byte[0], 0, new InetSocketAddress(nextHop.toInetAddress(), 9)));
        } catch (IOException e) {
            // an ICMP error or no route: the lookup below tells whether resolution worked
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(20);
            mac = lookup(nextHop, iface);
            if (mac != null) {
                return mac;
            }
        }
        return null;
    }

    /** One complete entry of the kernel's neighbour table. */
    record Entry(Address address, long mac) {
    }

    /**
     * The kernel's complete neighbour entries on {@code iface} (REACHABLE, STALE, DELAY, PROBE,
     * PERMANENT; not INCOMPLETE or FAILED): /proc/net/arp for IPv4, {@code ip -6 neigh} for IPv6.
     */
    static java.util.List<Entry> table(String iface, boolean v4, boolean v6) throws IOException, InterruptedException {
        java.util.List<Entry> out = new java.util.ArrayList<>();
        if (v4 && Files.isReadable(Path.of("/proc/net/arp"))) {
            for (String line : Files.readAllLines(Path.of("/proc/net/arp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[5].equals(iface) && f[0].indexOf('.') > 0 && (Integer.decode(f[2]) & 0x2) != 0) {
                    long mac = Frames.getMac(parseMac(f[3]), 0);
                    if (mac != 0) {
                        out.add(new Entry(Address.parse(f[0]), mac));
                    }
                }
            }
        }
        if (v6) {
            Process p = new ProcessBuilder("ip", "-6", "neigh", "show", "dev", iface).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return out;
            }
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 3 || f[0].indexOf(':') < 0 || line.contains("FAILED") || line.contains("INCOMPLETE")) {
                    continue;
                }
                for (int i = 1; i + 1 < f.length; i++) {
                    if (f[i].equals("lladdr")) {
                        long mac = Frames.getMac(parseMac(f[i + 1]), 0);
                        if (mac != 0) {
                            out.add(new Entry(Address.parse(f[0]), mac));
                        }
                    }
                }
            }
        }
        return out;
    }

    static byte[] parseMac(String s) {
        String[] p = s.split(":");
        if (p.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + s);
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return b;
    }

    static String format(byte[] mac) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", mac[i] & 0xFF));
        }
        return sb.toString();
    }
}
