package org.aiscan.remediate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Fix;

/**
 * The remediation of one host.
 *
 * @param host the host name (the bundle's folder)
 * @param mechanism the firewall front-end the bundle uses: ufw, firewalld, iptables or nftables
 * @param files bundle-relative path → content, in the order the README lists them
 * @param fixes per diagnosis, the snippets that address it
 * @param checks the command that checks each file before it is applied (file → command)
 */
public record Bundle(String host, String mechanism, Map<String, String> files, Map<Diagnosis, List<Fix>> fixes,
                     Map<String, String> checks) {
    public Bundle {
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        fixes = Map.copyOf(fixes);
        checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }
}
