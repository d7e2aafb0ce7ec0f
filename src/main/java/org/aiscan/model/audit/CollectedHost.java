package org.aiscan.model.audit;

/**
 * What a report reads of a host's collected facts. The audit's parsed snapshot (its {@code
 * HostView}) is one; the audit and the remediation planner read the rest of it there.
 */
public interface CollectedHost {
    /**
     * The firewall front-end that owns the host's rules ({@code ufw}, {@code firewalld}, {@code
     * nftables}, {@code iptables}, …), or {@code not collected} when the snapshot holds no firewall
     * source at all.
     */
    String frontEnd();
}
