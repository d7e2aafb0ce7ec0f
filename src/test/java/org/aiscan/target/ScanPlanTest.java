package org.aiscan.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aiscan.model.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScanPlanTest {
    private static TargetSet targets(String... specs) {
        TargetParser p = new TargetParser(h -> List.of(), false);
        List<AddressRange> all = new java.util.ArrayList<>();
        for (String s : specs) {
            all.addAll(p.parse(s));
        }
        return TargetSet.build(all, ExclusionList.empty());
    }

    @Test
    void wholePlanVisitsEveryAddressPortPairOnce() {
        TargetSet t = targets("198.18.0.0/26", "2001:2::/123");
        PortList ports = PortSpec.parse("22,8000-8003,11434");
        ScanPlan plan = new ScanPlan(t, ports, 5, Shard.WHOLE);
        Set<String> seen = new HashSet<>();
        ScanPlan.Cursor c = plan.cursor();
        while (c.hasNext()) {
            Probe p = c.next();
            assertTrue(seen.add(p.address() + " " + p.port()), "duplicate " + p);
        }
        assertEquals((64 + 32) * 6, seen.size());
        assertEquals(seen.size(), plan.probes());
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3", "7", "16"})
    void shardsAreDisjointAndCoverEverything(int n) {
        TargetSet t = targets("198.18.1.0/24");
        PortList ports = PortSpec.parse("8000,8188,9090,11434,7860");
        long total = 256 * 5;
        Set<String> union = new HashSet<>();
        long sum = 0;
        for (int i = 0; i < n; i++) {
            ScanPlan plan = new ScanPlan(t, ports, 1234, new Shard(i, n));
            sum += plan.probes();
            ScanPlan.Cursor c = plan.cursor();
            long count = 0;
            while (c.hasNext()) {
                Probe p = c.next();
                assertTrue(union.add(p.address() + " " + p.port()), "probe in two shards: " + p);
                count++;
            }
            assertEquals(plan.probes(), count);
        }
        assertEquals(total, sum);
        assertEquals(total, union.size());
    }

    @Test
    void lanesSplitAShardWithoutOverlap() {
        TargetSet t = targets("198.18.2.0/25");
        PortList ports = PortSpec.parse("1-20");
        ScanPlan plan = new ScanPlan(t, ports, 9, new Shard(1, 3));
        Set<Long> ordinals = new HashSet<>();
        for (int lane = 0; lane < 4; lane++) {
            ScanPlan.Cursor c = plan.cursor(lane, 4, 0);
            long expected = c.remaining();
            long got = 0;
            while (c.hasNext()) {
                assertTrue(ordinals.add(c.next().ordinal()));
                got++;
            }
            assertEquals(expected, got);
        }
        assertEquals(plan.probes(), ordinals.size());
    }

    @Test
    void sameSeedSameOrder() {
        TargetSet t = targets("198.18.3.0/24");
        PortList ports = PortSpec.parse("8000,9090");
        ScanPlan a = new ScanPlan(t, ports, 77, Shard.WHOLE);
        ScanPlan b = new ScanPlan(t, ports, 77, Shard.WHOLE);
        for (long i = 0; i < a.probes(); i++) {
            assertEquals(a.probeAt(i), b.probeAt(i));
        }
    }

    @Test
    void portsInterleaveAcrossHosts() {
        // The first probes should not all hit one host: the order spreads load over targets.
        TargetSet t = targets("198.18.4.0/24");
        ScanPlan plan = new ScanPlan(t, PortSpec.parse("1-100"), 3, Shard.WHOLE);
        Set<Address> hosts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            hosts.add(plan.probeAt(i).address());
        }
        assertTrue(hosts.size() > 35, "first 50 probes hit only " + hosts.size() + " hosts");
    }

    @Test
    void slicesPartitionTheOrderAndMapRepliesBack() {
        TargetSet set = TargetSet.build(new TargetParser(TargetParser.SYSTEM, false).parse("198.18.0.0/26"), ExclusionList.empty());
        ScanPlan whole = new ScanPlan(set, PortSpec.parse("22,80,8000"), 5, Shard.parse("1/3"));
        java.util.List<String> order = new java.util.ArrayList<>();
        for (long i = 0; i < whole.probes(); i++) {
            Probe w = whole.probeAt(i);
            order.add(w.address() + ":" + w.port());
        }
        java.util.List<String> sliced = new java.util.ArrayList<>();
        for (long from = 0; from < whole.probes(); from += 7) {
            ScanPlan s = whole.slice(from, Math.min(whole.probes(), from + 7));
            ScanPlan.Cursor c = s.cursor(0, 1, 0);
            long k = 0;
            while (c.hasNext()) {
                Probe p = c.next();
                sliced.add(p.address() + ":" + p.port());
                org.junit.jupiter.api.Assertions.assertEquals(k, p.ordinal(), "ordinals are the slice's own");
                org.junit.jupiter.api.Assertions.assertEquals(k, s.ordinalOf(p.address(), p.port()), "a reply maps to its slice ordinal");
                org.junit.jupiter.api.Assertions.assertEquals(from + k, whole.ordinalOf(p.address(), p.port()));
                k++;
            }
            org.junit.jupiter.api.Assertions.assertEquals(s.probes(), k);
            if (from > 0) {
                Probe before = whole.probeAt(from - 1);
                org.junit.jupiter.api.Assertions.assertEquals(-1, s.ordinalOf(before.address(), before.port()), "not in this slice");
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(order, sliced);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "5", "40", "191"})
    void onlyAndWithoutSplitAPlanIntoTwoWithTheirOwnOrdinals(int picks) {
        TargetSet set = targets("198.18.0.0/26");
        ScanPlan slice = new ScanPlan(set, PortSpec.parse("22,80,8000"), 9, Shard.parse("0/1")).slice(0, 191);
        java.util.Random r = new java.util.Random(picks);
        long[] chosen = r.longs(picks, 0, slice.probes()).toArray();
        java.util.Set<Long> marked = new java.util.TreeSet<>();
        for (long c : chosen) {
            marked.add(c);
        }
        ScanPlan in = slice.only(chosen);
        ScanPlan out = slice.without(chosen);
        assertEquals(marked.size(), in.probes());
        assertEquals(slice.probes() - marked.size(), out.probes());
        java.util.List<String> merged = new java.util.ArrayList<>();
        java.util.List<Long> expectedIn = new java.util.ArrayList<>(marked);
        for (ScanPlan view : List.of(in, out)) {
            ScanPlan.Cursor c = view.cursor();
            long k = 0;
            while (c.hasNext()) {
                Probe p = c.next();
                assertEquals(k, p.ordinal(), "each view has dense ordinals of its own");
                assertEquals(k, view.ordinalOf(p.address(), p.port()), "replies map back to the view's ordinal");
                long b = slice.ordinalOf(p.address(), p.port());
                assertEquals(view == in, marked.contains(b), "the view holds exactly its part");
                if (view == in) {
                    assertEquals(expectedIn.get((int) k), b, "in order");
                }
                assertEquals(view == in ? -1 : k, out.ordinalOf(p.address(), p.port()), "a probe of one view is not in the other");
                merged.add(p.address() + ":" + p.port());
                k++;
            }
            assertEquals(view.probes(), k);
        }
        java.util.Set<String> all = new HashSet<>();
        for (long i = 0; i < slice.probes(); i++) {
            Probe p = slice.probeAt(i);
            all.add(p.address() + ":" + p.port());
        }
        assertEquals(all, new HashSet<>(merged), "together the views are the plan");
        assertEquals(all.size(), merged.size(), "and no probe is in both");
        ScanPlan half = out.slice(out.probes() / 2, out.probes());
        for (long k = 0; k < half.probes(); k++) {
            Probe p = half.probeAt(k);
            assertEquals(out.probeAt(out.probes() / 2 + k).address(), p.address(), "a view's slice is that part of the view");
            assertEquals(k, half.ordinalOf(p.address(), p.port()));
        }
    }
}
