package org.aiscan.cli;

import org.aiscan.console.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.aiscan.fingerprint.Rule;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.fingerprint.RuleProblem;
import org.aiscan.fingerprint.fixture.FixtureRunner;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.InvalidInputException;
import org.aiscan.fingerprint.CveCatalog;
import org.aiscan.fingerprint.OsvImport;
import org.aiscan.target.PortGroups;
import org.aiscan.target.PortSpec;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aiscan rules list | lint [DIR] | test | cves | coverage}: inspect and check the fingerprint rules. */
public final class RulesCommand implements Runnable {
    /** Summary lines on stderr (journald priorities when run by systemd); results go to stdout. */
    static final Console CONSOLE = Console.plain(System.err, false);

    private CommandSpec spec;

    /** This command and its subcommands, declared in code ({@link OptionTable}). */
    static CommandLine commandLine() {
        RulesCommand c = new RulesCommand();
        OptionTable t = OptionTable.command(c, "rules").description("Inspect and check the fingerprint rules (rulesets/fingerprints/*.yaml).");
        c.spec = t.spec();
        CommandLine cl = t.commandLine();
        cl.addSubcommand("list", ListRules.commandLine());
        cl.addSubcommand("lint", Lint.commandLine());
        cl.addSubcommand("test", Test.commandLine());
        cl.addSubcommand("cves", Cves.commandLine());
        cl.addSubcommand("coverage", RulesCoverage.commandLine());
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The help of every {@code --rules} of these subcommands. */
    static final String RULES_DIR = "Rules folder (default: the installed rulesets/).";

    static RuleLoader.Result load(@Nullable Path dir) throws Exception {
        RuleLoader.Result r = dir == null ? RuleLoader.loadDefault() : RuleLoader.load(dir);
        return r;
    }

    /** {@link #load}, each problem said as a warning (a listing goes on with what loaded). */
    static RuleLoader.Result loadWarning(Path dir) throws Exception {
        RuleLoader.Result r = load(dir);
        for (RuleProblem p : r.problems()) {
            CONSOLE.warn(p.toString());
        }
        return r;
    }

    /** Lists the rules. */
    static final class ListRules implements Callable<Integer> {
        Path dir;

        static CommandLine commandLine() {
            ListRules c = new ListRules();
            OptionTable t = OptionTable.command(c, "list")
                    .description("List the rules: id, kind (product, protocol, generic), name, ports and their port group, vulnerabilities tracked.");
            t.option("--rules").label("DIR").about(RULES_DIR).value(Path.class, v -> c.dir = v);
            return t.commandLine();
        }

        @Override
        public Integer call() throws Exception {
            RuleLoader.Result r = loadWarning(dir);
            java.util.BitSet quick = new java.util.BitSet();
            java.util.BitSet standard = new java.util.BitSet();
            PortGroups.load("ai-quick", quick);
            PortGroups.load(PortSpec.DEFAULT_GROUP, standard);
            System.out.printf(Locale.ROOT, "%-18s %-9s %-42s %-30s %s%n", "ID", "KIND", "NAME", "PORTS", "CVES");
            boolean outside = false;
            for (Rule rule : r.ruleset().rules().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
                List<String> ports = new java.util.ArrayList<>();
                for (int p : rule.ports()) {
                    ports.add(p + (quick.get(p) ? "*" : standard.get(p) ? "" : "!"));
                    outside |= !standard.get(p) && rule.kind() != Rule.Kind.GENERIC;
                }
                System.out.printf(Locale.ROOT, "%-18s %-9s %-42s %-30s %d%n", rule.id(), rule.kind().key(), rule.name(), String.join(",", ports),
                        r.ruleset().cves().forService(rule.id()).size());
            }
            CONSOLE.say("ports: * in ai-quick and ai-default, unmarked in ai-default (a scan's default group), ! in neither"
                    + (outside ? " (a product's port missing from scanner/ports/ai-default.txt)" : " (only ssh's and the http catch-all's)"));
            long products = r.ruleset().rules().stream().filter(x -> x.kind() == Rule.Kind.PRODUCT).count();
            CONSOLE.say(r.ruleset().size() + " rules (" + products + " products), " + r.ruleset().cves().size() + " vulnerability records");
            return r.ok() ? ExitCodes.OK : ExitCodes.RUNTIME_ERROR;
        }
    }

    /** Lints a rules folder. */
    static final class Lint implements Callable<Integer> {
        @Nullable Path dir;

        static CommandLine commandLine() {
            Lint c = new Lint();
            OptionTable t = OptionTable.command(c, "lint")
                    .description("Check a rules folder strictly: unknown keys, bad regexes, wrong values, unsafe probes.",
                            "Prints file:line: problem for each; exit 0 when clean, 1 when not.");
            t.positional("DIR").arity("0..1").about("Rules folder holding fingerprints/ and safety.yaml (default: rulesets/).")
                    .value(Path.class, v -> c.dir = v);
            return t.commandLine();
        }

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
    static final class Test implements Callable<Integer> {
        Path dir;
        @Nullable Path fixtures;
        boolean verbose;

        static CommandLine commandLine() {
            Test c = new Test();
            OptionTable t = OptionTable.command(c, "test")
                    .description("Run every recorded fixture (test-fixtures/fingerprints/<rule>/*.yaml) through the rules.");
            t.option("--rules").label("DIR").about(RULES_DIR).value(Path.class, v -> c.dir = v);
            t.option("--fixtures").label("DIR").about("Fixture folder (default: test-fixtures/fingerprints).")
                    .value(Path.class, v -> c.fixtures = v);
            t.option("-v", "--verbose").about("Print every fixture, not only failures.").flag(v -> c.verbose = v);
            return t.commandLine();
        }

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

    /** Lists the vulnerability catalog, or imports OSV records into it. */
    static final class Cves implements Callable<Integer> {
        Path dir;
        @Nullable String service;

        static CommandLine commandLine() {
            Cves c = new Cves();
            OptionTable t = OptionTable.command(c, "cves")
                    .description("List the known vulnerabilities (rulesets/cves/<service>.json, OSV records): id, service, severity,",
                            "affected versions, where the range comes from and what it was checked against.");
            t.option("--rules").label("DIR").about(RULES_DIR).value(Path.class, v -> c.dir = v);
            t.option("--service").label("ID").about("Only this service's records.").value(String.class, v -> c.service = v);
            CommandLine cl = t.commandLine();
            cl.addSubcommand("import", ImportCves.commandLine());
            return cl;
        }

        @Override
        public Integer call() throws Exception {
            RuleLoader.Result r = loadWarning(dir);
            List<CveCatalog.Advisory> all = service == null ? r.ruleset().cves().all()
                    : r.ruleset().cves().forService(service);
            if (service != null && r.ruleset().get(service) == null) {
                throw new InvalidInputException("no rule has the id '" + service + "'; 'aiscan rules list' shows them");
            }
            System.out.printf(Locale.ROOT, "%-20s %-14s %-8s %-34s %s%n", "ID", "SERVICE", "SEVERITY", "AFFECTED", "CHECKED AGAINST");
            long checked = 0;
            for (CveCatalog.Advisory a : all) {
                String affected = a.affected();
                System.out.printf(Locale.ROOT, "%-20s %-14s %-8s %-34s %s%n", a.id(), a.service(), a.severity(),
                        affected.length() > 34 ? affected.substring(0, 31) + "..." : affected, a.checked() == null ? "-" : a.checked());
                checked += a.checked() == null ? 0 : 1;
            }
            CONSOLE.say(all.size() + " vulnerability records, " + checked + " checked against an advisory; the others carry the range "
                    + "of their source (database_specific.aiscan.source)");
            return r.ok() ? ExitCodes.OK : ExitCodes.RUNTIME_ERROR;
        }
    }

    /** Imports OSV records from an advisory mirror. */
    static final class ImportCves implements Callable<Integer> {
        List<Path> inputs = new ArrayList<>();
        @Nullable Path into;

        static CommandLine commandLine() {
            ImportCves c = new ImportCves();
            OptionTable t = OptionTable.command(c, "import")
                    .description("Import OSV records (JSON or YAML files, or folders of them: an osv.dev export, the GitHub Advisory",
                            "Database, the PyPA database) into a catalog folder. Packages map to services by the folder's packages.yaml;",
                            "a record replaces one with the same id or alias.");
            t.positional("FILE|DIR").arity("1..*").about("OSV files or folders.").list(Path.class, () -> c.inputs, v -> c.inputs = v);
            t.option("--into").label("DIR").about("Catalog folder to update (default: the installed rulesets/cves).")
                    .value(Path.class, v -> c.into = v);
            return t.commandLine();
        }

        @Override
        public Integer call() throws Exception {
            Path d = into != null ? into
                    : AiscanHome.home().map(h -> h.resolve("rulesets/" + RuleLoader.CVE_DIR)).orElse(Path.of("rulesets/" + RuleLoader.CVE_DIR));
            Path packages = d.resolve("packages.yaml");
            if (!Files.isRegularFile(packages)) {
                throw new InvalidInputException("no " + packages + ": it maps OSV packages (ecosystem, name) to aiscan services");
            }
            OsvImport imp = new OsvImport(OsvImport.readPackages(packages));
            OsvImport.Outcome o = imp.run(inputs, d, java.time.Instant.now());
            o.changed().forEach(c -> System.out.println("range changed: " + c));
            int added = o.added().values().stream().mapToInt(Integer::intValue).sum();
            int replaced = o.replaced().values().stream().mapToInt(Integer::intValue).sum();
            int skipped = o.skipped().values().stream().mapToInt(Integer::intValue).sum();
            CONSOLE.say(String.format(Locale.ROOT, "%d record(s) added and %d replaced in %s (%s); %d affected package(s) skipped, no service "
                    + "for them in packages.yaml%s", added, replaced, d,
                    String.join(", ", new java.util.TreeSet<>(java.util.stream.Stream.concat(o.added().keySet().stream(),
                            o.replaced().keySet().stream()).toList())), skipped,
                    skipped == 0 ? "" : " (" + String.join(", ", o.skipped().keySet().stream().limit(5).toList())
                            + (o.skipped().size() > 5 ? ", …" : "") + ")"));
            RuleLoader.Result check = RuleLoader.load(d.getParent());
            check.problems().stream().filter(p -> p.toString().contains(RuleLoader.CVE_DIR)).forEach(p -> CONSOLE.warn(p.toString()));
            return ExitCodes.OK;
        }
    }
}
