package org.aiscan.model;

import org.jspecify.annotations.Nullable;

/**
 * A failure aiscan explains in one line and ends the command with: the message names what went
 * wrong and what to do, and {@link #exitStatus()} is the process's exit status (README "Exit
 * codes"). The CLI prints the message without a stack trace; any other exception is a bug or an
 * unexpected I/O failure and exits 1 with a pointer to {@code --stacktrace}.
 */
public abstract class AiscanException extends RuntimeException {
    /** Exit status of a failure at run time: the input was fine, the machine, state or installation was not. */
    public static final int RUNTIME_ERROR = 1;
    /** Exit status of input the user can fix: an option, target, port list or file. */
    public static final int USAGE = 2;

    private static final long serialVersionUID = 1L;

    protected AiscanException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** The exit status the command ends with. */
    public abstract int exitStatus();
}
