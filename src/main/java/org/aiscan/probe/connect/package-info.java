/**
 * The TCP connect engine: non-blocking {@code java.nio} connects, thousands in flight per selector
 * thread ({@link org.aiscan.probe.connect.ConnectWorker}), paced by a token bucket, with adaptive
 * timeouts and retries for silence. Needs no privileges and works on loopback, which the raw-frame
 * engine cannot reach. Connects start through a {@link org.aiscan.probe.connect.Connector}: the
 * kernel's, or for {@code --dry-run} one that prints them and sends nothing.
 */
@NullMarked
package org.aiscan.probe.connect;

import org.jspecify.annotations.NullMarked;
