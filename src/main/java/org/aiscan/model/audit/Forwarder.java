package org.aiscan.model.audit;

import java.util.Locale;

/**
 * Who rewrote a connection's destination before the routing decision, read from the chains its DNAT
 * walk passed: Kubernetes (kube-proxy's NodePort, or a Service's external or load-balancer IP, in
 * iptables or nftables mode), Docker, Podman (netavark or CNI port mappings), LXD, or a DNAT rule
 * of the host's own. Each has its own diagnosis wording and fix: a NodePort is not fixed by
 * publishing on 127.0.0.1.
 */
public enum Forwarder {
    /** No DNAT: the host's own socket. */
    NONE("none"),
    KUBERNETES_NODEPORT("a Kubernetes NodePort"),
    KUBERNETES_SERVICE("a Kubernetes Service external or load-balancer IP"),
    DOCKER("Docker"),
    PODMAN("Podman"),
    LXD("LXD"),
    OTHER("a DNAT rule");

    private final String label;

    Forwarder(String label) {
        this.label = label;
    }

    /** How the report names it: {@code a Kubernetes NodePort}. */
    public String label() {
        return label;
    }

    public boolean kubernetes() {
        return this == KUBERNETES_NODEPORT || this == KUBERNETES_SERVICE;
    }

    /** Its key in the policy ({@code kubernetes-nodeport}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
