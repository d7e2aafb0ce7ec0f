package org.aiscan.model;

/** Where predicted connections come from: {@code internet}, a {@code trusted} network, or a network given with {@code --from}. */
public enum VantageKind {
    INTERNET, TRUSTED, FROM;

    public String label() {
        return WireName.of(this);
    }

    @Override
    public String toString() {
        return label();
    }
}
