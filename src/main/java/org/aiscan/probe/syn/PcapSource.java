package org.aiscan.probe.syn;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapStat;

/**
 * libpcap's capture as a frame source. Frames are timed by the kernel's capture time stamp, moved
 * onto the monotonic clock, so a busy receive thread does not stretch round trips.
 */
final class PcapSource implements FrameSource {
    private final PcapHandle handle;
    /** Epoch nanoseconds minus System.nanoTime, to put capture time stamps on the send clock. */
    private final long wallMinusMono;

    PcapSource(PcapHandle handle) {
        this.handle = handle;
        Instant now = Instant.now();
        this.wallMinusMono = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    /** The handle, for a frame sender that shares it. */
    PcapHandle handle() {
        return handle;
    }

    @Override
    public void loop(Handler handler) throws Exception {
        try {
            handle.loop(-1, (byte[] frame) -> handler.onFrame(frame, capturedNanos()));
        } catch (InterruptedException e) {
            // breakLoop: the normal end
        }
    }

    /** When the kernel captured the frame being handled, on the System.nanoTime clock. */
    private long capturedNanos() {
        Timestamp ts = handle.getTimestamp();
        if (ts == null) {
            return System.nanoTime();
        }
        long wall = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
        return wall - wallMinusMono;
    }

    @Override
    public void stop() {
        try {
            handle.breakLoop();
        } catch (NotOpenException ignored) {
            // already closed
        }
    }

    @Override
    public long captured() {
        try {
            PcapStat s = handle.getStats();
            return s.getNumPacketsReceived() - s.getNumPacketsDropped();
        } catch (PcapNativeException | NotOpenException e) {
            return 0;
        }
    }

    @Override
    public Stats stats() throws IOException {
        try {
            PcapStat s = handle.getStats();
            return new Stats(s.getNumPacketsReceived(), s.getNumPacketsDropped(), s.getNumPacketsDroppedByIf());
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        handle.close();
    }
}
