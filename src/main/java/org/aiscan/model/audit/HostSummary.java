package org.aiscan.model.audit;

import java.util.List;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * What a remediation bundle needs to know of a host's collected facts, read from its snapshot by the
 * audit: which tool owns the firewall, the uplink, SSH's port, and the rules and units a fix must
 * keep or change.
 *
 * @param mechanism the firewall front-end that owns the rules
 * @param dockerUser4 an IPv4 filter table has a DOCKER-USER chain
 * @param dockerUser6 an IPv6 filter table has a DOCKER-USER chain
 * @param ufwIpv6Off ufw's defaults say {@code IPV6=no}
 * @param uplink the first interface with a global address that is not a container bridge, or null
 * @param public4 its first global IPv4 address on such an interface, or null
 * @param public6 the same for IPv6, or null
 * @param sshPort the port SSH listens on (a remote-login socket or endpoint of the snapshot, else the policy's)
 * @param uplinkZone the firewalld zone that holds the uplink, or null
 * @param inputAllows the INPUT rules of the filter tables that accept a source network for one port
 * @param ufwRules ufw's rules ({@code ufw status}), in order; empty without ufw
 * @param units the systemd units of the snapshot, by name
 */
public record HostSummary(FrontEnd mechanism, boolean dockerUser4, boolean dockerUser6, boolean ufwIpv6Off, @Nullable String uplink,
                          @Nullable Address public4, @Nullable Address public6, int sshPort, @Nullable Zone uplinkZone, List<InputAllow> inputAllows, List<UfwRule> ufwRules,
                          List<String> units) {
    public HostSummary {
        inputAllows = List.copyOf(inputAllows);
        ufwRules = List.copyOf(ufwRules);
        units = List.copyOf(units);
    }

    /** A firewalld zone: its name and its ports ({@code 8000/tcp}). */
    public record Zone(String name, List<String> ports) {
        public Zone {
            ports = List.copyOf(ports);
        }
    }

    /** {@code -A INPUT -s SOURCE … --dport PORT -j ACCEPT} of one family (neither negated). */
    public record InputAllow(int family, String source, String dport) {
    }

    /**
     * One ufw rule as {@code ufw status} shows it.
     *
     * @param to the "To" column without {@code (v6)}
     * @param toAddress the address in "To", or null
     * @param toIface the interface in "To" ({@code on eth0}), or null
     * @param fromAddress the address in "From", or null for Anywhere
     * @param direction IN, OUT, FWD, or null
     * @param action ALLOW, DENY, REJECT, LIMIT
     */
    public record UfwRule(String to, @Nullable String toAddress, @Nullable String toIface, @Nullable String fromAddress,
                          @Nullable String direction, String action, boolean v6) {
    }
}
