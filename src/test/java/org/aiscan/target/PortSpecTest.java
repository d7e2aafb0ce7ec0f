package org.aiscan.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aiscan.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortSpecTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "22,80,8000-8002|22,80,8000-8002|5",
        "8002,8000-8001,8000|8000-8002|3",
        "-|1-65535|65535",
        "-1024|1-1024|1024",
        "65000-|65000-65535|536",
        "T:80,T:443|80,443|2",
    })
    void nmapSyntax(String spec, String canonical, int size) {
        PortList p = PortSpec.parse(spec);
        assertEquals(canonical, p.toSpec());
        assertEquals(size, p.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "80-70", "a b", "80,,81", "U:53", "8o", "", "-5-9"})
    void rejectsBadSpecs(String spec) {
        assertThrows(InvalidInputException.class, () -> PortSpec.parse(spec));
    }

    @Test
    void defaultGroupHasAtLeastThirtyCommentedAiPorts() throws Exception {
        PortList p = PortSpec.parse("ai-default");
        assertTrue(p.size() >= 30, "only " + p.size() + " ports");
        for (String port : new String[] {"8000", "11434", "8188", "9090", "8888", "7860"}) {
            assertTrue(p.contains(Integer.parseInt(port)), port);
        }
        for (String line : Files.readAllLines(Path.of("scanner/ports/ai-default.txt"))) {
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                assertTrue(t.matches("\\d+\\s+#\\s*\\S.*"), "every port names who uses it: '" + line + "'");
            }
        }
    }

    @Test
    void groupsMixWithPorts() {
        PortList p = PortSpec.parse("ai-quick,22");
        assertTrue(p.contains(22));
        assertTrue(p.contains(11434));
    }
}
