package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aiscan.model.Address;
import org.aiscan.model.PortState;
import org.junit.jupiter.api.Test;

/** Replies built by hand from the engine's own SYNs, as a target would answer them. */
class ReplyTest {
    private final Cookie cookie = new Cookie(11, 22);
    private final Address us = Address.parse("198.18.254.1");
    private final Address target = Address.parse("198.18.1.5");

    private byte[] syn(int sport, int dport) {
        byte[] f = Frames.v4Template(new byte[] {2, 0, 0, 0, 0, 1}, us.v4Int());
        Frames.patchV4(f, new byte[] {2, 0, 0, 0, 0, 2}, target.v4Int(), dport, sport, cookie.v4(target.v4Int(), dport, sport));
        return f;
    }

    /** The target's answer to a SYN: addresses and ports swapped, ack = seq + 1 (+ delta), given flags. */
    private byte[] answer(byte[] syn, int flags, int ackDelta) {
        byte[] r = syn.clone();
        int ip = Frames.ETH;
        int t = ip + 20;
        System.arraycopy(syn, ip + 16, r, ip + 12, 4);
        System.arraycopy(syn, ip + 12, r, ip + 16, 4);
        Frames.put16(r, t, Frames.get16(syn, t + 2));
        Frames.put16(r, t + 2, Frames.get16(syn, t));
        Frames.put32(r, t + 8, Frames.get32(syn, t + 4) + 1 + ackDelta);
        r[t + 13] = (byte) flags;
        return r;
    }

    @Test
    void synAckIsOpenRstIsClosed() {
        byte[] s = syn(61500, 8000);
        Reply r = new Reply(cookie);
        assertTrue(r.parse(answer(s, 0x12, 0), Frames.V4_LEN));
        assertEquals(PortState.OPEN, r.state);
        assertEquals(target, r.address());
        assertEquals(8000, r.targetPort);
        assertEquals(61500, r.sourcePort);
        assertTrue(r.parse(answer(s, 0x14, 0), Frames.V4_LEN));
        assertEquals(PortState.CLOSED, r.state);
    }

    @Test
    void aWrongAckOrAPlainAckIsNotOurs() {
        byte[] s = syn(61500, 8000);
        Reply r = new Reply(cookie);
        assertFalse(r.parse(answer(s, 0x12, 1), Frames.V4_LEN), "ack off by one");
        assertFalse(r.parse(answer(s, 0x10, 0), Frames.V4_LEN), "ACK without SYN or RST");
        assertFalse(new Reply(new Cookie(11, 23)).parse(answer(s, 0x12, 0), Frames.V4_LEN), "another run's key");
        assertFalse(r.parse(new byte[20], 20), "runt");
    }

    @Test
    void icmpUnreachableQuotingOurSynIsFiltered() {
        byte[] s = syn(61600, 9090);
        // Ethernet + IPv4 (router -> us, proto 1) + ICMP type 3 code 13 + the original IP header + 8 bytes of TCP
        byte[] f = new byte[Frames.ETH + 20 + 8 + 28];
        System.arraycopy(s, 0, f, 0, Frames.ETH);
        int ip = Frames.ETH;
        f[ip] = 0x45;
        f[ip + 9] = 1;
        Frames.put32(f, ip + 12, Address.parse("198.18.254.2").v4Int());
        Frames.put32(f, ip + 16, us.v4Int());
        int icmp = ip + 20;
        f[icmp] = 3;
        f[icmp + 1] = 13;
        System.arraycopy(s, Frames.ETH, f, icmp + 8, 28);
        Reply r = new Reply(cookie);
        assertTrue(r.parse(f, f.length));
        assertEquals(PortState.FILTERED, r.state);
        assertEquals("admin-prohibited", r.reason);
        assertEquals(9090, r.targetPort);
        assertEquals(target, r.address());
        Frames.put32(f, icmp + 8 + 20 + 4, 42); // a quoted sequence that is not our cookie
        assertFalse(r.parse(f, f.length));
    }

    @Test
    void ipv6SynAck() {
        Address src = Address.parse("2001:2:0:fe::1");
        Address dst = Address.parse("2001:2::10");
        byte[] f = Frames.v6Template(new byte[6], src.hi(), src.lo());
        Frames.patchV6(f, new byte[6], dst.hi(), dst.lo(), 11434, 62000, cookie.v6(dst.hi(), dst.lo(), 11434, 62000));
        byte[] r = f.clone();
        int ip = Frames.ETH;
        int t = ip + 40;
        System.arraycopy(f, ip + 24, r, ip + 8, 16);
        System.arraycopy(f, ip + 8, r, ip + 24, 16);
        Frames.put16(r, t, 11434);
        Frames.put16(r, t + 2, 62000);
        Frames.put32(r, t + 8, Frames.get32(f, t + 4) + 1);
        r[t + 13] = 0x12;
        Reply reply = new Reply(cookie);
        assertTrue(reply.parse(r, r.length));
        assertEquals(dst, reply.address());
        assertEquals(PortState.OPEN, reply.state);
    }
}
