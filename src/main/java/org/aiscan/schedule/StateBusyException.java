package org.aiscan.schedule;

import org.aiscan.model.CannotProceedException;

/** Another run holds the state folder's lock (exit code 1, one line). */
public final class StateBusyException extends CannotProceedException {
    private static final long serialVersionUID = 1L;

    public StateBusyException(String message) {
        super(message);
    }
}
