package org.aiscan.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aiscan.console.Console;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.aiscan.probe.HostAddresses;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.TargetParser;
import org.aiscan.target.TargetSet;

/** The scan's addresses: the targets as given, resolved and read, minus the exclusions. */
final class ScanTargets {
    /** Scans larger than this many addresses (a /8) need --allow-large. */
    static final long LARGE = 1L << 24;

    private ScanTargets() {
    }

    /** The addresses to probe; none left, or more than a /8 without --allow-large, is a usage error. */
    static TargetSet build(ScanConfig.Targets t) {
        if (t.specs().isEmpty() && t.inputFiles().isEmpty()) {
            throw new InvalidInputException("no targets; give addresses, CIDR blocks, ranges or host names, or -iL FILE");
        }
        TargetParser parser = new TargetParser(TargetParser.SYSTEM, true);
        List<AddressRange> ranges = new ArrayList<>();
        for (String s : t.specs()) {
            ranges.addAll(parser.parse(s));
        }
        for (String f : t.inputFiles()) {
            ranges.addAll(parser.parseFile(f, System.in));
        }
        ExclusionList excl = t.defaultExcludes() ? ExclusionList.defaults() : ExclusionList.empty();
        excl = excl.plus(ExclusionList.fromSpecs(t.excludes()));
        for (Path p : t.excludeFiles()) {
            excl = excl.plus(ExclusionList.fromFile(p));
        }
        if (t.excludeSelf()) {
            excl = excl.plus(self());
        }
        TargetSet set = TargetSet.build(ranges, excl);
        if (set.isEmpty()) {
            StringBuilder why = new StringBuilder("nothing to scan: every target address is excluded");
            if (!set.exclusionHits().isEmpty()) {
                TargetSet.ExclusionHit h = set.exclusionHits().get(0);
                why.append(": ").append(h.entry().range().source()).append(" is ").append(h.entry().reason());
                if (t.defaultExcludes() && h.entry().reason().contains(ExclusionList.DEFAULT_FILE)) {
                    why.append("; --no-default-excludes lifts the shipped list");
                }
            }
            throw new InvalidInputException(why.toString());
        }
        if (set.size() > LARGE && !t.allowLarge()) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "the targets hold %,d addresses, more than a /8 (%,d); pass --allow-large to confirm", set.size(), LARGE));
        }
        return set;
    }

    /** This host's own addresses and loopback, for --exclude-self. */
    private static ExclusionList self() {
        List<ExclusionList.Entry> self = new ArrayList<>();
        for (AddressRange r : HostAddresses.loopback()) {
            self.add(new ExclusionList.Entry(r, "loopback (--exclude-self)"));
        }
        for (Address a : HostAddresses.interfaceAddresses()) {
            if (!a.isLoopback()) {
                self.add(new ExclusionList.Entry(new AddressRange(a, a, a.toString()), "this host's own address (--exclude-self)"));
            }
        }
        return ExclusionList.of(self);
    }

    /** One line per exclusion that removed addresses. */
    static void reportExclusions(TargetSet set, Console console) {
        for (TargetSet.ExclusionHit h : set.exclusionHits()) {
            console.say(String.format(Locale.ROOT, "excluded %,d address%s: %s is %s", h.removed(),
                    h.removed().intValue() == 1 ? "" : "es", h.entry().range().source(), h.entry().reason()));
        }
    }

    /**
     * The local address the kernel would send from, per family, for the first target of each
     * family: a connected UDP socket asks the routing table and sends nothing.
     */
    static List<String> sourceAddressFor(TargetSet set) {
        List<String> out = new ArrayList<>();
        boolean v4 = false;
        boolean v6 = false;
        for (AddressRange r : set.ranges()) {
            if (r.isV6() ? v6 : v4) {
                continue;
            }
            if (r.isV6()) {
                v6 = true;
            } else {
                v4 = true;
            }
            try (DatagramSocket s = new DatagramSocket()) {
                s.connect(new InetSocketAddress(r.first().toInetAddress(), 9));
                InetAddress local = s.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) {
                    out.add(Address.of(local).toString());
                }
            } catch (IOException | RuntimeException e) {
                // no route: nothing to record for this family
            }
        }
        return out;
    }
}
