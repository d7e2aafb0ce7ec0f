package org.aiscan.target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.home.AiscanHome;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.Utf8;
import org.jspecify.annotations.Nullable;

/**
 * Address ranges that are never probed, each with the reason it is excluded. The shipped
 * {@code scanner/exclude.conf} holds reserved, documentation and multicast ranges (one CIDR per
 * line, the reason after {@code #}); loopback and 198.18.0.0/15 are deliberately not in it.
 */
public final class ExclusionList {
    /** One excluded range and why. */
    public record Entry(AddressRange range, String reason) {
    }

    public static final String DEFAULT_FILE = "scanner/exclude.conf";

    private final List<Entry> entries;

    private ExclusionList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ExclusionList empty() {
        return new ExclusionList(List.of());
    }

    /** A list of these entries (checked elsewhere: this host's own addresses, say). */
    public static ExclusionList of(List<Entry> entries) {
        return new ExclusionList(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    public ExclusionList plus(ExclusionList other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new ExclusionList(all);
    }

    private static @Nullable ExclusionList cachedDefaults;

    /** The shipped default list (read once per process). */
    public static synchronized ExclusionList defaults() {
        if (cachedDefaults == null) {
            try (InputStream in = AiscanHome.open(DEFAULT_FILE)) {
                cachedDefaults = read(in, AiscanHome.describe(DEFAULT_FILE));
            } catch (IOException e) {
                throw new InvalidInputException("cannot read the default exclusions " + DEFAULT_FILE + ": " + e.getMessage(), e);
            }
        }
        return cachedDefaults;
    }

    /** Entries from {@code --exclude} values (comma-separated specs). */
    public static ExclusionList fromSpecs(List<String> specs) {
        TargetParser p = new TargetParser(TargetParser.SYSTEM, false);
        List<Entry> out = new ArrayList<>();
        for (String s : specs) {
            for (String tok : s.split(",")) {
                if (tok.isBlank()) {
                    continue;
                }
                for (AddressRange r : p.parse(tok.trim())) {
                    out.add(new Entry(r, "--exclude " + tok.trim()));
                }
            }
        }
        return new ExclusionList(out);
    }

    /** Entries from an exclusion file in the exclude.conf format. */
    public static ExclusionList fromFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("exclusion file '" + file + "' does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read exclusion file '" + file + "': " + e.getMessage(), e);
        }
    }

    static ExclusionList read(InputStream in, String label) throws IOException {
        TargetParser p = new TargetParser(TargetParser.SYSTEM, false);
        List<Entry> out = new ArrayList<>();
        BufferedReader r = Utf8.reader(in, label);
        DataLines.read(r, label, (n, body, reason) -> {
            for (AddressRange range : p.parse(body)) {
                out.add(new Entry(range, (reason.isEmpty() ? "" : reason + " ") + "[" + label + ":" + n + "]"));
            }
        });
        return new ExclusionList(out);
    }
}
