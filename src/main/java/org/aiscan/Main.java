package org.aiscan;

import org.aiscan.cli.AiscanCommand;
import picocli.CommandLine;

/** Entry point: {@code java -jar aiscan.jar …}, normally started by {@code scanner/aiscan}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code (used by tests to run aiscan in-process). */
    public static int run(String... args) {
        CommandLine cl = AiscanCommand.commandLine(args);
        return cl.execute(AiscanCommand.withDefaultSubcommand(cl, args));
    }
}
