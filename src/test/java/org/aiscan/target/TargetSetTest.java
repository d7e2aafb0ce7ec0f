package org.aiscan.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.Address;
import org.junit.jupiter.api.Test;

class TargetSetTest {
    private final TargetParser parser = new TargetParser(h -> List.of(), false);

    private List<AddressRange> parse(String... specs) {
        List<AddressRange> all = new ArrayList<>();
        for (String s : specs) {
            all.addAll(parser.parse(s));
        }
        return all;
    }

    @Test
    void overlappingTargetsAreMergedSoNothingIsProbedTwice() {
        TargetSet t = TargetSet.build(parse("198.18.0.0/24", "198.18.0.100-198.18.1.10", "198.18.0.5"), ExclusionList.empty());
        assertEquals(256 + 11, t.size());
        assertEquals(1, t.ranges().size());
    }

    @Test
    void exclusionsAreHonouredAndCounted() {
        ExclusionList ex = ExclusionList.fromSpecs(List.of("198.18.0.128/25,198.18.0.7", "2001:2::/126"));
        TargetSet t = TargetSet.build(parse("198.18.0.0/24", "2001:2::/124"), ex);
        assertEquals(128 - 1 + 16 - 4, t.size());
        for (long i = 0; i < t.size(); i++) {
            Address a = t.get(i);
            assertFalse(a.equals(Address.parse("198.18.0.7")));
            assertFalse(!a.isV6() && (a.lo() & 0xFF) >= 128, "excluded address returned: " + a);
            assertFalse(a.isV6() && a.lo() < 4, "excluded address returned: " + a);
        }
        assertEquals(3, t.exclusionHits().size());
        assertEquals(128, t.exclusionHits().get(0).removed().intValue());
    }

    @Test
    void indexWalksRangesInOrderIpv4First() {
        TargetSet t = TargetSet.build(parse("2001:2::fffe/127", "198.18.0.254-198.18.1.1"), ExclusionList.empty());
        List<String> all = new ArrayList<>();
        for (long i = 0; i < t.size(); i++) {
            all.add(t.get(i).toString());
        }
        assertEquals(List.of("198.18.0.254", "198.18.0.255", "198.18.1.0", "198.18.1.1", "2001:2::fffe", "2001:2::ffff"), all);
    }

    @Test
    void shippedExclusionsKeepLabRangesButDropDocumentationAndMulticast() throws Exception {
        ExclusionList defaults = ExclusionList.read(new ByteArrayInputStream(
                java.nio.file.Files.readAllBytes(java.nio.file.Path.of("scanner/exclude.conf"))), "exclude.conf");
        TargetSet lab = TargetSet.build(parse("127.0.0.0/8", "198.18.0.0/15", "10.0.0.0/8", "::1"), defaults);
        assertEquals((1L << 24) * 2 + (1 << 17) + 1, lab.size());
        TargetSet doc = TargetSet.build(parse("203.0.113.0/24", "192.0.2.1", "224.0.0.1", "2001:db8::1", "ff02::1"), defaults);
        assertTrue(doc.isEmpty());
    }

    @Test
    void exclusionFileFormatKeepsReasons() throws Exception {
        String text = "# comment\n198.18.9.0/24   # lab sink\n\n";
        ExclusionList l = ExclusionList.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x.conf");
        assertEquals(1, l.entries().size());
        assertEquals("lab sink [x.conf:2]", l.entries().get(0).reason());
    }
}
