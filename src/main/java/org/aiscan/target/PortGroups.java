package org.aiscan.target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Pattern;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.InvalidInputException;

/**
 * Named port groups, one file per group: {@code scanner/ports/<name>.txt}, one port or range per
 * line, {@code #} starts a comment naming who uses the port.
 */
public final class PortGroups {
    static final String FOLDER = "scanner/ports";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private PortGroups() {
    }

    public static boolean isGroupName(String s) {
        return NAME.matcher(s).matches();
    }

    /** The names of all available groups. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (String f : AiscanHome.list(FOLDER)) {
            if (f.endsWith(".txt")) {
                out.add(f.substring(0, f.length() - 4));
            }
        }
        return out;
    }

    /** Loads a group into {@code into}; unknown names fail with the list of known ones. */
    public static void load(String name, BitSet into) {
        String rel = FOLDER + "/" + name + ".txt";
        if (!AiscanHome.exists(rel)) {
            throw new InvalidInputException("unknown port group '" + name + "'; available: " + String.join(", ", names()));
        }
        try (InputStream in = AiscanHome.open(rel);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            DataLines.read(r, AiscanHome.describe(rel), (n, body, comment) -> PortSpec.parseItem(body, into, false));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read port group " + AiscanHome.describe(rel) + ": " + e.getMessage(), e);
        }
    }
}
