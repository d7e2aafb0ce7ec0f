package org.aiscan.target;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.aiscan.model.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stateless receiver maps a reply back to its probe; these are the inverses it relies on. */
class InversePermutationTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 7, 100, 4096, 100_003})
    void indexOfInvertsAt(long size) {
        Permutation p = new Permutation(size, -5);
        for (long i = 0; i < size; i++) {
            assertEquals(i, p.indexOf(p.at(i)));
        }
    }

    @Test
    void ordinalOfInvertsProbeAtInEveryShard() {
        TargetParser parser = new TargetParser(h -> List.of(), false);
        List<AddressRange> r = new java.util.ArrayList<>(parser.parse("198.18.1.0/25"));
        r.addAll(parser.parse("2001:2::ffff:ffff:ffff:fff0-2001:2:0:1::f"));
        TargetSet t = TargetSet.build(r, ExclusionList.empty());
        PortList ports = PortSpec.parse("22,8000,11434");
        for (int s = 0; s < 3; s++) {
            ScanPlan plan = new ScanPlan(t, ports, 99, new Shard(s, 3));
            for (long o = 0; o < plan.probes(); o++) {
                Probe p = plan.probeAt(o);
                assertEquals(o, plan.ordinalOf(p.address(), p.port()));
                ScanPlan other = new ScanPlan(t, ports, 99, new Shard((s + 1) % 3, 3));
                assertEquals(-1, other.ordinalOf(p.address(), p.port()), "belongs to another shard");
            }
        }
        ScanPlan whole = new ScanPlan(t, ports, 99, Shard.WHOLE);
        assertEquals(-1, whole.ordinalOf(Address.parse("198.18.1.200"), 22), "not a target");
        assertEquals(-1, whole.ordinalOf(Address.parse("198.18.1.1"), 23), "not a port");
    }
}
