package org.aiscan.scan;

import org.aiscan.fingerprint.Fingerprinter;
import org.aiscan.model.Address;
import org.aiscan.model.Service;

/**
 * What a scan job asks of the fingerprint stage: the service behind an open endpoint. The job runs
 * it on a pool of its own; an exception leaves that endpoint without a service.
 */
public interface ServiceIdentifier {
    /** The service at {@code address:port}, or null when nothing answered as one. */
    Service identify(Address address, int port);

    /** How many rules it knows (the summary's note says so). */
    int rules();

    /** The fingerprinter as the job sees it. */
    static ServiceIdentifier of(Fingerprinter f) {
        return new ServiceIdentifier() {
            @Override
            public Service identify(Address address, int port) {
                return f.identify(address, port);
            }

            @Override
            public int rules() {
                return f.rules().size();
            }
        };
    }
}
