package org.aiscan.model;

/**
 * The command was given good input but cannot go on here: another run holds the state folder, there
 * is no interrupted run to resume, the routing table cannot be read, the installed rules are broken.
 * One line, exit 1 (a usage error, exit 2, is an {@link InvalidInputException}).
 */
public class CannotProceedException extends AiscanException {
    private static final long serialVersionUID = 1L;

    public CannotProceedException(String message) {
        super(message, null);
    }

    @Override
    public int exitStatus() {
        return RUNTIME_ERROR;
    }
}
