package org.aiscan.probe.syn;

/** Sends prepared Ethernet frames; one per sending thread, not thread-safe. */
public interface FrameSender extends AutoCloseable {
    /** Queues one frame ({@code len} bytes of {@code frame}); it may go out now or with the next flush. */
    void send(byte[] frame, int len) throws Exception;

    /** Sends whatever is queued. */
    void flush() throws Exception;

    /** Sends that failed and were retried (ENOBUFS and the like). */
    long retries();

    /** The last send error seen, for messages. */
    String lastError();

    @Override
    void close();
}
