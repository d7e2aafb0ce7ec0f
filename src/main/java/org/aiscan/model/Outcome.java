package org.aiscan.model;

/** What a host's firewall does with a connection attempt: {@code accept}, {@code drop} or {@code reject}. */
public enum Outcome {
    ACCEPT, DROP, REJECT;

    public String label() {
        return WireName.of(this);
    }

    @Override
    public String toString() {
        return label();
    }
}
