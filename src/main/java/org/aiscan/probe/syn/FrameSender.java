package org.aiscan.probe.syn;

/** Sends prepared Ethernet frames; one per sending thread, not thread-safe. */
public interface FrameSender extends AutoCloseable {
    /** Queues one frame ({@code len} bytes of {@code frame}); it may go out now or with the next flush. */
    void send(byte[] frame, int len) throws Exception;

    /** Sends whatever is queued. */
    void flush() throws Exception;

    /** Sends that failed and were retried (ENOBUFS and the like); none for a sender that cannot fail so. */
    default long retries() {
        return 0;
    }

    /** The last send error seen, for messages; empty when there was none. */
    default String lastError() {
        return "";
    }

    @Override
    void close();
}
