package org.aiscan.grab;

/**
 * Hard limits for one exchange and one endpoint.
 *
 * @param connectMillis longest wait for the TCP (and TLS) handshake
 * @param requestMillis longest total time for one exchange, however the bytes trickle in
 * @param bannerMillis how long a banner read waits for the server to speak first
 * @param endpointMillis longest total time spent on one endpoint, all exchanges together
 * @param maxBytes most body bytes kept (after decoding); reading stops there
 * @param maxHeaderBytes most bytes of status line and headers
 */
public record Limits(int connectMillis, int requestMillis, int bannerMillis, int endpointMillis, int maxBytes, int maxHeaderBytes) {
    public static final Limits DEFAULT = new Limits(2_000, 5_000, 300, 20_000, 128 * 1024, 32 * 1024);

    public Limits {
        if (connectMillis < 1 || requestMillis < 1 || bannerMillis < 1 || endpointMillis < 1 || maxBytes < 1024 || maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("bad grab limits");
        }
    }
}
