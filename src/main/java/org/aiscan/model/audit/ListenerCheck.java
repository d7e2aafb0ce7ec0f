package org.aiscan.model.audit;

import org.aiscan.model.Address;

/**
 * A listening socket of the snapshot that the scan did not probe (another port, UDP, an address not
 * scanned), evaluated for the scanner's source: would it be reachable?
 */
public record ListenerCheck(Listener listener, Address ip, Prediction prediction) {
}
