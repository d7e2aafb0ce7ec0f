/**
 * Talking to open ports, safely: read-only HTTP/1.1 GETs (plain or TLS, self-signed accepted, the
 * certificate kept as evidence), raw TCP banners, and fixed raw payloads allowed by the ruleset's
 * safety policy. Every exchange runs under hard limits — connect and total time, bytes read,
 * header size, decompressed size — and redirects are never followed, so a tarpit, a drip, an
 * endless or compressed-bomb body, malformed HTTP or a redirect loop costs at most its budget.
 */
@NullMarked
package org.aiscan.grab;

import org.jspecify.annotations.NullMarked;
