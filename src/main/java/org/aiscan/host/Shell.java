package org.aiscan.host;

import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link Collector} runs the host's tools: this machine ({@link LocalShell}) or another one over
 * the system OpenSSH client ({@link SshShell}). Commands run with {@code LC_ALL=C}, stdin from
 * /dev/null, and a timeout each.
 */
public interface Shell {
    /** What one command did; {@code out} and {@code err} are cut at {@link Collector#MAX_BYTES}. */
    record Result(int code, byte[] out, byte[] err, long millis, boolean timedOut) {
    }

    /** The absolute path of {@code tool} in the sbin/bin folders, or null when it is not installed. */
    @Nullable String which(String tool) throws IOException, InterruptedException;

    /** Whether commands run with effective uid 0. */
    boolean isRoot() throws IOException, InterruptedException;

    /** Runs {@code argv} ({@code argv[0]} an absolute path). An {@link IOException} means the host itself is lost. */
    Result exec(List<String> argv, long timeoutMillis) throws IOException, InterruptedException;

    /** The first {@code max + 1} bytes of a file, or null when it does not exist; an {@link IOException} when it cannot be read. */
    byte @Nullable [] read(String path, int max) throws IOException, InterruptedException;

    /** The folders {@link #which} searches, in order. */
    List<String> PATH = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin");
}
