package org.aiscan.cli;

import org.aiscan.console.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aiscan.fingerprint.Rule;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.fingerprint.RuleProblem;
import org.aiscan.fingerprint.fixture.FixtureRunner;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aiscan rules list | lint [DIR] | test}: inspect and check the fingerprint rules. */
@Command(name = "rules", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Inspect and check the fingerprint rules (rulesets/fingerprints/*.yaml).",
        subcommands = {RulesCommand.ListRules.class, RulesCommand.Lint.class, RulesCommand.Test.class})
public final class RulesCommand implements Runnable {
    /** Summary lines on stderr (journald priorities when run by systemd); results go to stdout. */
    static final Console CONSOLE = Console.plain(System.err, false);

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    static RuleLoader.Result load(Path dir) throws Exception {
        RuleLoader.Result r = dir == null ? RuleLoader.loadDefault() : RuleLoader.load(dir);
        return r;
    }

    /** Lists the rules. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the rules: id, name, ports, vulnerabilities tracked.")
    static final class ListRules implements Callable<Integer> {
        @Option(names = "--rules", paramLabel = "DIR", description = "Rules folder (default: the installed rulesets/).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            RuleLoader.Result r = load(dir);
            for (RuleProblem p : r.problems()) {
                CONSOLE.warn(p.toString());
            }
            System.out.printf(Locale.ROOT, "%-15s %-42s %-26s %s%n", "ID", "NAME", "PORTS", "CVES");
            for (Rule rule : r.ruleset().rules().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
                String ports = rule.ports() == null ? "" : String.join(",", rule.ports().stream().map(String::valueOf).toList());
                System.out.printf(Locale.ROOT, "%-15s %-42s %-26s %d%n", rule.id(), rule.name(), ports,
                        rule.cves() == null ? 0 : rule.cves().size());
            }
            CONSOLE.say(r.ruleset().size() + " rules");
            return r.ok() ? ExitCodes.OK : ExitCodes.RUNTIME_ERROR;
        }
    }

    /** Lints a rules folder. */
    @Command(name = "lint", mixinStandardHelpOptions = true,
            description = {"Check a rules folder strictly: unknown keys, bad regexes, wrong values, unsafe probes.",
                "Prints file:line: problem for each; exit 0 when clean, 1 when not."})
    static final class Lint implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", arity = "0..1", description = "Rules folder holding fingerprints/ and safety.yaml (default: rulesets/).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Path d = dir != null ? dir : AiscanHome.home().map(h -> h.resolve("rulesets")).orElse(Path.of("rulesets"));
            if (!Files.isDirectory(d)) {
                throw new InvalidInputException("rules folder '" + d + "' does not exist");
            }
            RuleLoader.Result r = RuleLoader.load(d);
            for (RuleProblem p : r.problems()) {
                System.out.println(p);
            }
            if (r.ok()) {
                CONSOLE.say(r.files() + " rule files in " + d + ": clean");
                return ExitCodes.OK;
            }
            CONSOLE.error(r.problems().size() + " problem" + (r.problems().size() == 1 ? "" : "s") + " in " + d);
            return ExitCodes.RUNTIME_ERROR;
        }
    }

    /** Runs the recorded fixtures. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run every recorded fixture (test-fixtures/fingerprints/<rule>/*.yaml) through the rules.")
    static final class Test implements Callable<Integer> {
        @Option(names = "--rules", paramLabel = "DIR", description = "Rules folder (default: the installed rulesets/).")
        Path dir;

        @Option(names = "--fixtures", paramLabel = "DIR", description = "Fixture folder (default: test-fixtures/fingerprints).")
        Path fixtures;

        @Option(names = {"-v", "--verbose"}, description = "Print every fixture, not only failures.")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            RuleLoader.Result r = load(dir);
            if (!r.ok()) {
                r.problems().forEach(p -> System.out.println(p));
                return ExitCodes.RUNTIME_ERROR;
            }
            Path f = fixtures != null ? fixtures
                    : AiscanHome.home().map(h -> h.resolve("test-fixtures/fingerprints")).orElse(Path.of("test-fixtures/fingerprints"));
            if (!Files.isDirectory(f)) {
                throw new InvalidInputException("fixture folder '" + f + "' does not exist; pass --fixtures");
            }
            FixtureRunner runner = new FixtureRunner(r.ruleset());
            int passed = 0;
            List<Path> files = FixtureRunner.find(f);
            for (Path p : files) {
                FixtureRunner.Outcome o = runner.run(p);
                if (o.passed()) {
                    passed++;
                    if (verbose) {
                        System.out.println("ok    " + f.relativize(p) + " -> " + o.service().id() + " " + o.service().version()
                                + " auth=" + o.service().auth());
                    }
                } else {
                    System.out.println("FAIL  " + f.relativize(p) + ": " + String.join("; ", o.failures()));
                }
            }
            CONSOLE.say(passed + " of " + files.size() + " fixtures passed");
            return passed == files.size() ? ExitCodes.OK : ExitCodes.RUNTIME_ERROR;
        }
    }
}
