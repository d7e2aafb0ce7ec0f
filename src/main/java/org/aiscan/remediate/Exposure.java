package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Service;
import org.aiscan.model.audit.Forwarder;
import org.jspecify.annotations.Nullable;

/** One port to close, and how the connection reaches it. */
final class Exposure {
    final int port;
    final Set<Integer> inputFamilies = new LinkedHashSet<>();
    final Set<Integer> forwardFamilies = new LinkedHashSet<>();
    @Nullable String container;
    /** Who forwards it (Docker, Kubernetes, …) when it is forwarded. */
    @Nullable Forwarder via = Forwarder.NONE;
    @Nullable Service service;
    final List<Diagnosis> because = new ArrayList<>();

    Exposure(int port) {
        this.port = port;
    }

    /**
     * Forwarded by something other than Docker (kube-proxy, Podman, LXD, a DNAT rule): no DOCKER-USER
     * rule reaches it, a drop before the DNAT does. Docker's ports are closed in DOCKER-USER (or, on
     * Docker's nftables backend, by publishing them on 127.0.0.1).
     */
    boolean preDnat(int family) {
        return forwardFamilies.contains(family) && via != Forwarder.DOCKER && via != Forwarder.NONE;
    }
}
