package org.aiscan.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aiscan.fingerprint.PeerCoverage;
import org.aiscan.fingerprint.RuleLoader;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** {@code aiscan rules coverage}: the peers' products, each with the rule that identifies it or the reason none does. */
final class RulesCoverage implements Callable<Integer> {
    @Nullable Path dir;
    boolean verbose;

    /** This command's command line, declared in code ({@link OptionTable}). */
    static CommandLine commandLine() {
        RulesCoverage c = new RulesCoverage();
        OptionTable t = OptionTable.command(c, "coverage")
                .description("Check the table of the peers' products (rulesets/coverage/peers.tsv: Tencent AI-Infra-Guard, nuclei-templates,",
                        "Tsunami, aicheck) against the rules: each product has a rule or a written reason. Prints the products without a rule",
                        "and why; exit 0 when every row holds, 1 when one has neither or names a rule that does not exist.");
        t.option("--rules").label("DIR").about(RulesCommand.RULES_DIR).value(Path.class, v -> c.dir = v);
        t.option("-v", "--verbose").about("Print every product, not only those without a rule.").flag(v -> c.verbose = v);
        return t.commandLine();
    }

    @Override
    public Integer call() throws Exception {
        RuleLoader.Result r = RulesCommand.loadWarning(dir);
        PeerCoverage.Result c = PeerCoverage.check(PeerCoverage.read(dir), r.ruleset());
        for (PeerCoverage.Row row : c.rows()) {
            if (!row.rules().isEmpty() && verbose) {
                System.out.printf(Locale.ROOT, "rule     %-48s %s%n", row.product(), String.join(", ", row.rules()));
            } else if (row.rules().isEmpty() && row.reason() != null) {
                System.out.printf(Locale.ROOT, "no rule  %-48s %s%n", row.product(), row.reason());
            }
        }
        c.problems().forEach(System.out::println);
        RulesCommand.CONSOLE.say(String.format(Locale.ROOT, "%d peer products: %d with a rule, %d without one and a reason given, %d problem(s)",
                c.rows().size(), c.covered(), c.uncovered().stream().filter(x -> x.reason() != null).count(), c.problems().size()));
        return c.problems().isEmpty() && r.ok() ? ExitCodes.OK : ExitCodes.RUNTIME_ERROR;
    }
}
