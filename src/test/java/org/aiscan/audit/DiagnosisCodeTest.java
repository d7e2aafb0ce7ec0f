package org.aiscan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.aiscan.model.DiagnosisCode;
import org.junit.jupiter.api.Test;

/** The diagnosis codes of the code ({@link DiagnosisCode}) and of the data (the policy file) are the same, both ways. */
class DiagnosisCodeTest {
    @Test
    void thePolicyFileHoldsExactlyTheEnumsCodes() throws Exception {
        JsonNode codes = new YAMLMapper().readTree(Path.of(AuditPolicy.FILE).toFile()).path("codes");
        List<String> inFile = new ArrayList<>();
        codes.fieldNames().forEachRemaining(inFile::add);
        List<String> inEnum = Arrays.stream(DiagnosisCode.values()).map(DiagnosisCode::name).toList();
        for (String c : inFile) {
            assertNotNull(DiagnosisCode.of(c), AuditPolicy.FILE + " has code " + c + " that DiagnosisCode lacks");
        }
        for (String c : inEnum) {
            assertNotNull(codes.get(c), "DiagnosisCode." + c + " is not in " + AuditPolicy.FILE);
        }
        assertEquals(new TreeSet<>(inEnum), new TreeSet<>(inFile));
        assertEquals(inEnum, AuditPolicy.CODES, "the policy loader checks the enum's codes");
        assertNull(DiagnosisCode.of("firewall_inactive"), "codes are written in upper case only");
    }
}
