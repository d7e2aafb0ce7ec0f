package org.aiscan.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.Utf8;

/**
 * Writes a file so that readers never see half of it: a temporary file in the same folder, then a
 * rename (what the Prometheus textfile collector and schedulers reading reports rely on).
 */
public final class AtomicFile {
    /** The body of a write. */
    @FunctionalInterface
    public interface Body {
        void write(Writer w) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException("cannot write " + file + ": folder " + dir + " does not exist");
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (Writer w = Utf8.writer(tmp)) {
                body.write(w);
            }
            tmp.toFile().setReadable(true, false);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
