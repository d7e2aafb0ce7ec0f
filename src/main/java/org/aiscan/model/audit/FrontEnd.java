package org.aiscan.model.audit;

import java.util.Locale;

/**
 * The firewall front-end that owns a host's rules, as its snapshot shows it: the one a fix must be
 * written with (firewalld and ufw rewrite the kernel's rules at every reload) and the one a report
 * names for the host. The parsed snapshot decides it ({@code HostView.owner()}).
 */
public enum FrontEnd {
    FIREWALLD, UFW, NFTABLES, IPTABLES;

    /** As the bundle and the report name it: {@code firewalld}, {@code ufw}, {@code nftables}, {@code iptables}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
