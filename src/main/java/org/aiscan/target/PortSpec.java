package org.aiscan.target;

import java.util.BitSet;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortRanges;
import org.jspecify.annotations.Nullable;

/**
 * Parses port lists in nmap syntax plus named groups: {@code 22,80,8000-8100}, {@code -} (all),
 * {@code -1024}, {@code 60000-}, {@code T:80} and {@code ai-default,22}.
 */
public final class PortSpec {
    /** The group used when no {@code -p} is given. */
    public static final String DEFAULT_GROUP = "ai-default";

    private PortSpec() {
    }

    public static PortList parse(@Nullable String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidInputException("empty port list; use e.g. -p 22,8000-8100 or -p " + DEFAULT_GROUP);
        }
        BitSet set = new BitSet(65536);
        for (String raw : spec.split(",", -1)) {
            parseItem(raw.trim(), set, true);
        }
        if (set.isEmpty()) {
            throw new InvalidInputException("port list '" + spec + "' selects no ports");
        }
        return PortList.of(set);
    }

    static void parseItem(String item, BitSet into, boolean groupsAllowed) {
        String it = item;
        if (it.isEmpty()) {
            throw new InvalidInputException("empty item in port list (two commas in a row?)");
        }
        if (it.startsWith("T:") || it.startsWith("t:")) {
            it = it.substring(2);
        } else if (it.length() > 1 && it.charAt(1) == ':' && "UuSsPp".indexOf(it.charAt(0)) >= 0) {
            throw new InvalidInputException("'" + item + "': aiscan scans TCP only; drop the " + it.charAt(0) + ": prefix");
        }
        if (!it.isEmpty() && Character.isLetter(it.charAt(0))) {
            if (!groupsAllowed) {
                throw new InvalidInputException("'" + item + "' is not a port or range (groups cannot include groups)");
            }
            if (!PortGroups.isGroupName(it)) {
                throw new InvalidInputException("bad port group name '" + item + "'");
            }
            PortGroups.load(it, into);
            return;
        }
        PortRanges.add(it, item, into);
    }
}
