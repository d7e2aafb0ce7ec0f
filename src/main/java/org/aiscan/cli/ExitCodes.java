package org.aiscan.cli;

import org.aiscan.model.AiscanException;

/** Exit codes (README "Exit codes"); stable, scripts rely on them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int RUNTIME_ERROR = AiscanException.RUNTIME_ERROR;
    public static final int USAGE = AiscanException.USAGE;
    public static final int NEW_EXPOSURE = 3;
    public static final int INCOMPLETE = 4;

    private ExitCodes() {
    }
}
