package org.aiscan.cli;

import java.io.PrintWriter;
import org.aiscan.console.Journal;
import org.aiscan.model.AiscanException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * Errors as one actionable line: a mistyped command line exits 2 with a pointer to {@code --help}; an
 * {@link AiscanException} exits with the status it carries (2 for input the user can fix, 1 for what
 * stops the run here); anything else is a runtime failure, exit 1, with a stack trace only with
 * {@code --stacktrace} or {@code AISCAN_STACKTRACE=1}.
 */
final class ErrorHandlers {
    private ErrorHandlers() {
    }

    static boolean stackTraces(String[] args) {
        if (System.getenv("AISCAN_STACKTRACE") != null) {
            return true;
        }
        for (String a : args) {
            if (a.equals("--stacktrace")) {
                return true;
            }
        }
        return false;
    }

    static CommandLine.IParameterExceptionHandler parameters() {
        return (ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(Journal.prefix(Journal.ERROR) + "aiscan: " + oneLine(ex.getMessage()));
            String path = cmd.getCommandSpec().qualifiedName();
            err.println("Try '" + path + " --help' for the options.");
            err.flush();
            return ExitCodes.USAGE;
        };
    }

    static CommandLine.IExecutionExceptionHandler execution(boolean traces) {
        return (ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof AiscanException known) {
                err.println(Journal.prefix(Journal.ERROR) + "aiscan: " + oneLine(known.getMessage()));
                err.flush();
                return known.exitStatus();
            }
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : oneLine(ex.getMessage());
            err.println(Journal.prefix(Journal.ERROR) + "aiscan: error: " + msg);
            if (traces) {
                ex.printStackTrace(err);
            } else {
                err.println("aiscan: run again with --stacktrace for details");
            }
            err.flush();
            return ExitCodes.RUNTIME_ERROR;
        };
    }

    static String oneLine(@Nullable String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
