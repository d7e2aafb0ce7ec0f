package org.aiscan.schedule;

/** Another run holds the state folder's lock (exit code 1, one line). */
public final class StateBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateBusyException(String message) {
        super(message);
    }
}
