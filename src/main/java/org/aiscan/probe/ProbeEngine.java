package org.aiscan.probe;

import org.aiscan.target.ScanPlan;

/**
 * A port-probing engine. {@link #run} sends every probe of the plan (paced, with retries for
 * silence), calls the sink exactly once per probe with its verdict, and returns when every probe
 * is decided or the run is cancelled.
 */
public interface ProbeEngine {
    /** Short name used in output: {@code connect} or {@code syn}. */
    String name();

    /**
     * Runs the plan.
     *
     * @param plan what to probe
     * @param sink receives results, possibly from an engine thread; must be thread-safe
     * @param progress live counters the engine keeps current
     * @param cancel checked often; when set the engine stops sending, drops what is in flight and returns
     * @return how the run ended
     */
    EngineReport run(ScanPlan plan, ResultSink sink, ScanProgress progress, Cancellation cancel) throws Exception;
}
