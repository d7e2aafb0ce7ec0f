package org.aiscan.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * What the peers detect and what aiscan does with it: {@code rulesets/coverage/peers.tsv}, one row
 * per product that Tencent AI-Infra-Guard, nuclei-templates, Tsunami or aicheck fingerprints, with
 * the aiscan rules that identify it or the written reason there is none (no safe signal, not a
 * standalone service, out of scope). A row with neither, or naming a rule that does not exist, is a
 * problem: the number stays true as rules and peers change.
 */
public final class PeerCoverage {
    /** The table's place in a rules folder. */
    public static final String FILE = "coverage/peers.tsv";
    static final List<String> HEADER = List.of("product", "class", "peers", "aiscan", "reason");

    /**
     * One peer product.
     *
     * @param line its line in the table
     * @param rules the aiscan rule ids that identify it (those that exist); empty when none
     * @param reason why no rule identifies it; null when rules do
     */
    public record Row(int line, String product, String productClass, String peers, List<String> rules, @Nullable String reason) {
        public Row {
            rules = List.copyOf(rules);
        }
    }

    /** The table checked against a ruleset. */
    public record Result(List<Row> rows, List<String> problems) {
        public Result {
            rows = List.copyOf(rows);
            problems = List.copyOf(problems);
        }

        public long covered() {
            return rows.stream().filter(r -> !r.rules().isEmpty()).count();
        }

        public List<Row> uncovered() {
            return rows.stream().filter(r -> r.rules().isEmpty()).toList();
        }
    }

    private PeerCoverage() {
    }

    /** The table of the rules folder {@code dir}, or the installed one when it is null. */
    public static String read(@Nullable Path dir) throws IOException {
        if (dir != null) {
            Path f = dir.resolve(FILE);
            if (!Files.isRegularFile(f)) {
                throw new InvalidInputException("no peer table at " + f + " (the rules folder's " + FILE + ")");
            }
            return Files.readString(f);
        }
        String relative = RuleLoader.HOME_DIR + "/" + FILE;
        if (!AiscanHome.exists(relative)) {
            throw new InvalidInputException("the installed rules have no " + FILE + "; pass --rules DIR");
        }
        try (InputStream in = AiscanHome.open(relative)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads the table and checks each row against {@code rules}. */
    public static Result check(String text, Ruleset rules) {
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean header = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\t", -1);
            if (!header) {
                if (!Arrays.asList(f).equals(HEADER)) {
                    problems.add(FILE + ":" + (i + 1) + ": the header must be " + String.join(" <tab> ", HEADER));
                    return new Result(rows, problems);
                }
                header = true;
                continue;
            }
            if (f.length != HEADER.size()) {
                problems.add(FILE + ":" + (i + 1) + ": " + f.length + " fields, " + HEADER.size() + " expected");
                continue;
            }
            List<String> ids = f[3].isBlank() ? List.of() : Arrays.stream(f[3].split(",")).map(String::strip).toList();
            String reason = f[4].isBlank() ? null : f[4].strip();
            List<String> known = new ArrayList<>();
            for (String id : ids) {
                if (rules.get(id) == null) {
                    problems.add(FILE + ":" + (i + 1) + ": " + f[0] + ": no rule has the id '" + id + "'");
                } else {
                    known.add(id);
                }
            }
            if (ids.isEmpty() && reason == null) {
                problems.add(FILE + ":" + (i + 1) + ": " + f[0] + ": neither a rule nor a reason");
            }
            if (f[0].isBlank() || f[2].isBlank()) {
                problems.add(FILE + ":" + (i + 1) + ": a row names its product and the peers that detect it");
            }
            rows.add(new Row(i + 1, f[0].strip(), f[1].strip(), f[2].strip(), known, reason));
        }
        if (!header) {
            problems.add(FILE + ": empty");
        }
        return new Result(rows, problems);
    }
}
