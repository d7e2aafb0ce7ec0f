package org.aiscan.grab;

/**
 * Hard limits for one exchange, one endpoint and one host.
 *
 * @param connectMillis longest wait for the TCP (and TLS) handshake
 * @param headerMillis longest wait, from the request, for a complete HTTP status line and headers: a
 *     real server sends them at once; a tarpit or a byte-a-second drip does not
 * @param requestMillis longest total time for one exchange, however the bytes trickle in
 * @param bannerMillis how long a banner read waits for the server to speak first
 * @param rawMillis how long a raw payload (Redis {@code PING}) waits for its first answer byte: the
 *     protocols spoken this way answer at once, and a server that does not speak them (an HTTP server
 *     waiting for the rest of a request head) would otherwise hold the exchange to its whole limit
 * @param endpointMillis longest total time spent on one endpoint, all exchanges together
 * @param hostMillis longest time spent identifying one host's endpoints, from the first one on:
 *     endpoints still unfinished then are written with what was learnt
 * @param maxBytes most body bytes kept (after decoding); reading stops there
 * @param maxHeaderBytes most bytes of status line and headers
 */
public record Limits(int connectMillis, int headerMillis, int requestMillis, int bannerMillis, int rawMillis, int endpointMillis, int hostMillis,
                     int maxBytes, int maxHeaderBytes) {
    /**
     * Measured on the lab (bench F2, README): a /24 of the AI port set with ten hostile servers among
     * 21 real and recorded services is identified completely, and no hostile server holds the scan
     * longer than a TLS handshake plus a header wait.
     */
    public static final Limits DEFAULT = new Limits(2_000, 3_000, 5_000, 300, 1_000, 10_000, 20_000, 128 * 1024, 32 * 1024);

    /**
     * These limits with another time for one request and other budgets for an endpoint and a host (the
     * command line's {@code --request-timeout}, {@code --endpoint-budget}, {@code --host-budget}): the
     * waits that are part of one request are shortened to fit in it.
     */
    public Limits within(int requestMillis, int endpointMillis, int hostMillis) {
        return new Limits(Math.min(connectMillis, requestMillis), Math.min(headerMillis, requestMillis), requestMillis, bannerMillis,
                Math.min(rawMillis, requestMillis), endpointMillis, hostMillis, maxBytes, maxHeaderBytes);
    }

    public Limits {
        if (connectMillis < 1 || headerMillis < 1 || requestMillis < 1 || bannerMillis < 1 || rawMillis < 1 || endpointMillis < 1 || hostMillis < 1
                || maxBytes < 1024 || maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("bad grab limits");
        }
    }
}
