package org.aiscan.model;

/**
 * Input the user can fix: a bad target, port list, file or option value. The message is one line
 * that names the offending value and says what would be accepted; the CLI prints it and exits 2.
 * What is wrong with the machine, the state folder or the installation is a
 * {@link CannotProceedException} instead.
 */
public class InvalidInputException extends AiscanException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message, null);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitStatus() {
        return USAGE;
    }
}
