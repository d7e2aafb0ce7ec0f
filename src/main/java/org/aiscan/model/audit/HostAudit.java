package org.aiscan.model.audit;

import java.nio.file.Path;
import java.util.List;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * The audit of one host: its snapshot, the scanned endpoints that belong to it, and the listeners
 * evaluated beyond the scan.
 *
 * @param view the snapshot as the audit parsed it (the audit's {@code HostView})
 * @param summary what a remediation bundle reads of the host's facts
 * @param scanned the host's addresses that the scan covered
 * @param sources the scanner's source address per family used for the evaluation
 * @param checked how many (address, port) pairs were evaluated; {@code endpoints} keeps the ones
 *     worth showing (open on either side, a disagreement, or a listener behind them)
 */
public record HostAudit(String hostname, @Nullable Path snapshotFile, @Nullable CollectedHost view, HostSummary summary,
                        List<Address> addresses, List<Address> scanned, List<Address> sources, List<EndpointCheck> endpoints,
                        List<ListenerCheck> listeners, long checked, long agreeing, List<String> notes) {
    public HostAudit {
        addresses = List.copyOf(addresses);
        scanned = List.copyOf(scanned);
        sources = List.copyOf(sources);
        endpoints = List.copyOf(endpoints);
        listeners = List.copyOf(listeners);
        notes = List.copyOf(notes);
    }
}
