package org.aiscan.grab;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One exchange with an endpoint. HTTP requests are always {@code GET} of a path: the type has no
 * method field, so nothing else can be sent. A banner request sends nothing and reads what the
 * server says first; a raw request sends fixed bytes from the ruleset (checked by the safety policy).
 */
public record Request(Kind kind, @Nullable String path, @Nullable String payload) {
    /** What is sent. */
    public enum Kind { HTTP_GET, BANNER, RAW }

    public Request {
        Objects.requireNonNull(kind);
        if (kind == Kind.HTTP_GET && (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 127))) {
            throw new IllegalArgumentException("HTTP path must start with / and contain no spaces or controls: " + path);
        }
    }

    public static Request get(String path) {
        return new Request(Kind.HTTP_GET, path, null);
    }

    public static Request banner() {
        return new Request(Kind.BANNER, null, null);
    }

    public static Request raw(String payload) {
        return new Request(Kind.RAW, null, payload);
    }

    public byte[] payloadBytes() {
        return payload == null ? new byte[0] : payload.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Short text for evidence: {@code GET /api/version}, {@code banner}, {@code raw "PING\r\n"}. */
    public String describe() {
        return switch (kind) {
            case HTTP_GET -> "GET " + path;
            case BANNER -> "banner";
            case RAW -> "raw \"" + payload.replace("\r", "\\r").replace("\n", "\\n") + "\"";
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
