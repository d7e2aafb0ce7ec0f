package org.aiscan.remediate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.Utf8;

/** Writes bundles as {@code DIR/<host>/<file>}, each file atomically; scripts are executable. */
public final class BundleWriter {
    private BundleWriter() {
    }

    /** The folder a host's bundle goes to: its name with anything but letters, digits, '.', '_' and '-' replaced. */
    public static Path folder(Path dir, String host) {
        String name = host.replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve(name.isEmpty() || name.startsWith(".") ? "_" + name : name);
    }

    public static List<Path> write(Path dir, List<Bundle> bundles) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("--remediation " + dir + ": exists and is not a folder");
        }
        List<Path> written = new ArrayList<>();
        for (Bundle b : bundles) {
            Path base = folder(dir, b.host());
            for (Map.Entry<String, String> f : b.files().entrySet()) {
                Path target = base.resolve(f.getKey()).normalize();
                if (!target.startsWith(base)) {
                    throw new IllegalStateException("bundle file outside its folder: " + f.getKey());
                }
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
                try {
                    Utf8.write(tmp, f.getValue());
                    tmp.toFile().setReadable(true, false);
                    if (f.getKey().endsWith(".sh")) {
                        tmp.toFile().setExecutable(true, false);
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                written.add(target);
            }
        }
        return written;
    }
}
