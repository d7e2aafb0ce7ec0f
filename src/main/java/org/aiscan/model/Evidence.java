package org.aiscan.model;

import org.jspecify.annotations.Nullable;

/**
 * One observation a verdict rests on.
 *
 * @param request what was sent, e.g. {@code GET /api/version}
 * @param status the HTTP status, 0 for non-HTTP
 * @param snippet the matched or extracted text, sanitised to printable characters and capped
 * @param what what it shows: {@code identify}, {@code version}, {@code auth}, {@code tls}
 */
public record Evidence(String request, int status, @Nullable String snippet, String what) {
}
