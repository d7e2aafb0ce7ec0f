package org.aiscan.grab;

import org.aiscan.model.Address;

/** Performs one exchange with an endpoint. The real one is {@link TcpTransport}; tests replay fixtures. */
public interface Transport {
    /**
     * @param tls whether to speak TLS
     * @param deadlineNanos {@link System#nanoTime()} value after which the exchange is abandoned
     */
    Response exchange(Address address, int port, Request request, boolean tls, long deadlineNanos);
}
