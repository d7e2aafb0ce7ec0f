package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Service;

/** One port to close, and how the connection reaches it. */
final class Exposure {
    final int port;
    final Set<Integer> inputFamilies = new LinkedHashSet<>();
    final Set<Integer> forwardFamilies = new LinkedHashSet<>();
    String container;
    Service service;
    final List<Diagnosis> because = new ArrayList<>();

    Exposure(int port) {
        this.port = port;
    }
}
