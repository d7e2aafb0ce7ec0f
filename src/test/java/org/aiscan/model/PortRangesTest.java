package org.aiscan.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortRangesTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"22;1", "22,8000-8002,11434;5", "-1024;1024", "60000-;5536", "-;65535", "80,80,79-81;3"})
    void countsWhatARunRecords(String text, int count) {
        assertEquals(count, PortRanges.count(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "65536", "ai-default", "T:80", "90-80", "8o", "22,,23"})
    void refusesAnythingElseNamingTheItem(String text) {
        assertThrows(InvalidInputException.class, () -> PortRanges.parse(text));
    }

    @Test
    void writesRunsAsRangesAndReadsThemBack() {
        int[] ports = {22, 8000, 8001, 8002, 11434, 65535};
        String text = PortRanges.format(ports);
        assertEquals("22,8000-8002,11434,65535", text);
        BitSet back = PortRanges.parse(text);
        assertEquals(ports.length, back.cardinality());
        for (int p : ports) {
            assertEquals(true, back.get(p), text);
        }
        assertEquals("", PortRanges.format(new int[0]));
    }

    @Test
    void aBadRangeSaysWhichEndIsWrong() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PortRanges.parse("90-80"));
        assertEquals("bad port range '90-80': 90 is after 80", e.getMessage());
    }
}
