package org.aiscan.model;

/**
 * Input the user can fix: a bad target, port list, file or option value. The message is one line
 * that names the offending value and says what would be accepted; the CLI prints it and exits 2.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
