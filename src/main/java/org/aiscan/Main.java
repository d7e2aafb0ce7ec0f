package org.aiscan;

import org.aiscan.cli.AiscanCommand;
import picocli.CommandLine;

/** Entry point: {@code java -jar aiscan.jar …}, normally started by {@code scanner/aiscan}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        org.aiscan.console.Trace.mark("exit " + code);
        System.exit(code);
    }

    /** Runs a command and returns its exit code (used by tests to run aiscan in-process). */
    public static int run(String... args) {
        org.aiscan.console.Trace.mark("main");
        // picocli looks for Groovy's Closure class once; missing, that lookup opens every jar on the class
        // path (about a fifth of picocli's start-up, measured with async-profiler). aiscan has no Groovy.
        System.setProperty("picocli.disable.closures", "true");
        if (AiscanCommand.isScan(args)) {
            // While picocli builds its model (most of start-up), load what a scan needs next on the other core.
            Thread warm = new Thread(org.aiscan.cli.ScanCommand::prefetch, "aiscan-prefetch");
            warm.setDaemon(true);
            warm.start();
        }
        CommandLine cl = AiscanCommand.commandLine(args);
        org.aiscan.console.Trace.mark("command line built");
        return cl.execute(AiscanCommand.withDefaultSubcommand(cl, args));
    }
}
