package org.aiscan.cli;

import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The root command. A first argument that is not a subcommand means {@code scan}. */
public final class AiscanCommand implements Runnable {
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Builds the configured command line, every command declared in code ({@link OptionTable}). A
     * scan (the command run most often, and by schedules) gets a root holding only the scan
     * subcommand and no help: building the other eight is work a scan does not need.
     */
    public static CommandLine commandLine(String[] args) {
        CommandLine cl;
        if (isScan(args)) {
            OptionTable root = OptionTable.root("aiscan"); // no --help/--version here: those are not scans
            root.option("--stacktrace").inherited().about(STACKTRACE).flag(v -> { });
            cl = root.commandLine();
            cl.addSubcommand("scan", ScanCommand.commandLine());
        } else {
            AiscanCommand c = new AiscanCommand();
            OptionTable t = OptionTable.command(c, "aiscan")
                    .description("Finds self-hosted AI services exposed to the network (Ollama, vLLM, ComfyUI,",
                            "Jupyter, ...) and explains, from a snapshot of the host, why each is reachable.",
                            "",
                            "A bare 'aiscan TARGET…' is 'aiscan scan TARGET…'.")
                    .footer("",
                            "Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 new or unaccepted exposures, 4 scan incomplete.",
                            "Scan only networks you own or are allowed to test.");
            t.option("--stacktrace").inherited().about(STACKTRACE).flag(v -> { });
            c.spec = t.spec();
            cl = t.commandLine();
            cl.addSubcommand("scan", ScanCommand.commandLine());
            cl.addSubcommand("rules", RulesCommand.commandLine());
            cl.addSubcommand("collect", CollectCommand.commandLine());
            cl.addSubcommand("audit", AuditCommand.commandLine());
            cl.addSubcommand("report", ReportCommand.commandLine());
            cl.addSubcommand("diff", DiffCommand.commandLine());
            cl.addSubcommand("merge", MergeCommand.commandLine());
            cl.addSubcommand("accept", AcceptCommand.commandLine());
            cl.addSubcommand(new AutoComplete.GenerateCompletion()); // picocli's own two, annotated by picocli
            cl.addSubcommand(new CommandLine.HelpCommand());
            cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        }
        cl.setParameterExceptionHandler(ErrorHandlers.parameters());
        cl.setExecutionExceptionHandler(ErrorHandlers.execution(ErrorHandlers.stackTraces(args)));
        return cl;
    }

    /** {@code --stacktrace}'s help. */
    private static final String STACKTRACE = "Print the stack trace of an unexpected error.";

    /** Whether these arguments run a scan (explicitly or as the default subcommand). */
    public static boolean isScan(String[] args) {
        if (args.length == 0) {
            return false;
        }
        String first = args[0];
        return first.equals("scan") || !(List.of("-h", "--help", "-V", "--version", "help", "generate-completion").contains(first)
                || SUBCOMMANDS.contains(first));
    }

    /** Names of the subcommands other than scan; kept here so the default can be decided before picocli starts. */
    static final List<String> SUBCOMMANDS = List.of("help", "generate-completion", "rules", "collect", "audit", "report", "diff", "merge",
            "accept");

    /** Inserts {@code scan} when the first argument is neither a subcommand nor a root option. */
    public static String[] withDefaultSubcommand(CommandLine cl, String[] args) {
        if (args.length == 0) {
            return args;
        }
        String first = args[0];
        if (cl.getSubcommands().containsKey(first)
                || List.of("-h", "--help", "-V", "--version").contains(first)) {
            return args;
        }
        String[] out = new String[args.length + 1];
        out[0] = "scan";
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }
}
