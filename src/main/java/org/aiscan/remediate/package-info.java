/**
 * Remediation: turns one host's diagnoses into a bundle of rules and configuration an operator can
 * review and apply — ufw commands, iptables/ip6tables restore fragments (DOCKER-USER for published
 * ports), an nftables table, compose port bindings, nginx auth proxies, fail2ban jails, systemd
 * drop-ins — and a README that orders the steps. Every value in a generated line is typed (an
 * address, a CIDR, a port, an interface name checked against a strict pattern); nothing from a
 * banner reaches a rule or a command. SSH is allowed before any default deny is switched on.
 *
 * <p>{@link org.aiscan.remediate.Planner} works out one host's plan; one emitter per front-end writes
 * its files from it; the README and the nginx sites are FreeMarker templates in
 * {@code report-templates/remediation/}. With the same audit and clock a bundle is byte-identical.
 */
@NullMarked
package org.aiscan.remediate;

import org.jspecify.annotations.NullMarked;
