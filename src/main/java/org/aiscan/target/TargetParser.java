package org.aiscan.target;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.Utf8;
import org.jspecify.annotations.Nullable;

/**
 * Turns target text into address ranges. Accepted forms: an address ({@code 10.0.0.1},
 * {@code 2001:db8::1}), CIDR ({@code 10.0.0.0/24}, host bits ignored as nmap does), octet ranges and
 * wildcards ({@code 10.0.0.1-20}, {@code 10.0.1-3.*}), full ranges ({@code 10.0.0.1-10.0.1.5}) and host
 * names, which are resolved once to all their addresses.
 */
public final class TargetParser {
    /** Resolves a host name to all of its addresses. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** The system resolver (/etc/hosts, then DNS). */
    public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern NUMERIC_TAIL = Pattern.compile(".*\\.[0-9*-]+\\.?$|^[0-9*-]+$");

    /** The IPAddress library's strict parameters, made on first use: its classes cost start-up time a plain CIDR never needs. */
    private static final class Strict {
        static final IPAddressStringParameters PARAMS = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowSingleSegment(false)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowAll(false)
                .allow_inet_aton(false)
                .getIPv4AddressParametersBuilder().allowLeadingZeros(false).allowBinary(false).getParentBuilder()
                .toParams();

        private Strict() {
        }
    }

    private final Resolver resolver;
    private final boolean hostNamesAllowed;

    public TargetParser(Resolver resolver, boolean hostNamesAllowed) {
        this.resolver = resolver;
        this.hostNamesAllowed = hostNamesAllowed;
    }

    /** Parses one target spec into one or more ranges. */
    public List<AddressRange> parse(String spec) {
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new InvalidInputException("empty target");
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.startsWith("-") || s.endsWith("-") || s.contains(".-") || s.contains("-.")) {
            throw new InvalidInputException("bad target '" + spec + "': a range needs a number on both sides of '-'");
        }
        // "A-B" with two complete addresses: an arbitrary range (nmap's octet ranges are handled below).
        int dash = s.indexOf('-');
        if (dash > 0 && s.indexOf('/') < 0) {
            String a = s.substring(0, dash);
            String b = s.substring(dash + 1);
            if (isFullAddress(a) && isFullAddress(b)) {
                Address x = Address.parse(a);
                Address y = Address.parse(b);
                if (x.isV6() != y.isV6()) {
                    throw new InvalidInputException("bad target '" + spec + "': a range cannot mix IPv4 and IPv6");
                }
                if (x.compareTo(y) > 0) {
                    throw new InvalidInputException("bad target '" + spec + "': " + a + " is after " + b);
                }
                return List.of(new AddressRange(x, y, s));
            }
        }
        if (looksLikeAddress(s)) {
            return parseAddressSyntax(s, spec);
        }
        if (!HOSTNAME.matcher(s).matches()) {
            throw new InvalidInputException("bad target '" + spec + "': not an address, CIDR, range or host name");
        }
        if (!hostNamesAllowed) {
            throw new InvalidInputException("bad entry '" + spec + "': only addresses, CIDR blocks and ranges are allowed here");
        }
        List<InetAddress> found;
        try {
            found = resolver.resolve(s);
        } catch (UnknownHostException e) {
            throw new InvalidInputException("cannot resolve host '" + s + "'; check the name or give an address");
        }
        Set<Address> unique = new LinkedHashSet<>();
        for (InetAddress ia : found) {
            unique.add(Address.of(ia));
        }
        if (unique.isEmpty()) {
            throw new InvalidInputException("host '" + s + "' resolved to no address");
        }
        List<AddressRange> out = new ArrayList<>();
        for (Address a : unique) {
            out.add(new AddressRange(a, a, s + " (" + a + ")"));
        }
        return out;
    }

    /** Reads targets from a file ({@code -} for stdin): one or more per line, {@code #} comments. */
    public List<AddressRange> parseFile(String name, InputStream stdin) {
        try (BufferedReader r = name.equals("-") ? Utf8.reader(stdin, "-iL -") : Utf8.reader(Path.of(name), "-iL " + name)) {
            return parseLines(r, name.equals("-") ? "stdin" : name);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("target file '" + name + "' does not exist");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InvalidInputException("target file '" + name + "': permission denied");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read target file '" + name + "': " + e.getMessage(), e);
        }
    }

    List<AddressRange> parseLines(BufferedReader r, String label) throws IOException {
        List<AddressRange> out = new ArrayList<>();
        DataLines.read(r, label, (n, body, comment) -> {
            for (String tok : body.split("[\\s,]+")) {
                out.addAll(parse(tok));
            }
        });
        return out;
    }

    private List<AddressRange> parseAddressSyntax(String s, String spec) {
        AddressRange simple = simpleCidr(s);
        if (simple != null) {
            return List.of(simple);
        }
        IPAddressString ias = new IPAddressString(s, Strict.PARAMS);
        IPAddress addr;
        try {
            addr = ias.toAddress();
        } catch (AddressStringException e) {
            throw new InvalidInputException("bad target '" + spec + "': " + clean(e.getMessage()));
        }
        if (addr.isPrefixed()) {
            addr = addr.toPrefixBlock();
        }
        List<AddressRange> out = new ArrayList<>();
        if (addr.isSequential()) {
            out.add(toRange(addr.toSequentialRange(), s));
        } else {
            for (IPAddress block : addr.spanWithSequentialBlocks()) {
                out.add(toRange(block.toSequentialRange(), s));
            }
        }
        return out;
    }

    private static final Pattern PLAIN_V4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}(/(0|[1-9][0-9]?))?");

    /**
     * The common forms — a dotted quad or a compressed IPv6 literal, optionally with /prefix — without
     * the IPAddress library (which costs start-up time); null for anything else, which the library
     * then parses and explains.
     */
    static @Nullable AddressRange simpleCidr(String s) {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        boolean v6 = addr.indexOf(':') >= 0;
        if (!v6 && !PLAIN_V4.matcher(s).matches()) {
            return null;
        }
        if (v6 && (!addr.matches("[0-9A-Fa-f:]+") || (slash >= 0 && !s.substring(slash + 1).matches("0|[1-9][0-9]{0,2}")))) {
            return null;
        }
        Address a;
        try {
            a = Address.parse(addr);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (v6 && !a.isV6()) {
            // the JDK folds an IPv4-mapped literal (::ffff:0:0) to IPv4; as a block it is IPv6
            a = Address.v6(0, 0x0000_FFFF_0000_0000L | a.lo());
        }
        if (a.isV6() != v6) {
            return null;
        }
        int max = v6 ? 128 : 32;
        int prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        if (prefix > max) {
            return null; // let the library explain
        }
        Cidr block = new Cidr(a, prefix);
        return new AddressRange(block.first(), block.last(), s);
    }

    private static AddressRange toRange(IPAddressSeqRange r, String source) {
        return new AddressRange(Address.of(r.getLower().getBytes()), Address.of(r.getUpper().getBytes()), source);
    }

    private static boolean isFullAddress(String s) {
        try {
            Address.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean looksLikeAddress(String s) {
        return s.indexOf(':') >= 0 || s.indexOf('/') >= 0 || NUMERIC_TAIL.matcher(s).matches();
    }

    private static String clean(@Nullable String m) {
        if (m == null) {
            return "invalid address";
        }
        // IPAddress messages look like "<text> IP Address error: <reason>"; keep the reason.
        int at = m.indexOf("error:");
        String t = at >= 0 ? m.substring(at + "error:".length()) : m;
        t = t.replaceAll("\\s+", " ").trim();
        return t.isEmpty() ? "invalid address" : Character.toLowerCase(t.charAt(0)) + t.substring(1);
    }
}
