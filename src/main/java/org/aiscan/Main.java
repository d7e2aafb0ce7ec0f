package org.aiscan;

import org.aiscan.cli.AiscanCommand;
import org.aiscan.cli.ScanCommand;
import org.aiscan.trace.Trace;
import picocli.CommandLine;

/** Entry point: {@code java -jar aiscan.jar …}, normally started by {@code scanner/aiscan}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        Trace.mark("exit " + code);
        System.exit(code);
    }

    /** Runs a command and returns its exit code (used by tests to run aiscan in-process). */
    public static int run(String... args) {
        Trace.mark("main");
        // picocli looks for Groovy's Closure class once; missing, that lookup opens every jar on the class
        // path (about a fifth of picocli's start-up, measured with async-profiler). aiscan has no Groovy.
        System.setProperty("picocli.disable.closures", "true");
        // pcap4j logs through SLF4J, which otherwise finds its provider by opening every jar on the class
        // path (~20 ms of a SYN scan's start, measured with async-profiler); aiscan ships slf4j-nop
        System.setProperty("slf4j.provider", "org.slf4j.nop.NOPServiceProvider");
        System.setProperty("slf4j.internal.verbosity", "WARN"); // else it says on stderr that it used that property
        if (AiscanCommand.isScan(args)) {
            // While the command line is read and the targets built, load what a scan needs next beside it:
            // libpcap and its bindings on one thread, the JDK's sockets and the default exclusions on another.
            for (Runnable r : new Runnable[] {ScanCommand::prefetchCapture, ScanCommand::prefetch}) {
                Thread warm = new Thread(r, "aiscan-prefetch");
                warm.setDaemon(true);
                warm.start();
            }
        }
        CommandLine cl = AiscanCommand.commandLine(args);
        Trace.mark("command line built");
        return cl.execute(AiscanCommand.withDefaultSubcommand(cl, args));
    }
}
