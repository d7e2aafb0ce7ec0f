package org.aiscan.grab;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.aiscan.model.Address;
import org.aiscan.target.TargetGuard;
import org.jspecify.annotations.Nullable;

/**
 * Exchanges over real TCP. One connection per exchange ({@code Connection: close}); a watchdog closes
 * the socket when the exchange's deadline passes, so no phase — connect, TLS handshake, a
 * byte-per-second drip — can outlive its budget. HTTP bodies are framed by Content-Length or
 * chunked encoding (a server that ignores {@code Connection: close} cannot hold the read open),
 * capped at {@link Limits#maxBytes()}, and decompressed only up to that cap.
 */
public final class TcpTransport implements Transport {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aiscan-grab-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final SSLContext TRUST_ALL = trustAll();
    /**
     * A TLS server answers a ClientHello within one round trip plus a signature: 1.5 s covers a 500 ms
     * satellite path three times. A silent TLS port (a tarpit) then costs this, not the connect limit,
     * before the plain-text attempt.
     */
    static final int TLS_HANDSHAKE_MILLIS = 1_500;
    /** Once a banner or raw reply has started, a pause this long ends it. */
    static final int IDLE_MILLIS = 150;

    /**
     * How long an event stream ({@code text/event-stream}) is read for its first event: a server that
     * opens one sends its first event at once (the MCP SSE transport's endpoint event); the stream is
     * then closed, which ends the session it opened.
     */
    static final int EVENT_MILLIS = 1_000;

    private final Limits limits;
    private final TargetGuard guard;
    private final String userAgent;

    public TcpTransport(Limits limits, TargetGuard guard, String version) {
        this.limits = limits;
        this.guard = guard;
        this.userAgent = "aiscan/" + version + " (exposure audit; read-only)";
    }

    @Override
    public Response exchange(Address address, int port, Request request, boolean tls, long deadlineNanos) {
        guard.check(address);
        long start = System.nanoTime();
        long deadline = Math.min(deadlineNanos, start + limits.requestMillis() * 1_000_000L);
        Socket socket = new Socket();
        ScheduledFuture<?> kill = WATCHDOG.schedule(() -> closeQuietly(socket), Math.max(1, deadline - start), TimeUnit.NANOSECONDS);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        String cert = null;
        try {
            socket.setSoLinger(true, 0);
            socket.connect(new InetSocketAddress(address.toInetAddress(), port), (int) Math.max(1, Math.min(limits.connectMillis(),
                    (deadline - System.nanoTime()) / 1_000_000L)));
            Socket s = socket;
            if (tls) {
                SSLSocket ssl = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(socket, null, port, true);
                // a plain-text service may sit on a ClientHello waiting for a newline: bound the handshake
                ssl.setSoTimeout(Math.min(Math.min(limits.connectMillis(), TLS_HANDSHAKE_MILLIS), remainingMillis(deadline)));
                ssl.startHandshake();
                cert = describe(ssl.getSession().getPeerCertificates());
                s = ssl;
            }
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            switch (request.kind()) {
                case BANNER -> {
                    s.setSoTimeout(Math.min(limits.bannerMillis(), remainingMillis(deadline)));
                    readSome(s, in, raw, deadline);
                    return nonHttp(request, tls, raw, cert, null, start);
                }
                case RAW -> {
                    out.write(request.payloadBytes());
                    out.flush();
                    s.setSoTimeout(Math.min(limits.rawMillis(), remainingMillis(deadline)));
                    readSome(s, in, raw, deadline);
                    return nonHttp(request, tls, raw, cert, null, start);
                }
                default -> {
                    String host = address.isV6() ? "[" + address + "]" : address.toString();
                    String req = "GET " + request.path() + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: " + userAgent
                            + "\r\nAccept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n";
                    out.write(req.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    long headDeadline = Math.min(deadline, System.nanoTime() + limits.headerMillis() * 1_000_000L);
                    s.setSoTimeout(remainingMillis(headDeadline));
                    return readHttp(request, tls, s, in, raw, cert, headDeadline, deadline, start);
                }
            }
        } catch (IOException | RuntimeException e) {
            String why = System.nanoTime() >= deadline
                    ? Response.STALLED + (raw.size() == 0 ? "no answer" : "still sending") + " after " + elapsed(start) + " ms, the exchange's limit"
                    : shortError(e);
            if (raw.size() > 0 && request.kind() != Request.Kind.HTTP_GET) {
                return nonHttp(request, tls, raw, cert, null, start);
            }
            if (raw.size() > 0) {
                Response partial = parseHttp(request, tls, raw.toByteArray(), cert, start, true);
                if (partial.isHttp()) {
                    return new Response(request, tls, partial.status(), partial.headers(), partial.body(), true, cert, why,
                            partial.millis());
                }
            }
            return new Response(request, tls, 0, Map.of(), raw.toByteArray(), raw.size() > 0, cert, why, elapsed(start));
        } finally {
            kill.cancel(false);
            closeQuietly(socket);
        }
    }

    /**
     * Reads what the peer sends: waits for the first bytes as long as the socket timeout set by the
     * caller allows, then stops once the peer is quiet for {@value #IDLE_MILLIS} ms, at the byte cap
     * or at the deadline.
     */
    private void readSome(Socket s, InputStream in, ByteArrayOutputStream raw, long deadline) throws IOException {
        byte[] buf = new byte[4096];
        while (raw.size() < limits.maxBytes() && System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buf, 0, Math.min(buf.length, limits.maxBytes() - raw.size()));
            } catch (SocketTimeoutException e) {
                return; // quiet: the server said what it had to say (or nothing)
            }
            if (n < 0) {
                return;
            }
            raw.write(buf, 0, n);
            s.setSoTimeout(Math.min(IDLE_MILLIS, remainingMillis(deadline)));
        }
    }

    /**
     * Reads one HTTP response: the status line and headers must be complete by {@code headDeadline},
     * the whole response by {@code deadline}; a server too slow for either has stalled.
     */
    private Response readHttp(Request request, boolean tls, Socket s, InputStream in, ByteArrayOutputStream raw, String cert,
                              long headDeadline, long deadline, long start) throws IOException {
        byte[] buf = new byte[8192];
        int headerEnd = -1;
        long bodyLength = -2; // -2 unknown yet, -1 until close, else exact
        boolean chunked = false;
        long eventDeadline = -1; // an event stream: read its first event, then close
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                if (eventDeadline > 0) {
                    return withTruncation(parseHttp(request, tls, raw.toByteArray(), cert, start, true)); // a quiet stream
                }
                if (headerEnd < 0 && System.nanoTime() < deadline) {
                    return new Response(request, tls, 0, Map.of(), cap(raw.toByteArray()), raw.size() > 0, cert, Response.STALLED
                            + (raw.size() == 0 ? "no answer" : "no complete response header") + " within " + limits.headerMillis() + " ms",
                            elapsed(start));
                }
                throw e;
            }
            if (n < 0) {
                break;
            }
            raw.write(buf, 0, n);
            byte[] sofar = raw.toByteArray();
            if (headerEnd < 0) {
                headerEnd = indexOf(sofar, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                if (headerEnd < 0) {
                    if (sofar.length > limits.maxHeaderBytes()) {
                        return parseHttp(request, tls, sofar, cert, start, true);
                    }
                    if (sofar.length >= 5 && !startsWith(sofar, "HTTP/")) {
                        return nonHttp(request, tls, raw, cert, null, start); // not HTTP: keep what came
                    }
                    if (System.nanoTime() >= headDeadline) { // a header that trickles in is a stall too
                        return new Response(request, tls, 0, Map.of(), cap(sofar), true, cert, Response.STALLED
                                + "no complete response header within " + limits.headerMillis() + " ms", elapsed(start));
                    }
                    s.setSoTimeout(remainingMillis(headDeadline));
                    continue;
                }
                s.setSoTimeout(remainingMillis(deadline)); // the header is in: the body has the rest of the exchange's time
                String head = new String(sofar, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                chunked = head.contains("\ntransfer-encoding:") && head.matches("(?s).*\ntransfer-encoding:[^\n]*chunked.*");
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\ncontent-length:\\s*(\\d{1,12})").matcher(head);
                bodyLength = chunked ? -1 : m.find() ? Long.parseLong(m.group(1)) : -1;
                if (head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304") || head.startsWith("http/1.0 204")) {
                    bodyLength = 0;
                }
                if (head.matches("(?s).*\ncontent-type:\\s*text/event-stream.*")) {
                    eventDeadline = Math.min(deadline, System.nanoTime() + EVENT_MILLIS * 1_000_000L);
                    s.setSoTimeout(remainingMillis(eventDeadline));
                }
            }
            int bodyBytes = sofar.length - headerEnd - 4;
            if (eventDeadline > 0 && (firstEventComplete(sofar, headerEnd + 4) || System.nanoTime() >= eventDeadline)) {
                return withTruncation(parseHttp(request, tls, sofar, cert, start, true));
            }
            if (bodyLength >= 0 && bodyBytes >= bodyLength) {
                break;
            }
            if (chunked && endsWith(sofar, "\r\n0\r\n\r\n")) {
                break;
            }
            if (bodyBytes >= limits.maxBytes()) {
                return withTruncation(parseHttp(request, tls, sofar, cert, start, true));
            }
        }
        boolean timedOut = System.nanoTime() >= deadline;
        Response r = parseHttp(request, tls, raw.toByteArray(), cert, start, timedOut);
        return timedOut ? new Response(r.request(), tls, r.status(), r.headers(), r.body(), true, cert,
                Response.STALLED + "still sending after " + r.millis() + " ms, the exchange's limit", r.millis()) : r;
    }

    /**
     * Whether the body of an event stream holds a complete event: a {@code data:} or {@code event:}
     * line followed by a blank line (chunk framing uses CRLF, events LF or CRLF, so both are looked for).
     */
    static boolean firstEventComplete(byte[] bytes, int bodyStart) {
        String body = new String(bytes, Math.min(bytes.length, bodyStart), Math.max(0, bytes.length - bodyStart), StandardCharsets.UTF_8);
        int field = Math.max(body.indexOf("data:"), body.indexOf("event:"));
        return field >= 0 && (body.indexOf("\n\n", field) >= 0 || body.indexOf("\r\n\r\n", field) >= 0);
    }

    private static Response withTruncation(Response r) {
        return new Response(r.request(), r.tls(), r.status(), r.headers(), r.body(), true, r.certificate(), r.error(), r.millis());
    }

    /** Parses status line, headers and body from raw bytes; anything unparseable becomes a non-HTTP response. */
    Response parseHttp(Request request, boolean tls, byte[] bytes, String cert, long start, boolean truncated) {
        int headerEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        int sep = 4;
        if (headerEnd < 0) {
            headerEnd = indexOf(bytes, "\n\n".getBytes(StandardCharsets.ISO_8859_1));
            sep = 2;
        }
        if (!startsWith(bytes, "HTTP/") || headerEnd < 0) {
            return new Response(request, tls, 0, Map.of(), cap(bytes), truncated, cert, null, elapsed(start));
        }
        String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = statusLine.length >= 2 ? Integer.parseInt(statusLine[1].trim()) : 0;
        } catch (NumberFormatException e) {
            status = 0;
        }
        if (status < 100 || status > 999) {
            return new Response(request, tls, 0, Map.of(), cap(bytes), truncated, cert, null, elapsed(start));
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, Math.min(bytes.length, headerEnd + sep), bytes.length);
        List<String> te = headers.getOrDefault("transfer-encoding", List.of());
        if (te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = dechunk(body);
        }
        String ce = headers.getOrDefault("content-encoding", List.of()).stream().findFirst().orElse("").toLowerCase(Locale.ROOT);
        boolean cut = truncated;
        if (ce.contains("gzip") || ce.contains("deflate")) {
            try (InputStream z = ce.contains("gzip") ? new GZIPInputStream(new ByteArrayInputStream(body))
                    : new InflaterInputStream(new ByteArrayInputStream(body))) {
                byte[] out = z.readNBytes(limits.maxBytes()); // a compression bomb stops here
                cut |= z.read() >= 0;
                body = out;
            } catch (IOException e) {
                cut = true; // undecodable: keep the raw bytes
            }
        }
        if (body.length > limits.maxBytes()) {
            body = java.util.Arrays.copyOf(body, limits.maxBytes());
            cut = true;
        }
        return new Response(request, tls, status, headers, body, cut, cert, null, elapsed(start));
    }

    private Response nonHttp(Request request, boolean tls, ByteArrayOutputStream raw, String cert, @Nullable String error, long start) {
        return new Response(request, tls, 0, Map.of(), cap(raw.toByteArray()), raw.size() >= limits.maxBytes(), cert, error, elapsed(start));
    }

    private byte[] cap(byte[] b) {
        return b.length > limits.maxBytes() ? java.util.Arrays.copyOf(b, limits.maxBytes()) : b;
    }

    private byte[] dechunk(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < in.length && out.size() < limits.maxBytes()) {
            int eol = indexOf(in, i, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (eol < 0) {
                break;
            }
            String sizeText = new String(in, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int from = eol + 2;
            int to = Math.min(in.length, from + size);
            out.write(in, from, to - from);
            i = to + 2;
        }
        return out.toByteArray();
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000L;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, 0, needle);
    }

    static int indexOf(byte[] hay, int from, byte[] needle) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, String p) {
        if (b.length < p.length()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (b[i] != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWith(byte[] b, String p) {
        if (b.length < p.length()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (b[b.length - p.length() + i] != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String shortError(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.contains("refused")) {
            return "connection refused";
        }
        if (m.contains("reset")) {
            return "connection reset";
        }
        if (e instanceof SocketTimeoutException || m.contains("timed out")) {
            return "timeout";
        }
        if (m.contains("Socket closed") || m.contains("Socket is closed")) {
            return "time budget exceeded";
        }
        return m.length() > 120 ? m.substring(0, 120) : m;
    }

    private static @Nullable String describe(Certificate @Nullable [] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate c)) {
            return null;
        }
        String subject = c.getSubjectX500Principal().getName();
        String issuer = c.getIssuerX500Principal().getName();
        return "subject " + subject + "; issuer " + issuer + (subject.equals(issuer) ? " (self-signed)" : "");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a socket we are done with
        }
    }

    private static SSLContext trustAll() {
        try {
            TrustManager tm = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // not a server
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // the scanner records certificates, it does not trust or distrust them
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
