package org.aiscan.model.audit;

import org.aiscan.model.Address;
import org.aiscan.model.Observed;
import org.aiscan.model.Service;
import org.jspecify.annotations.Nullable;

/**
 * One scanned endpoint of a host: what the scan saw next to what the snapshot predicts.
 *
 * @param observed open, closed, filtered, or not-open (the scan wrote only open ports)
 * @param prediction the evaluator's answer for the scanner's source address
 * @param agrees whether the two tell the same story
 * @param explanation for a disagreement, what may account for it; else null
 * @param service the fingerprint, when the port was open and fingerprinted
 */
public record EndpointCheck(Address ip, int port, String proto, Observed observed, Prediction prediction, boolean agrees,
                            @Nullable String explanation, @Nullable Service service) {
    public String endpoint() {
        return ip.endpoint(port);
    }

    /** The scan saw it open. */
    public boolean open() {
        return observed == Observed.OPEN;
    }
}
