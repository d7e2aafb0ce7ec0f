package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table of the peers' products (rulesets/coverage/peers.tsv): every product a peer detects has
 * an aiscan rule or a written reason, and every rule it names exists.
 */
class PeerCoverageTest {
    @Test
    void everyPeerProductHasARuleOrAReason() throws Exception {
        RuleLoader.Result r = RuleLoader.load(Path.of("rulesets"));
        assertTrue(r.ok(), "rulesets load: " + r.problems());
        PeerCoverage.Result c = PeerCoverage.check(Files.readString(Path.of("rulesets", PeerCoverage.FILE)), r.ruleset());
        assertEquals(List.of(), c.problems());
        assertTrue(c.rows().size() >= 180, "the research table's 182 products stay listed: " + c.rows().size());
        assertTrue(c.covered() >= 140, "products with a rule: " + c.covered());
    }

    @Test
    void aRowWithNeitherOrAnUnknownRuleIsAProblem() throws Exception {
        Ruleset rules = RuleLoader.load(Path.of("rulesets")).ruleset();
        String table = "# comment\nproduct\tclass\tpeers\taiscan\treason\n"
                + "Ollama\tai\tAI-Infra-Guard\tollama\t\n"
                + "Nothing\tai\tnuclei-templates\t\t\n"
                + "Typo\tai\tTsunami\tolama\t\n"
                + "Plugin\tai\tAI-Infra-Guard\t\ta WordPress plugin, not a service\n"
                + "Short\tai\n";
        PeerCoverage.Result c = PeerCoverage.check(table, rules);
        assertEquals(4, c.rows().size());
        assertEquals(1, c.covered());
        assertEquals(3, c.problems().size(), c.problems().toString());
        assertTrue(c.problems().get(0).contains(":4: Nothing: neither a rule nor a reason"), c.problems().get(0));
        assertTrue(c.problems().get(1).contains("no rule has the id 'olama'"), c.problems().get(1));
        assertTrue(c.problems().get(2).contains(":7: 2 fields"), c.problems().get(2));
        assertEquals(List.of("coverage/peers.tsv: the header must be product <tab> class <tab> peers <tab> aiscan <tab> reason"),
                PeerCoverage.check("a\tb\n", rules).problems().stream().map(p -> p.replaceFirst(":1:", ":")).toList());
    }
}
