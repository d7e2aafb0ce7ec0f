package org.aiscan.fingerprint;

/** A problem in a rule file, printed as {@code file:line: message}. */
public record RuleProblem(String file, int line, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
