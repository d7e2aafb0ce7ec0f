package org.aiscan.probe.syn;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.aiscan.model.Address;

/**
 * The dry run's frame sender (zmap's {@code --dry-run}): every frame the engine would send becomes
 * one line, read back from the frame's own bytes: the destination address and port first (so the
 * line begins like a planned probe's), a decoded summary, then the whole frame in hex.
 *
 * <pre>
 * 198.18.1.5 8000 syn src=198.18.254.1:61500 seq=0x1a2b3c4d dst-mac=02:a1:5c:00:fe:02 frame=02a15c00fe02…
 * 198.18.2.7 - arp-request src=198.18.2.1 dst-mac=ff:ff:ff:ff:ff:ff frame=ffffffffffff…
 * 2001:2:0:2::7 - nd-solicit src=2001:2:0:2::1 dst-mac=33:33:ff:00:00:07 frame=3333ff000007…
 * </pre>
 */
final class PrintingFrameSender implements FrameSender {
    private static final HexFormat HEX = HexFormat.of();
    private final PrintWriter out;

    PrintingFrameSender(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void send(byte[] frame, int len) {
        out.println(describe(frame, len) + " frame=" + HEX.formatHex(frame, 0, len));
    }

    /** What a frame is, from its bytes: destination, port ("-" when none), kind and the fields that tell it apart. */
    static String describe(byte[] f, int len) {
        String mac = " dst-mac=" + Neighbours.format(Arrays.copyOf(f, 6));
        int type = len < Frames.ETH ? -1 : Frames.get16(f, 12);
        if (type == 0x0800 && len >= Frames.V4_LEN && f[Frames.ETH + 9] == 6) {
            int t = Frames.ETH + (f[Frames.ETH] & 0x0F) * 4;
            Address src = Address.v4(Frames.get32(f, Frames.ETH + 12) & 0xFFFF_FFFFL);
            Address dst = Address.v4(Frames.get32(f, Frames.ETH + 16) & 0xFFFF_FFFFL);
            return tcp(f, t, src, dst) + mac;
        }
        if (type == 0x86DD && len >= Frames.ETH + 40 + 20) {
            int ip = Frames.ETH;
            Address src = Address.v6(Frames.get64(f, ip + 8), Frames.get64(f, ip + 16));
            int t = ip + 40;
            if (f[ip + 6] == 6) {
                return tcp(f, t, src, Address.v6(Frames.get64(f, ip + 24), Frames.get64(f, ip + 32))) + mac;
            }
            if (f[ip + 6] == 58 && (f[t] & 0xFF) == 135 && len >= t + 24) {
                return Address.v6(Frames.get64(f, t + 8), Frames.get64(f, t + 16)) + " - nd-solicit src=" + src + mac;
            }
        }
        if (type == 0x0806 && len >= Frames.ETH + 28 && Frames.get16(f, 20) == 1) {
            return Address.v4(Frames.get32(f, 38) & 0xFFFF_FFFFL) + " - arp-request src="
                    + Address.v4(Frames.get32(f, 28) & 0xFFFF_FFFFL) + mac;
        }
        return "? - ethertype=0x" + Integer.toHexString(type & 0xFFFF) + mac;
    }

    private static String tcp(byte[] f, int t, Address src, Address dst) {
        int flags = f[t + 13] & 0x3F;
        String kind = flags == 0x02 ? "syn" : "tcp-flags=0x" + Integer.toHexString(flags);
        return dst + " " + Frames.get16(f, t + 2) + " " + kind + " src=" + src.endpoint(Frames.get16(f, t))
                + String.format(Locale.ROOT, " seq=0x%08x", Frames.get32(f, t + 4));
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
