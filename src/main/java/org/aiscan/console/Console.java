package org.aiscan.console;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;
import org.jspecify.annotations.Nullable;

/**
 * Messages and progress on stderr. On a terminal the progress is a status line at the bottom that
 * messages scroll above; elsewhere it is a plain line every {@link #PLAIN_INTERVAL_SECONDS} seconds.
 */
public final class Console implements AutoCloseable {
    static final int PLAIN_INTERVAL_SECONDS = 10;

    private final PrintStream err;
    private final boolean quiet;
    private final @Nullable Terminal terminal; // null unless stderr is a terminal
    private @Nullable Status status;
    private boolean carriageReturnLine; // a terminal without a known size: redraw one line with \r
    private @Nullable ScheduledExecutorService ticker;
    private @Nullable Supplier<String> progress;

    private Console(PrintStream err, boolean quiet, @Nullable Terminal terminal) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = terminal;
    }

    /** A console on the process's stderr; uses JLine only when stderr is a terminal. */
    public static Console system(boolean quiet) {
        Terminal t = null;
        if (!quiet && System.getenv("AISCAN_NO_TTY") == null && stderrMayBeTerminal()) {
            try {
                Terminal candidate = TerminalBuilder.builder()
                        .system(true)
                        .systemOutput(TerminalBuilder.SystemOutput.SysErr)
                        .dumb(true)
                        .build();
                if (candidate.getType() != null && candidate.getType().startsWith("dumb")) {
                    candidate.close();
                } else {
                    t = candidate;
                }
            } catch (IOException | RuntimeException e) {
                t = null; // no usable terminal: plain lines
            }
        }
        return new Console(System.err, quiet, t);
    }

    /**
     * A cheap check before paying for JLine's terminal set-up: on Linux, stderr is a terminal only
     * if file descriptor 2 points at a tty or pts device. Elsewhere, let JLine decide.
     */
    static boolean stderrMayBeTerminal() {
        java.nio.file.Path fd2 = java.nio.file.Path.of("/proc/self/fd/2");
        if (!java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/fd"))) {
            return true;
        }
        try {
            String target = java.nio.file.Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    /** A console writing plain lines to {@code err} (tests, embedding). */
    public static Console plain(PrintStream err, boolean quiet) {
        return new Console(err, quiet, null);
    }

    public boolean interactive() {
        return terminal != null;
    }

    /** One line prefixed {@code aiscan: }. Shown even when quiet if {@code important}. */
    public synchronized void say(String message) {
        if (quiet) {
            return;
        }
        print(Journal.prefix(Journal.INFO) + "aiscan: " + message);
    }

    /** A warning; shown even in quiet mode. */
    public synchronized void warn(String message) {
        print(Journal.prefix(Journal.WARNING) + "aiscan: warning: " + message);
    }

    /** An error line; always shown. */
    public synchronized void error(String message) {
        print(Journal.prefix(Journal.ERROR) + "aiscan: " + message);
    }

    private void print(String line) {
        if (carriageReturnLine) {
            terminal.writer().print("\r\033[K" + line + "\n");
            terminal.flush();
            drawLine();
        } else if (status != null) {
            status.suspend();
            terminal.writer().println(line);
            terminal.flush();
            status.restore();
        } else {
            err.println(line);
            err.flush();
        }
    }

    /** Starts showing progress produced by {@code line}, until {@link #stopProgress()}. */
    public synchronized void startProgress(Supplier<String> line) {
        if (quiet || ticker != null) {
            return;
        }
        this.progress = line;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "aiscan-progress");
            th.setDaemon(true);
            return th;
        });
        if (terminal != null && terminal.getWidth() > 0) {
            status = Status.getStatus(terminal);
            ticker.scheduleAtFixedRate(this::drawStatus, 0, 250, TimeUnit.MILLISECONDS);
        } else if (terminal != null) {
            carriageReturnLine = true;
            ticker.scheduleAtFixedRate(this::drawLine, 0, 250, TimeUnit.MILLISECONDS);
        } else {
            ticker.scheduleAtFixedRate(this::plainLine, PLAIN_INTERVAL_SECONDS, PLAIN_INTERVAL_SECONDS, TimeUnit.SECONDS);
        }
    }

    private synchronized void drawStatus() {
        if (status == null) {
            return;
        }
        String s = progress.get();
        int w = Math.max(20, terminal.getWidth() - 1);
        status.update(List.of(new AttributedString(s.length() > w ? s.substring(0, w) : s)));
    }

    private synchronized void drawLine() {
        if (carriageReturnLine && progress != null) {
            terminal.writer().print("\r\033[K" + progress.get());
            terminal.flush();
        }
    }

    private synchronized void plainLine() {
        err.println(Journal.prefix(Journal.INFO) + "aiscan: " + progress.get());
        err.flush();
    }

    public synchronized void stopProgress() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        if (carriageReturnLine) {
            terminal.writer().print("\r\033[K");
            terminal.flush();
            carriageReturnLine = false;
        }
        if (status != null) {
            status.update(List.of());
            status.close();
            status = null;
            terminal.flush();
        }
    }

    @Override
    public synchronized void close() {
        stopProgress();
        if (terminal != null) {
            try {
                terminal.close();
            } catch (IOException ignored) {
                // nothing useful to do when closing stderr's terminal fails
            }
        }
    }
}
