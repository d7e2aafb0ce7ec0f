package org.aiscan.audit;

import java.util.List;
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

    /**
     * The forwarder of a DNAT from the chains on its deciding path, in order: iptables chain names
     * ({@code KUBE-NODEPORTS}), nftables {@code table/chain} names and {@code @map} names of the
     * verdict maps that decided ({@code @service-nodeports}). Chains the walk left without a verdict
     * do not count: a Docker port on a Kubernetes node passes KUBE-SERVICES first and is Docker's. The
     * name prefixes of each forwarder are policy data ({@code names.forwarders}), tried in their order.
     */
    static Forwarder of(List<String> entered, java.util.Map<Forwarder, List<String>> prefixes) {
        for (java.util.Map.Entry<Forwarder, List<String>> f : prefixes.entrySet()) {
            for (String e : entered) {
                String n = e.toLowerCase(Locale.ROOT);
                if (f.getValue().stream().anyMatch(x -> n.startsWith(x.toLowerCase(Locale.ROOT)))) {
                    return f.getKey();
                }
            }
        }
        return OTHER;
    }
}
