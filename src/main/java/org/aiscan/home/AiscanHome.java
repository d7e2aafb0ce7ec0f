package org.aiscan.home;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Resolves a data file such as {@code scanner/ports/ai-default.txt}: first under the home folder
 * (the launcher sets {@code -Daiscan.home} to the checkout), then inside the jar under
 * {@code /aiscan-data/}.
 */
public final class AiscanHome {
    private static final String JAR_PREFIX = "aiscan-data/";

    private AiscanHome() {
    }

    /** The home folder, if one is configured and exists. */
    public static Optional<Path> home() {
        String h = System.getProperty("aiscan.home");
        if (h == null || h.isBlank()) {
            h = System.getenv("AISCAN_HOME");
        }
        if (h == null || h.isBlank()) {
            return Optional.empty();
        }
        Path p = Paths.get(h);
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }

    /** The file on disk for a home-relative path, if it exists there. */
    public static Optional<Path> file(String relative) {
        return home().map(h -> h.resolve(relative)).filter(Files::isRegularFile);
    }

    /** Whether the data file exists on disk or in the jar. */
    public static boolean exists(String relative) {
        return file(relative).isPresent() || AiscanHome.class.getClassLoader().getResource(JAR_PREFIX + relative) != null;
    }

    /** Opens a data file, disk first, then the packaged copy. */
    public static InputStream open(String relative) throws IOException {
        Optional<Path> f = file(relative);
        if (f.isPresent()) {
            return Files.newInputStream(f.get());
        }
        InputStream in = AiscanHome.class.getClassLoader().getResourceAsStream(JAR_PREFIX + relative);
        if (in == null) {
            throw new IOException("data file not found: " + relative);
        }
        return in;
    }

    /** A short description of where a data file is read from, for messages. */
    public static String describe(String relative) {
        return file(relative).map(Path::toString).orElse(relative + " (packaged)");
    }

    /** Names of the files directly inside a data folder, from disk and from the jar. */
    public static List<String> list(String folder) {
        TreeSet<String> names = new TreeSet<>();
        home().map(h -> h.resolve(folder)).filter(Files::isDirectory).ifPresent(dir -> {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        names.addAll(listPackaged(folder));
        return new ArrayList<>(names);
    }

    private static List<String> listPackaged(String folder) {
        List<String> out = new ArrayList<>();
        String prefix = JAR_PREFIX + (folder.endsWith("/") ? folder : folder + "/");
        try {
            Path code = Paths.get(AiscanHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(code)) {
                Path dir = code.resolve(prefix);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> s = Files.list(dir)) {
                        s.filter(Files::isRegularFile).forEach(p -> out.add(p.getFileName().toString()));
                    }
                }
            } else if (Files.isRegularFile(code)) {
                try (JarFile jar = new JarFile(code.toFile())) {
                    for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                        String n = en.nextElement().getName();
                        if (n.startsWith(prefix) && n.length() > prefix.length() && n.indexOf('/', prefix.length()) < 0) {
                            out.add(n.substring(prefix.length()));
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | SecurityException e) {
            // Listing is a convenience for messages; an unreadable code source just lists nothing.
        }
        return out;
    }
}
