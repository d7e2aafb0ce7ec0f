package org.aiscan.host;

import java.util.Locale;

/**
 * The firewall front-end that owns a host's rules, as its snapshot shows it: the one a fix must be
 * written with (firewalld and ufw rewrite the kernel's rules at every reload) and the one a report
 * names for the host.
 */
public enum FrontEnd {
    FIREWALLD, UFW, NFTABLES, IPTABLES;

    /** As the bundle and the report name it: {@code firewalld}, {@code ufw}, {@code nftables}, {@code iptables}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * firewalld where it runs (an active zone and its nft table); ufw where it is active, or installed
     * and nothing else holds rules; nftables where native nft base chains hold the rules and iptables
     * holds none of its own; else iptables.
     */
    public static FrontEnd of(HostView v) {
        boolean ufwInstalled = v.snapshot.source("ufw-verbose") != null && !v.snapshot.source("ufw-verbose").status().equals("missing");
        boolean ufwActive = v.ufw != null && v.ufw.active();
        boolean ownIptables = false;
        for (HostView.NamedDump d : v.iptables) {
            for (Iptables.Table t : d.dump().tables()) {
                for (Iptables.Chain c : t.chains().values()) {
                    if (!c.name().startsWith("ufw") && !c.name().startsWith("DOCKER") && !c.rules().isEmpty()
                            && c.rules().stream().anyMatch(r -> r.target() != null && !r.target().startsWith("ufw") && !r.target().startsWith("DOCKER"))) {
                        ownIptables = true;
                    }
                }
            }
        }
        boolean nativeNft = v.nft != null && v.nft.tables().stream().anyMatch(t -> !t.managedByIptables()
                && t.chains().stream().anyMatch(Nft.Chain::isBase));
        boolean firewalld = v.firewalld != null && v.firewalld.zones().stream().anyMatch(Firewalld.Zone::active)
                && v.nft != null && v.nft.tables().stream().anyMatch(t -> t.name().equals("firewalld"));
        if (firewalld) {
            return FIREWALLD;
        }
        if (ufwActive || ufwInstalled && !ownIptables && !nativeNft) {
            return UFW;
        }
        return nativeNft && !ownIptables ? NFTABLES : IPTABLES;
    }
}
