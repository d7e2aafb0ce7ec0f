package org.aiscan.remediate;

import org.aiscan.host.HostView;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/** What the host has that the emitters need: the firewall front-end, the uplink, SSH's port, DOCKER-USER. */
final class Facts {
    @Nullable String mechanism;
    @Nullable String iface;
    int sshPort = 22;
    boolean dockerUser4;
    boolean dockerUser6;
    boolean ufwIpv6Off;
    @Nullable Address public4;
    @Nullable Address public6;
    @Nullable HostView view;
}
