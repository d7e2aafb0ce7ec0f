package org.aiscan.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetParserTest {
    /** A resolver that never touches the network. */
    private static final TargetParser.Resolver FAKE = host -> {
        if (host.equals("gpu-box.lab")) {
            return List.of(InetAddress.getByName("198.18.0.10"), InetAddress.getByName("2001:2::10"),
                    InetAddress.getByName("198.18.0.10"));
        }
        throw new UnknownHostException(host);
    };
    private final TargetParser parser = new TargetParser(FAKE, true);

    @ParameterizedTest
    @CsvSource({
        "198.18.0.10,           198.18.0.10,   198.18.0.10,   1",
        "198.18.0.0/24,         198.18.0.0,    198.18.0.255,  256",
        "198.18.0.77/24,        198.18.0.0,    198.18.0.255,  256",
        "198.18.0.1-20,         198.18.0.1,    198.18.0.20,   20",
        "198.18.0.250-198.18.1.5, 198.18.0.250, 198.18.1.5,   12",
        "2001:2::/120,          2001:2::,      2001:2::ff,    256",
        "2001:2::10,            2001:2::10,    2001:2::10,    1",
        "[2001:2::10],          2001:2::10,    2001:2::10,    1",
        "2001:2::1-2001:2::1:0, 2001:2::1,     2001:2::1:0,   65536",
        "::1,                   ::1,           ::1,           1",
        "198.18.0.0/31,         198.18.0.0,    198.18.0.1,    2",
        "0.0.0.0/0,             0.0.0.0,       255.255.255.255, 4294967296",
    })
    void parsesAddressForms(String spec, String first, String last, String count) {
        List<AddressRange> r = parser.parse(spec);
        assertEquals(1, r.size(), r.toString());
        assertEquals(Address.parse(first), r.get(0).first());
        assertEquals(Address.parse(last), r.get(0).last());
        assertEquals(new BigInteger(count), r.get(0).count());
    }

    @Test
    void ipv6CidrWithHostBitsCoversTheWholePrefix() {
        AddressRange r = parser.parse("2001:2:0:1::abcd/64").get(0);
        assertEquals(Address.parse("2001:2:0:1::"), r.first());
        assertEquals(Address.parse("2001:2:0:1:ffff:ffff:ffff:ffff"), r.last());
        assertEquals(BigInteger.ONE.shiftLeft(64), r.count());
    }

    @Test
    void octetWildcardsBecomeSeveralBlocks() {
        List<AddressRange> r = parser.parse("198.18.1-3.5");
        assertEquals(3, r.size());
        assertEquals(Address.parse("198.18.2.5"), r.get(1).first());
    }

    @Test
    void hostNamesResolveToAllAddressesOnce() {
        List<AddressRange> r = parser.parse("gpu-box.lab");
        assertEquals(2, r.size());
        assertEquals(Address.parse("198.18.0.10"), r.get(0).first());
        assertEquals(Address.parse("2001:2::10"), r.get(1).first());
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.18.0.1/33", "198.18.0.256", "2001:2::/129", "198.18.0.9-198.18.0.1",
        "198.18.0.1-2001:2::1", "bad_host!", "198.18.0.-", "", "unknown.lab", "1.2.3", "01.2.3.4", "10.0.0.0/08x"})
    void rejectsBadTargetsWithOneLine(String spec) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parser.parse(spec));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void hostNamesCanBeForbidden() {
        TargetParser noNames = new TargetParser(FAKE, false);
        assertThrows(InvalidInputException.class, () -> noNames.parse("gpu-box.lab"));
    }

    @Test
    void fileLinesCarryTheirLineNumberInErrors() throws Exception {
        String text = "# lab\n198.18.0.10 198.18.0.11\n\n198.18.0.0/33\n";
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> parser.parseLines(new BufferedReader(new StringReader(text)), "t.txt"));
        assertTrue(e.getMessage().startsWith("t.txt:4: "), e.getMessage());
        List<AddressRange> ok = parser.parseLines(new BufferedReader(new StringReader("198.18.0.10, 198.18.0.11 # two\n")), "t");
        assertEquals(2, ok.size());
    }
}
