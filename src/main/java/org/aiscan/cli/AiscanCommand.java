package org.aiscan.cli;

import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command. A first argument that is not a subcommand means {@code scan}. */
@Command(name = "aiscan",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Finds self-hosted AI services exposed to the network (Ollama, vLLM, ComfyUI,",
            "Jupyter, ...) and explains, from a snapshot of the host, why each is reachable.",
            "",
            "A bare 'aiscan TARGET…' is 'aiscan scan TARGET…'."},
        footer = {"",
            "Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 new or unaccepted exposures, 4 scan incomplete.",
            "Scan only networks you own or are allowed to test."})
public final class AiscanCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @CommandLine.Option(names = "--stacktrace", description = "Print the stack trace of an unexpected error.", scope = CommandLine.ScopeType.INHERIT)
    boolean stacktrace;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Builds the configured command line. A scan (the command run most often, and by schedules) gets a
     * root holding only the scan subcommand: picocli builds a model of every subcommand it is given by
     * reflection, and the other eight cost about a fifth of start-up for nothing.
     */
    public static CommandLine commandLine(String[] args) {
        CommandLine cl;
        if (isScan(args)) {
            CommandSpec root = CommandSpec.create().name("aiscan"); // no --help/--version here: those are not scans
            root.addOption(CommandLine.Model.OptionSpec.builder("--stacktrace").scopeType(CommandLine.ScopeType.INHERIT)
                    .description("Print the stack trace of an unexpected error.").build());
            cl = new CommandLine(root);
            cl.addSubcommand("scan", ScanCommand.commandLine());
        } else {
            cl = new CommandLine(new AiscanCommand());
            // in code rather than @Command(subcommands): scan, audit and report declare options in code
            cl.addSubcommand("scan", ScanCommand.commandLine());
            cl.addSubcommand(new RulesCommand());
            cl.addSubcommand(new CollectCommand());
            cl.addSubcommand("audit", AuditCommand.commandLine());
            cl.addSubcommand("report", ReportCommand.commandLine());
            cl.addSubcommand(new DiffCommand());
            cl.addSubcommand(new MergeCommand());
            cl.addSubcommand(new AcceptCommand());
            cl.addSubcommand(new AutoComplete.GenerateCompletion());
            cl.addSubcommand(new CommandLine.HelpCommand());
            cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        }
        cl.setParameterExceptionHandler(ErrorHandlers.parameters());
        cl.setExecutionExceptionHandler(ErrorHandlers.execution(ErrorHandlers.stackTraces(args)));
        return cl;
    }

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
