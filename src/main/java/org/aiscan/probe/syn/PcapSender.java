package org.aiscan.probe.syn;

import java.util.concurrent.locks.LockSupport;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/** One {@code pcap_sendpacket} per frame: the portable path. */
final class PcapSender implements FrameSender {
    private final PcapHandle handle;
    private final boolean owned;
    private long retries;
    private String lastError = "";

    /** @param owned whether {@link #close()} closes the handle */
    PcapSender(PcapHandle handle, boolean owned) {
        this.handle = handle;
        this.owned = owned;
    }

    @Override
    public void send(byte[] frame, int len) throws NotOpenException {
        for (int attempt = 0; ; attempt++) {
            try {
                handle.sendPacket(frame, len);
                return;
            } catch (PcapNativeException e) {
                retries++;
                lastError = String.valueOf(e.getMessage()).trim();
                if (attempt >= 50) {
                    throw new IllegalStateException("pcap_sendpacket keeps failing: " + lastError, e);
                }
                LockSupport.parkNanos(200_000L << Math.min(attempt, 6)); // ENOBUFS and friends: back off
            }
        }
    }

    @Override
    public void flush() {
        // nothing is queued
    }

    @Override
    public long retries() {
        return retries;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        if (owned) {
            handle.close();
        }
    }
}
