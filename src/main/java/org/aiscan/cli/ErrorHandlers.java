package org.aiscan.cli;

import java.io.PrintWriter;
import org.aiscan.console.Journal;
import org.aiscan.model.InvalidInputException;
import picocli.CommandLine;

/**
 * Errors as one actionable line: usage problems exit 2 with a pointer to {@code --help}, runtime
 * failures exit 1; a stack trace only with {@code --stacktrace} or {@code AISCAN_STACKTRACE=1}.
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
            if (ex instanceof InvalidInputException) {
                err.println(Journal.prefix(Journal.ERROR) + "aiscan: " + oneLine(ex.getMessage()));
                err.flush();
                return ExitCodes.USAGE;
            }
            if (ex instanceof org.aiscan.schedule.StateBusyException) {
                err.println(Journal.prefix(Journal.ERROR) + "aiscan: " + oneLine(ex.getMessage()));
                err.flush();
                return ExitCodes.RUNTIME_ERROR;
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

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
