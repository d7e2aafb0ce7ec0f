package org.aiscan.probe;

import org.aiscan.model.PortResult;
import org.aiscan.target.Probe;

/** Receives one verdict per probe. Implementations must be thread-safe and must not block for long. */
@FunctionalInterface
public interface ResultSink {
    void accept(Probe probe, PortResult result);
}
