package org.aiscan.probe.syn;

import org.aiscan.model.Address;
import org.aiscan.model.PortState;
import org.jspecify.annotations.Nullable;

/**
 * Parses one captured frame into the probe it answers, if it is a SYN-ACK, RST or ICMP/ICMPv6
 * unreachable carrying our cookie. A mutable holder reused by the receive thread: {@link #parse}
 * fills it and returns whether the frame is a valid answer.
 */
final class Reply {
    // result fields, valid after parse() returned true
    boolean v6;
    int ip4;
    long hi;
    long lo;
    int targetPort;
    int sourcePort;
    @Nullable PortState state;
    @Nullable String reason;

    private final Cookie cookie;

    Reply(Cookie cookie) {
        this.cookie = cookie;
    }

    Address address() {
        return v6 ? Address.v6(hi, lo) : Address.v4(ip4 & 0xFFFF_FFFFL);
    }

    boolean parse(byte[] f, int len) {
        if (len < Frames.ETH + 20) {
            return false;
        }
        int off = 12;
        int type = Frames.get16(f, off);
        if (type == 0x8100 || type == 0x88A8) { // one VLAN tag
            off += 4;
            if (len < off + 2) {
                return false;
            }
            type = Frames.get16(f, off);
        }
        int ip = off + 2;
        if (type == 0x0800) {
            return parseV4(f, len, ip);
        }
        if (type == 0x86DD) {
            return parseV6(f, len, ip);
        }
        return false;
    }

    private boolean parseV4(byte[] f, int len, int ip) {
        if ((f[ip] >> 4 & 0xF) != 4) {
            return false;
        }
        int ihl = (f[ip] & 0xF) * 4;
        int proto = f[ip + 9] & 0xFF;
        int t = ip + ihl;
        if (proto == 6) {
            if (len < t + 14) {
                return false;
            }
            v6 = false;
            ip4 = Frames.get32(f, ip + 12);
            targetPort = Frames.get16(f, t);
            sourcePort = Frames.get16(f, t + 2);
            return tcpVerdict(f, t, cookie.v4(ip4, targetPort, sourcePort));
        }
        if (proto == 1) {
            // ICMP destination unreachable quoting our SYN: type 3, then the original IP header + 8 bytes
            if (len < t + 8 + 20 || (f[t] & 0xFF) != 3) {
                return false;
            }
            int inner = t + 8;
            int innerIhl = (f[inner] & 0xF) * 4;
            int it = inner + innerIhl;
            if ((f[inner + 9] & 0xFF) != 6 || len < it + 8) {
                return false;
            }
            v6 = false;
            ip4 = Frames.get32(f, inner + 16);
            sourcePort = Frames.get16(f, it);
            targetPort = Frames.get16(f, it + 2);
            if (Frames.get32(f, it + 4) != cookie.v4(ip4, targetPort, sourcePort)) {
                return false;
            }
            state = PortState.FILTERED;
            int code = f[t + 1] & 0xFF;
            reason = switch (code) {
                case 0 -> "net-unreach";
                case 1 -> "host-unreach";
                case 2 -> "proto-unreach";
                case 3 -> "port-unreach";
                case 9, 10, 13 -> "admin-prohibited";
                default -> "icmp-unreach";
            };
            return true;
        }
        return false;
    }

    private boolean parseV6(byte[] f, int len, int ip) {
        if (len < ip + 40 || (f[ip] >> 4 & 0xF) != 6) {
            return false;
        }
        int next = f[ip + 6] & 0xFF;
        int t = ip + 40;
        if (next == 6) {
            if (len < t + 14) {
                return false;
            }
            v6 = true;
            hi = Frames.get64(f, ip + 8);
            lo = Frames.get64(f, ip + 16);
            targetPort = Frames.get16(f, t);
            sourcePort = Frames.get16(f, t + 2);
            return tcpVerdict(f, t, cookie.v6(hi, lo, targetPort, sourcePort));
        }
        if (next == 58) {
            if (len < t + 8 + 40 + 8 || (f[t] & 0xFF) != 1) {
                return false;
            }
            int inner = t + 8;
            if ((f[inner + 6] & 0xFF) != 6) {
                return false;
            }
            int it = inner + 40;
            v6 = true;
            hi = Frames.get64(f, inner + 24);
            lo = Frames.get64(f, inner + 32);
            sourcePort = Frames.get16(f, it);
            targetPort = Frames.get16(f, it + 2);
            if (Frames.get32(f, it + 4) != cookie.v6(hi, lo, targetPort, sourcePort)) {
                return false;
            }
            state = PortState.FILTERED;
            int code = f[t + 1] & 0xFF;
            reason = switch (code) {
                case 0 -> "net-unreach";
                case 1 -> "admin-prohibited";
                case 3 -> "host-unreach";
                case 4 -> "port-unreach";
                default -> "icmp-unreach";
            };
            return true;
        }
        return false;
    }

    private boolean tcpVerdict(byte[] f, int t, int expectedSeq) {
        int ack = Frames.get32(f, t + 8);
        if (ack - 1 != expectedSeq) {
            return false;
        }
        int flags = f[t + 13] & 0xFF;
        if ((flags & 0x04) != 0) {
            state = PortState.CLOSED;
            reason = "reset";
            return true;
        }
        if ((flags & 0x12) == 0x12) {
            state = PortState.OPEN;
            reason = "syn-ack";
            return true;
        }
        return false;
    }
}
