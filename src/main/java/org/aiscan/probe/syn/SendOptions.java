package org.aiscan.probe.syn;

/**
 * How the SYN engine's frames leave, chosen by whoever runs it (the command line and its
 * environment: {@code --send-threads}, {@code AISCAN_SEND=pcap}, {@code AISCAN_QDISC_BYPASS}).
 *
 * @param threads sending threads; 0 chooses (one, two above {@value SynEngine#ONE_THREAD_RATE} pps)
 * @param pcapOnly send through libpcap even where batched AF_PACKET sockets would work
 * @param qdiscBypass let AF_PACKET frames skip the interface's queueing discipline (best effort)
 */
public record SendOptions(int threads, boolean pcapOnly, boolean qdiscBypass) {
    /** One thread or two by the rate, AF_PACKET where it works, through the queueing discipline. */
    public static final SendOptions DEFAULT = new SendOptions(0, false, false);

    public SendOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("sending threads: " + threads);
        }
    }
}
