package org.aiscan.remediate;

import org.aiscan.model.Address;
import org.aiscan.model.audit.FrontEnd;
import org.aiscan.model.audit.HostSummary;
import org.jspecify.annotations.Nullable;

/** What the host has that the emitters need: the firewall front-end, the uplink, SSH's port, DOCKER-USER. */
final class Facts {
    @Nullable FrontEnd mechanism;
    @Nullable String iface;
    int sshPort = 22;
    boolean dockerUser4;
    boolean dockerUser6;
    boolean ufwIpv6Off;
    @Nullable Address public4;
    @Nullable Address public6;
    /** The rest of what the audit read of the host. */
    @Nullable HostSummary host;
}
