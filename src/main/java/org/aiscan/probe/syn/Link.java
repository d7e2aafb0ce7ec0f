package org.aiscan.probe.syn;

import java.io.IOException;
import java.util.List;

/**
 * What one SYN run opens on its interface: a frame source for the receive thread and a frame sender
 * per send thread ({@link PcapLink} in scans, {@link DryRunLink} for {@code --dry-run}, doubles in
 * tests), and the kernel's neighbour table for the on-link targets.
 */
interface Link {
    /** The receive side and the send side of one run. */
    record Wire(FrameSource rx, List<FrameSender> tx) {
        public Wire {
            tx = List.copyOf(tx);
        }
    }

    /**
     * Opens the capture and {@code senders} frame senders.
     *
     * @param onLink the on-link targets (their neighbour answers are captured too), or null
     * @param probes how many probes the run sends: a small run needs a small capture ring
     * @param info where a line about how frames are sent goes
     */
    Wire open(OnLink onLink, long probes, int senders, List<String> info) throws Exception;

    /** The kernel's complete neighbour entries for the interface. */
    List<Neighbours.Entry> neighbourTable(boolean v4, boolean v6) throws IOException, InterruptedException;
}
