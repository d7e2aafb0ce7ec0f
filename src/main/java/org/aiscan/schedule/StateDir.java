package org.aiscan.schedule;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.aiscan.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The state folder of a scheduled scan:
 * <pre>
 *   DIR/lock                    held (flock) by the run in progress; the kernel drops it when that process dies
 *   DIR/runs/RUNID/scan.jsonl   one run's results, streamed
 *   DIR/runs/RUNID/checkpoint.json   how far an unfinished run got (resume)
 *   DIR/last                    symlink to the last finished run
 *   DIR/aiscan.prom             counts for node_exporter's textfile collector
 * </pre>
 * Only one run at a time holds the lock; a second one is refused with who holds it.
 */
public final class StateDir implements AutoCloseable {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDir(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * {@code /var/lib/aiscan} for root, else {@code $XDG_STATE_HOME/aiscan} or {@code ~/.local/state/aiscan}.
     *
     * @param xdg the value of {@code XDG_STATE_HOME} (null when unset; a relative one is ignored, as the
     *     XDG specification says)
     */
    public static Path defaultDir(boolean root, @Nullable String xdg) {
        if (root) {
            return Path.of("/var/lib/aiscan");
        }
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "aiscan");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "aiscan");
    }

    /**
     * Opens (creating it) and locks the state folder.
     *
     * @throws StateBusyException when another run holds it
     */
    public static StateDir open(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.resolve("runs"));
        } catch (IOException e) {
            throw new InvalidInputException("--state-dir " + dir + ": cannot create it (" + e.getMessage() + ")");
        }
        Path lockFile = dir.resolve("lock");
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String holder = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            ch.close();
            throw new StateBusyException("another aiscan run holds " + lockFile + (holder.isEmpty() ? "" : " (" + holder + ")")
                    + "; wait for it to finish or stop it");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", started " + Instant.now()).getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new StateDir(dir, ch, l);
    }

    public Path dir() {
        return dir;
    }

    /** A new run folder named after the time. */
    public Path newRun(Instant started) throws IOException {
        String id = RUN_ID.format(started);
        Path p = dir.resolve("runs").resolve(id);
        for (int i = 2; Files.exists(p); i++) {
            p = dir.resolve("runs").resolve(id + "-" + i);
        }
        Files.createDirectories(p);
        return p;
    }

    /** Run folders, oldest first. */
    public List<Path> runs() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            return s.filter(Files::isDirectory).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    /** The newest run that stopped before its end and left a checkpoint. */
    public Optional<Path> resumable() throws IOException {
        List<Path> rs = new ArrayList<>(runs());
        java.util.Collections.reverse(rs);
        for (Path r : rs) {
            if (Files.exists(r.resolve(Checkpoint.FILE)) && !Files.exists(r.resolve("complete"))) {
                return Optional.of(r);
            }
            if (Files.exists(r.resolve("complete"))) {
                return Optional.empty(); // a later run finished: nothing to resume
            }
        }
        return Optional.empty();
    }

    /** The last finished run, if any. */
    public Optional<Path> last() throws IOException {
        Path link = dir.resolve("last");
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path target = dir.resolve(Files.readSymbolicLink(link)).normalize();
        return Files.isDirectory(target) ? Optional.of(target) : Optional.empty();
    }

    /** Marks a run finished and points {@code last} at it (a new symlink renamed over the old one). */
    public void finished(Path run) throws IOException {
        Files.writeString(run.resolve("complete"), Instant.now() + "\n");
        Path tmp = dir.resolve(".last.tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, dir.relativize(run));
        Files.move(tmp, dir.resolve("last"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the oldest finished runs beyond {@code keep} (never the last one, never an unfinished one). */
    public List<Path> prune(int keep) throws IOException {
        List<Path> done = runs().stream().filter(r -> Files.exists(r.resolve("complete"))).toList();
        List<Path> removed = new ArrayList<>();
        Optional<Path> last = last();
        for (int i = 0; i < done.size() - keep; i++) {
            Path r = done.get(i);
            if (last.isPresent() && last.get().equals(r)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(r)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            removed.add(r);
        }
        return removed;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
