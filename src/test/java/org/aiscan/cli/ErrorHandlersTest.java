package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.aiscan.model.CannotProceedException;
import org.aiscan.model.InvalidInputException;
import org.aiscan.schedule.StateBusyException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Each failure ends the command with the exit status it carries and one line on stderr. */
class ErrorHandlersTest {
    private final StringWriter err = new StringWriter();

    private int run(RuntimeException thrown, boolean traces) {
        Callable<Integer> c = () -> {
            throw thrown;
        };
        CommandLine cmd = new CommandLine(CommandLine.Model.CommandSpec.wrapWithoutInspection(c));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setExecutionExceptionHandler(ErrorHandlers.execution(traces));
        return cmd.execute();
    }

    /** The command's exit status and the one line it printed. */
    private void endsWith(int status, String line, RuntimeException thrown) {
        assertEquals(status, run(thrown, true));
        assertEquals(line, err.toString().strip());
    }

    @Test
    void inputTheUserCanFixExits2InOneLine() {
        endsWith(ExitCodes.USAGE, "aiscan: bad port '0': ports are 1-65535", new InvalidInputException("bad port '0': ports are 1-65535"));
    }

    @Test
    void whatStopsTheRunHereExits1InOneLine() {
        endsWith(ExitCodes.RUNTIME_ERROR, "aiscan: nothing to resume in /s: its last run finished",
                new CannotProceedException("nothing to resume in /s: its last run finished\nmore"));
        err.getBuffer().setLength(0);
        endsWith(ExitCodes.RUNTIME_ERROR, "aiscan: another aiscan run holds /s/lock (pid 7)", new StateBusyException("another aiscan run holds /s/lock (pid 7)"));
    }

    @Test
    void anythingElseIsARuntimeErrorWithAPointerToTheStackTrace() {
        assertEquals(ExitCodes.RUNTIME_ERROR, run(new IllegalStateException("boom"), false));
        String out = err.toString();
        assertTrue(out.startsWith("aiscan: error: boom") && out.contains("--stacktrace") && !out.contains("\tat "), out);
    }
}
