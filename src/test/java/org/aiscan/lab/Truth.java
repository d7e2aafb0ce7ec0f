package org.aiscan.lab;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.aiscan.model.Address;

/** The lab's ground truth as printed by {@code lab.sh truth}. */
public record Truth(Set<Endpoint> open, Set<Endpoint> filtered, Set<Address> live) {
    /** One TCP endpoint. */
    public record Endpoint(Address address, int port) {
        @Override
        public String toString() {
            return (address.isV6() ? "[" + address + "]" : address.toString()) + ":" + port;
        }
    }

    static Truth parse(String text) {
        Set<Endpoint> open = new HashSet<>();
        Set<Endpoint> filtered = new HashSet<>();
        Set<Address> live = new HashSet<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                continue;
            }
            switch (f[0]) {
                case "open" -> open.add(new Endpoint(Address.parse(f[1]), Integer.parseInt(f[2])));
                case "filtered" -> filtered.add(new Endpoint(Address.parse(f[1]), Integer.parseInt(f[2])));
                case "live" -> live.add(Address.parse(f[1]));
                case "silent" -> { } // drops every TCP packet: each port filtered, like a dark address
                default -> throw new IllegalArgumentException("unexpected truth line: " + line);
            }
        }
        return new Truth(Set.copyOf(open), Set.copyOf(filtered), Set.copyOf(live));
    }

    /** The truth restricted to what a scan covered. */
    public Truth within(Predicate<Address> targets, Predicate<Integer> ports) {
        Set<Endpoint> o = new HashSet<>();
        for (Endpoint e : open) {
            if (targets.test(e.address()) && ports.test(e.port())) {
                o.add(e);
            }
        }
        Set<Endpoint> f = new HashSet<>();
        for (Endpoint e : filtered) {
            if (targets.test(e.address()) && ports.test(e.port())) {
                f.add(e);
            }
        }
        Set<Address> l = new HashSet<>();
        for (Address a : live) {
            if (targets.test(a)) {
                l.add(a);
            }
        }
        return new Truth(o, f, l);
    }
}
