/**
 * The TCP connect engine: non-blocking {@code java.nio} connects, thousands in flight per selector
 * thread, paced by a token bucket, with adaptive timeouts and retries for silence. Needs no
 * privileges and works on loopback, which the raw-frame engine cannot reach.
 */
@NullMarked
package org.aiscan.probe.connect;

import org.jspecify.annotations.NullMarked;
