package org.aiscan.model;

import java.util.Map;
import java.util.Objects;

/**
 * One remediation step as typed values, for the remediation stage to turn into rules: what to do
 * ({@code kind}, from the policy catalogue) and the values it needs (port, family, container
 * address, …). Never text taken from a banner.
 *
 * @param kind e.g. {@code bind-loopback}, {@code docker-user-drop}, {@code ufw-allow-from-subnet}
 * @param params typed values as strings: {@code port=8000}, {@code family=4}, {@code container=10.17.0.2:8000}
 */
public record Remedy(String kind, Map<String, String> params) {
    public Remedy {
        Objects.requireNonNull(kind, "kind");
        params = Map.copyOf(params);
    }
}
