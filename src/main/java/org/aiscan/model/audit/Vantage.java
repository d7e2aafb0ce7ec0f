package org.aiscan.model.audit;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.VantageKind;
import org.jspecify.annotations.Nullable;

/**
 * Where connections come from when reachability is predicted without a scan: the internet (a
 * public source per family), a trusted network, or a network given with {@code --from}. Each is
 * evaluated from one address inside it (the address itself for a /32 or /128, otherwise the
 * first address after the network's own).
 *
 * @param kind the internet, a trusted network, or a network given with {@code --from}
 * @param networks the networks it stands for (empty for the internet)
 * @param sources one source address per family it covers
 */
public record Vantage(VantageKind kind, List<Cidr> networks, List<Address> sources) {
    /** Documentation addresses (RFC 5737, RFC 3849): outside every private range, never routed. */
    public static final Address INTERNET_V4 = Address.parse("203.0.113.1");
    public static final Address INTERNET_V6 = Address.parse("2001:db8::1");

    public Vantage {
        networks = List.copyOf(networks);
        sources = List.copyOf(sources);
    }

    public static Vantage internet() {
        return new Vantage(VantageKind.INTERNET, List.of(), List.of(INTERNET_V4, INTERNET_V6));
    }

    /** A network as a vantage: its representative source. */
    public static Vantage of(VantageKind kind, Cidr network) {
        return new Vantage(kind, List.of(network), List.of(representative(network)));
    }

    /** The address inside {@code c} a prediction uses as the source. */
    public static Address representative(Cidr c) {
        int bits = c.isV6() ? 128 : 32;
        Address first = c.first();
        if (c.prefix() >= bits - 1) {
            return first;
        }
        return first.plus(1);
    }

    /** The source for family {@code v6}, or null when this vantage has none. */
    public @Nullable Address source(boolean v6) {
        for (Address a : sources) {
            if (a.isV6() == v6) {
                return a;
            }
        }
        return null;
    }

    /**
     * What follows "from": {@code the internet (203.0.113.1, 2001:db8::1)}, {@code trusted network
     * 10.0.0.0/8 (10.0.0.1)}, {@code 192.168.1.0/24 (192.168.1.1)}.
     */
    public String label() {
        List<String> s = new ArrayList<>();
        sources.forEach(a -> s.add(a.toString()));
        String nets = String.join(", ", networks.stream().map(Cidr::toString).toList());
        String what = switch (kind) {
            case INTERNET -> "the internet";
            case TRUSTED -> "trusted network " + nets;
            case FROM -> nets;
        };
        return what + " (" + String.join(", ", s) + ")";
    }
}
