package org.aiscan.remediate;

/**
 * One front-end of the bundle (ufw, iptables, nftables, compose, nginx, fail2ban, systemd, egress,
 * the README): reads the host's {@link Plan} and adds its files, tagging each line with the
 * diagnoses it answers. An emitter that has nothing to say for the host adds nothing.
 */
interface Emitter {
    void emit(Plan p, BundleFiles out);
}
