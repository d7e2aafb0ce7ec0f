package org.aiscan.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network-namespace lab of {@code test-fixtures/lab}, driven from tests: {@link #up()} builds it
 * (replacing any previous one), {@link #close()} removes it, {@link #truth()} reads the ground truth
 * from inside the namespaces.
 */
public final class Lab implements AutoCloseable {
    public static final Path ROOT = Path.of(System.getProperty("aiscan.home", ".")).toAbsolutePath();
    public static final Path SCRIPT = ROOT.resolve("test-fixtures/lab/lab.sh");

    private Lab() {
    }

    /** Builds the lab; skips the test (with the reason) when this machine cannot. */
    public static Lab up() throws IOException, InterruptedException {
        assumeTrue(isRoot(), "the namespace lab needs root");
        Run r = run(List.of(SCRIPT.toString(), "up"), 120);
        if (r.code() != 0) {
            run(List.of(SCRIPT.toString(), "down"), 60);
            throw new IllegalStateException("lab.sh up failed (" + r.code() + "): " + r.err());
        }
        return new Lab();
    }

    public Truth truth() throws IOException, InterruptedException {
        Run r = run(List.of(SCRIPT.toString(), "truth"), 60);
        if (r.code() != 0) {
            throw new IllegalStateException("lab.sh truth failed: " + r.err());
        }
        return Truth.parse(r.out());
    }

    /** Every request the lab's listeners received since it came up ({@code lab.sh requests}). */
    public String requests() throws IOException, InterruptedException {
        return run(List.of(SCRIPT.toString(), "requests"), 30).out();
    }

    /** Runs a command inside one of the lab's namespaces ({@code h10}, {@code gw}, …). */
    public Run exec(String ns, String... cmd) throws IOException, InterruptedException {
        List<String> full = new java.util.ArrayList<>(List.of("ip", "netns", "exec", "aisl-" + ns));
        full.addAll(List.of(cmd));
        return run(full, 60);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of(SCRIPT.toString(), "down"), 60);
    }

    /**
     * The launcher as an unprivileged user (uid 65534) can run it: this checkout's, or, when that user
     * cannot read the checkout (a clone under /root), a world-readable copy of the launcher and the jar
     * in a fresh folder under /tmp (the jar carries the data files).
     */
    public static Path launcherForNobody() throws IOException, InterruptedException {
        Path launcher = ROOT.resolve("scanner/aiscan");
        Path jar = ROOT.resolve("target/aiscan.jar");
        Run probe = run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", jar.toString()), 30);
        if (probe.code() == 0) {
            return launcher;
        }
        Path dir = Files.createTempDirectory("aiscan-nobody");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a few hundred kilobytes under /tmp
            }
        }));
        Files.createDirectories(dir.resolve("scanner"));
        Files.createDirectories(dir.resolve("target"));
        Files.copy(launcher, dir.resolve("scanner/aiscan"));
        Files.copy(jar, dir.resolve("target/aiscan.jar"));
        Files.createDirectories(dir.resolve("target/lib"));
        try (java.util.stream.Stream<Path> libs = Files.list(ROOT.resolve("target/lib"))) { // the jar's Class-Path
            for (Path l : libs.toList()) {
                Files.copy(l, dir.resolve("target/lib").resolve(l.getFileName()));
            }
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                p.toFile().setReadable(true, false);
                p.toFile().setExecutable(true, false);
            }
        }
        return dir.resolve("scanner/aiscan");
    }

    public static boolean isRoot() {
        try {
            return "0".equals(Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("Uid:")).findFirst().map(l -> l.split("\\s+")[1]).orElse(""));
        } catch (IOException e) {
            return false;
        }
    }

    /** A finished process. */
    public record Run(int code, String out, String err) {
    }

    public static Run run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("aiscan-run", ".out");
        Path err = Files.createTempFile("aiscan-run", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A condition a test waits for. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code c} every 20 ms until it holds; fails the test naming {@code what} after {@code seconds}. */
    public static void await(String what, int seconds, Condition c) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + " s for " + what);
            }
            Thread.sleep(20);
        }
    }
}
