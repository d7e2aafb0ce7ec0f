package org.aiscan.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aiscan.model.Address;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.Probe;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.Shard;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;
import org.junit.jupiter.api.Test;

/** One scan split between two engines: each probe goes to exactly one, by address. */
class SplitEngineTest {
    /** Records what it was given and answers every probe closed. */
    static final class Recording implements ProbeEngine {
        final String name;
        final List<String> probes = Collections.synchronizedList(new ArrayList<>());

        Recording(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public EngineReport run(ScanPlan plan, ResultSink sink, ScanProgress progress, Cancellation cancel) {
            ScanPlan.Cursor c = plan.cursor();
            while (c.hasNext()) {
                Probe p = c.next();
                probes.add(p.address() + ":" + p.port());
                progress.decided(PortState.CLOSED);
                sink.accept(p, new PortResult(p.address(), p.port(), PortState.CLOSED, name, -1, java.time.Instant.now()));
            }
            return new EngineReport(true, List.of(), List.of(name + " ran"));
        }
    }

    private static ScanPlan plan(String targets, String ports, Shard shard) {
        TargetSet t = TargetSet.build(new TargetParser(h -> List.of(), false).parse(targets), ExclusionList.empty());
        return new ScanPlan(t, PortSpec.parse(ports), 3, shard);
    }

    @Test
    void ownAddressesGoToTheNearEngineAndEverythingElseToTheMainOne() throws Exception {
        ScanPlan plan = plan("198.18.2.0/26", "22,8000,11434", Shard.WHOLE);
        Recording syn = new Recording("syn");
        Recording connect = new Recording("connect");
        Address own = Address.parse("198.18.2.1");
        SplitEngine split = new SplitEngine(syn, connect, List.of(new AddressRange(own, own, "own")));
        Set<String> seen = Collections.synchronizedSet(new HashSet<>());
        ScanProgress progress = new ScanProgress(plan.probes());
        EngineReport r = split.run(plan, (p, res) -> assertTrue(seen.add(res.address() + ":" + res.port()), "decided twice"), progress,
                new Cancellation());
        assertEquals("syn+connect", split.name());
        assertEquals(Set.of("198.18.2.1:22", "198.18.2.1:8000", "198.18.2.1:11434"), new HashSet<>(connect.probes));
        assertTrue(syn.probes.stream().noneMatch(p -> p.startsWith("198.18.2.1:")));
        assertEquals(plan.probes(), seen.size(), "every probe decided once, by one engine");
        assertEquals(plan.probes(), progress.doneCount());
        assertTrue(r.complete());
        assertTrue(r.info().contains("3 probe(s) to this host's own addresses by connect"), r.info().toString());
    }

    @Test
    void aShardOnlyGetsItsOwnShareOfTheOwnAddressesProbes() throws Exception {
        Address own = Address.parse("198.18.2.7");
        int total = 0;
        for (int i = 0; i < 3; i++) {
            ScanPlan plan = plan("198.18.2.0/28", "1-20", new Shard(i, 3));
            Recording syn = new Recording("syn");
            Recording connect = new Recording("connect");
            new SplitEngine(syn, connect, List.of(new AddressRange(own, own, "own"))).run(plan, (p, res) -> { },
                    new ScanProgress(plan.probes()), new Cancellation());
            total += connect.probes.size();
            assertFalse(connect.probes.stream().anyMatch(syn.probes::contains));
            assertEquals(plan.probes(), connect.probes.size() + syn.probes.size());
        }
        assertEquals(20, total, "the own address's 20 probes, spread over the shards, none twice");
    }
}
