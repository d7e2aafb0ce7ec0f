package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command declares its options one way, in code ({@link OptionTable}), with picocli's own checks. */
class OptionTableTest {
    private static final Pattern ANNOTATION = Pattern.compile("@(Command|Option|Parameters|Mixin|ArgGroup|Spec|ParentCommand)\\b");

    @Test
    void noMainSourceDeclaresOptionsByAnnotation() throws IOException {
        List<Path> annotated;
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            annotated = s.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return ANNOTATION.matcher(PackageRulesTest.code(Files.readString(p))).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertEquals(List.of(), annotated, "declare options through OptionTable (start-up: no annotation reflection)");
    }

    @Test
    void requiredPositionalsAndOptionsAndSplitsArePicocliChecks() {
        assertThrows(CommandLine.MissingParameterException.class, () -> root().parseArgs("diff", "old.jsonl"));
        assertThrows(CommandLine.MissingParameterException.class, () -> root().parseArgs("merge", "a.jsonl"));
        assertThrows(CommandLine.MissingParameterException.class, () -> root().parseArgs("report"));
        CommandLine root = root();
        root.parseArgs("audit", "--snapshot", "h.json", "--from", "10.0.0.0/8,192.0.2.0/24", "--trusted", "198.18.0.0/15");
        AuditCommand a = (AuditCommand) root.getSubcommands().get("audit").getCommandSpec().userObject();
        assertEquals(List.of("10.0.0.0/8", "192.0.2.0/24"), a.from);
        assertEquals(List.of("198.18.0.0/15"), a.remediation.trusted);
        assertEquals("/etc/nginx/aiscan", a.remediation.nginxDir);
        assertEquals("ai-default", a.ports);
    }

    @Test
    void everyCommandAnswersVersionAndInheritsStacktrace() {
        for (String[] command : new String[][] {{"diff"}, {"rules", "cves", "import"}, {"scan"}, {"audit"}}) {
            CommandLine root = root();
            StringWriter out = new StringWriter();
            root.setOut(new PrintWriter(out));
            CommandLine c = root;
            for (String name : command) {
                c = c.getSubcommands().get(name);
                c.setOut(new PrintWriter(out));
            }
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "-V";
            assertEquals(0, root.execute(args));
            assertTrue(out.toString().startsWith("aiscan "), String.join(" ", command) + ": " + out);
            assertTrue(c.getCommandSpec().findOption("--stacktrace") != null, String.join(" ", command));
        }
    }

    private static CommandLine root() {
        return AiscanCommand.commandLine(new String[] {"--help"});
    }
}
