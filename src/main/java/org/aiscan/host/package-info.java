/**
 * The host side: {@code aiscan collect} runs the host's own tools ({@code ss}, {@code iptables-save},
 * {@code ufw}, {@code nft}, {@code docker}, {@code fail2ban-client}, {@code sysctl}, {@code systemctl}) and
 * keeps their raw text; the parsers here turn each text into an immutable model, pure functions
 * that keep the line number of everything they read and report every line they could not read.
 * The snapshot file ({@link org.aiscan.host.Snapshot}) holds both, versioned, for {@code aiscan audit}.
 */
@NullMarked
package org.aiscan.host;

import org.jspecify.annotations.NullMarked;
