package org.aiscan.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.aiscan.model.Address;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ScanPlan;

/**
 * One scan over two engines: probes to the addresses of {@code near} (this host's own addresses and
 * loopback, which injected frames cannot reach) go to the {@code nearEngine} (connect), every other
 * probe to the {@code main} engine (SYN). Both walk views of the same plan ({@link ScanPlan#only},
 * {@link ScanPlan#without}), at the same time, into the same sink and counters, so the output is one
 * scan whichever engine decided an endpoint.
 */
public final class SplitEngine implements ProbeEngine {
    /** Most probes handed to the near engine; the decision never builds a larger split. */
    public static final long MAX_NEAR_PROBES = 1L << 22;

    private final ProbeEngine main;
    private final ProbeEngine nearEngine;
    private final List<AddressRange> near;

    public SplitEngine(ProbeEngine main, ProbeEngine nearEngine, List<AddressRange> near) {
        this.main = main;
        this.nearEngine = nearEngine;
        this.near = List.copyOf(near);
    }

    @Override
    public String name() {
        return main.name() + "+" + nearEngine.name();
    }

    /** The ordinals of {@code plan} whose address is one of {@code near}'s, sorted. */
    static long[] nearOrdinals(ScanPlan plan, List<AddressRange> near) {
        long[] out = new long[16];
        int n = 0;
        int ports = plan.ports().size();
        for (AddressRange r : near) {
            Address a = r.first();
            while (true) {
                if (plan.targets().contains(a)) {
                    for (int i = 0; i < ports; i++) {
                        long o = plan.ordinalOf(a, plan.ports().get(i));
                        if (o >= 0) {
                            if (n == out.length) {
                                out = java.util.Arrays.copyOf(out, n * 2);
                            }
                            out[n++] = o;
                        }
                    }
                }
                if (a.equals(r.last())) {
                    break;
                }
                a = a.plus(1);
            }
        }
        long[] sorted = java.util.Arrays.copyOf(out, n);
        java.util.Arrays.sort(sorted);
        return sorted;
    }

    @Override
    public EngineReport run(ScanPlan plan, ResultSink sink, ScanProgress progress, Cancellation cancel) throws Exception {
        long[] ords = nearOrdinals(plan, near);
        if (ords.length == 0) {
            return main.run(plan, sink, progress, cancel);
        }
        if (ords.length == plan.probes()) {
            return nearEngine.run(plan, sink, progress, cancel);
        }
        ScanPlan nearPlan = plan.only(ords);
        ScanPlan mainPlan = plan.without(ords);
        AtomicReference<EngineReport> nearReport = new AtomicReference<>();
        AtomicReference<Throwable> nearFailure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                nearReport.set(nearEngine.run(nearPlan, sink, progress, cancel));
            } catch (Throwable e) {
                nearFailure.set(e);
            }
        }, "aiscan-near");
        t.setDaemon(true);
        t.start();
        EngineReport m;
        try {
            m = main.run(mainPlan, sink, progress, cancel);
        } finally {
            t.join();
        }
        if (nearFailure.get() != null) {
            Throwable f = nearFailure.get();
            if (f instanceof Exception e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
        EngineReport n = nearReport.get();
        List<String> warnings = new ArrayList<>(m.warnings());
        warnings.addAll(n.warnings());
        List<String> info = new ArrayList<>(m.info());
        info.add(String.format(java.util.Locale.ROOT, "%,d probe(s) to this host's own addresses by %s", nearPlan.probes(), nearEngine.name()));
        n.info().forEach(line -> info.add(nearEngine.name() + ": " + line));
        return new EngineReport(m.complete() && n.complete(), warnings, info);
    }
}
