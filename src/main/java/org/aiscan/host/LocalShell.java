package org.aiscan.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** This machine: tools started as child processes, files read directly. */
public final class LocalShell implements Shell {
    @Override
    public @Nullable String which(String tool) {
        for (String dir : PATH) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @Override
    public boolean isRoot() {
        return Collector.isRoot();
    }

    @Override
    public Result exec(List<String> argv, long timeoutMillis) throws IOException, InterruptedException {
        return run(new ProcessBuilder(argv), timeoutMillis);
    }

    /** Starts {@code pb} with the C locale and no stdin, reads both streams, waits at most {@code timeoutMillis}. */
    static Result run(ProcessBuilder pb, long timeoutMillis) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Map<String, String> env = pb.environment();
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        boolean done = p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroyForcibly();
            p.waitFor(2, TimeUnit.SECONDS);
        }
        long millis = (System.nanoTime() - start) / 1_000_000L;
        return new Result(done ? p.exitValue() : -1, bytes(out), bytes(err), millis, !done);
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                byte[] b = in.readNBytes(Collector.MAX_BYTES);
                in.transferTo(java.io.OutputStream.nullOutputStream()); // drain the rest so the child never blocks
                return b;
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    private static byte[] bytes(CompletableFuture<byte[]> f) {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new byte[0];
        }
    }

    @Override
    public byte @Nullable [] read(String path, int max) throws IOException {
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(max + 1);
        }
    }
}
