package org.aiscan.grab;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What came back, bounded. {@code status} is 0 when the bytes were not HTTP (a banner, a RESP
 * reply, garbage); {@code error} says why an exchange failed (timeout, reset, refused), in which
 * case the other fields hold whatever arrived before. Header names are lower-cased; repeated
 * headers keep every value.
 *
 * @param request what was sent
 * @param tls whether the exchange ran over TLS
 * @param status HTTP status, or 0
 * @param headers lower-cased name to values
 * @param body the body (decoded from chunked/gzip), or for non-HTTP the raw bytes, capped
 * @param truncated whether a limit cut the body or the time budget ran out mid-read
 * @param certificate subject and issuer of the server certificate over TLS, else null
 * @param error null on success, else a short reason
 * @param millis how long the exchange took
 */
public record Response(Request request, boolean tls, int status, Map<String, List<String>> headers, byte[] body,
                       boolean truncated, @Nullable String certificate, @Nullable String error, long millis) {
    public Response {
        headers = Map.copyOf(headers);
    }

    /** How an error starts when the server stalled: nothing, or too little, came within the exchange's limits. */
    public static final String STALLED = "stalled: ";

    public boolean ok() {
        return error == null;
    }

    /**
     * Whether the exchange ended because the server stalled (a tarpit, a drip, headers that never end)
     * rather than by an answer or a refusal: another request to it would cost the same again.
     */
    public boolean stalled() {
        return error != null && error.startsWith(STALLED);
    }

    public boolean isHttp() {
        return status > 0;
    }

    /** The first value of a header, or null. */
    public @Nullable String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The body as text (UTF-8, malformed bytes replaced). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Headers as text, one {@code name: value} per line. */
    public String headerText() {
        StringBuilder sb = new StringBuilder();
        headers.forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append('\n')));
        return sb.toString();
    }
}
