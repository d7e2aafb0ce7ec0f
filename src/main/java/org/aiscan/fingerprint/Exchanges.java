package org.aiscan.fingerprint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiscan.grab.Request;
import org.aiscan.grab.Response;
import org.aiscan.grab.Transport;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint's exchanges: each request sent at most once, its answer kept under the request; whether
 * the endpoint speaks TLS (settled by the first answer); whether it still answers, and if not, why.
 * Not thread-safe: one identification owns it.
 */
final class Exchanges {
    /** Ports where TLS is tried first. */
    static final Set<Integer> TLS_FIRST = Set.of(443, 8443, 9443, 6443, 4443);
    /** Consecutive failed exchanges after which an endpoint is given up. */
    static final int MAX_FAILURES = 2;
    /** HTTP requests closed without a byte after which an endpoint gets no more HTTP (raw and banner probes go on). */
    static final int MAX_SILENT_CLOSES = 3;

    final Address address;
    final int port;
    private final Transport transport;
    /** When the endpoint's budget ends (System.nanoTime), and its host's. */
    final long deadline;
    private final long hostDeadline;
    private final Map<Request, Response> responses = new LinkedHashMap<>();
    /** One-line remarks for the endpoint's record. */
    final List<String> notes = new ArrayList<>();
    private @Nullable Boolean tls;
    private @Nullable String certificate;
    private int failures;
    private int silentCloses;
    private boolean gaveUp;
    private boolean spokeHttp;
    private @Nullable String stall;

    Exchanges(Address address, int port, Transport transport, long deadline, long hostDeadline) {
        this.address = address;
        this.port = port;
        this.transport = transport;
        this.deadline = deadline;
        this.hostDeadline = hostDeadline;
    }

    /** The answer to a request already sent, or null. */
    @Nullable Response get(Request req) {
        return responses.get(req);
    }

    boolean asked(Request req) {
        return responses.containsKey(req);
    }

    Collection<Response> all() {
        return responses.values();
    }

    /** Whether more may be sent: the endpoint still answers and its time budget is not spent. */
    boolean open() {
        return !gaveUp && System.nanoTime() < deadline;
    }

    /** Whether some answer was HTTP: the endpoint speaks HTTP, and a raw payload of another protocol would be wasted on it. */
    boolean spokeHttp() {
        return spokeHttp;
    }

    /** Whether HTTP requests are still worth sending (the server did not close several without a byte). */
    boolean httpWorthSending() {
        return silentCloses < MAX_SILENT_CLOSES;
    }

    boolean tls() {
        return Boolean.TRUE.equals(tls);
    }

    @Nullable String certificate() {
        return certificate;
    }

    boolean stalled() {
        return stall != null;
    }

    /** Why identification stopped early, for the endpoint's notes. */
    String whyStopped() {
        if (stall != null) {
            return "the endpoint stalled (" + stall + "); no further requests were sent";
        }
        if (gaveUp) {
            return "the endpoint stopped answering";
        }
        if (System.nanoTime() >= hostDeadline && hostDeadline <= deadline) {
            return "the host's time budget ran out (--host-budget)";
        }
        return "the time budget ran out (--endpoint-budget)";
    }

    /** Sends a request (once: a second call returns the first answer), trying TLS and plain text for HTTP until one is settled. */
    Response fetch(Request req) {
        Response known = responses.get(req);
        if (known != null) {
            return known;
        }
        Response r;
        if (req.kind() != Request.Kind.HTTP_GET) {
            r = transport.exchange(address, port, req, false, deadline);
        } else if (tls != null) {
            r = transport.exchange(address, port, req, tls, deadline);
        } else {
            boolean first = TLS_FIRST.contains(port);
            r = transport.exchange(address, port, req, first, deadline);
            if (needsTls(r) || (!r.isHttp() && r.body().length == 0 && (r.ok() || looksClosedByTls(r)))) {
                Response other = transport.exchange(address, port, req, !first, deadline);
                if (other.isHttp() || other.body().length > 0) {
                    r = other;
                }
            }
            if (r.isHttp() || r.body().length > 0) {
                tls = r.tls(); // settled: this endpoint speaks (or does not speak) TLS
                if (r.tls() && r.certificate() != null) {
                    certificate = r.certificate();
                }
            } else {
                tls = false; // neither answered: not TLS either; later requests stay plain
            }
        }
        if (req.kind() == Request.Kind.HTTP_GET && !r.isHttp() && r.body().length == 0 && r.error() == null) {
            silentCloses++;
        }
        spokeHttp |= r.isHttp();
        responses.put(req, r);
        if (r.stalled() && req.kind() != Request.Kind.RAW) {
            // a tarpit or a drip costs its limit once, not once per request (a raw payload of another
            // protocol that gets no answer only says the server does not speak that protocol)
            stall = req.describe() + ": " + r.error().substring(Response.STALLED.length());
            gaveUp = true;
        } else if (r.ok() || r.isHttp() || r.body().length > 0 || r.stalled()) {
            failures = 0;
        } else if (++failures >= MAX_FAILURES) {
            gaveUp = true;
        }
        return r;
    }

    /** An answer that says "speak TLS to me" over plain HTTP. */
    static boolean needsTls(Response r) {
        if (r.tls()) {
            return false;
        }
        if (r.body().length > 0 && r.body()[0] == 0x15 && r.status() == 0) {
            return true; // a TLS alert record
        }
        String t = r.text();
        return r.status() == 400 && (t.contains("plain HTTP request was sent to HTTPS port") || t.contains("HTTP request to an HTTPS server")
                || t.contains("speaking plain HTTP to an SSL-enabled server"));
    }

    private static boolean looksClosedByTls(Response r) {
        return r.error() != null && r.error().contains("reset") && r.body().length == 0;
    }
}
