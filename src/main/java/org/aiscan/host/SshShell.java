package org.aiscan.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Another host over the system OpenSSH client: aiscan holds no credentials; keys, agent, known
 * hosts and {@code ~/.ssh/config} are ssh's own. One master connection per host (ControlMaster, a
 * socket in a private folder) carries every command; {@code BatchMode} keeps ssh from ever asking
 * for a password. Each command runs under the remote {@code timeout}; with {@code sudo}, through
 * {@code sudo -n} (never prompting).
 */
public final class SshShell implements Shell, AutoCloseable {
    /** Exit status ssh uses for its own failures (connection, authentication). */
    static final int SSH_FAILED = 255;
    private static final int MISSING = 66;

    private final String destination;
    private final List<String> options;
    private final boolean sudo;
    private final Path controlDir;
    private final Map<String, String> which = new HashMap<>();
    private Boolean root;
    private boolean timeout;

    /**
     * Connects (one round trip that also learns the remote uid); an {@link IOException} with ssh's
     * own last line when the host cannot be reached or refuses the key.
     *
     * @param options {@code -o} options for ssh ({@code ConnectTimeout=5}, {@code IdentityFile=...})
     */
    public SshShell(String destination, List<String> options, boolean sudo, long connectTimeoutSeconds) throws IOException,
            InterruptedException {
        if (destination.startsWith("-")) {
            throw new IllegalArgumentException("an ssh destination cannot start with '-': " + destination);
        }
        this.destination = destination;
        this.sudo = sudo;
        Path base = Files.isDirectory(Path.of("/tmp")) ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir"));
        this.controlDir = Files.createTempDirectory(base, "aiscan-ssh-");
        // ssh keeps the first value of each option: ours that must hold first, then the user's, then defaults they may override
        List<String> o = new ArrayList<>(List.of("BatchMode=yes", "ControlMaster=auto", "ControlPath=" + controlDir + "/%C",
                "ControlPersist=60"));
        o.addAll(options);
        o.addAll(List.of("ConnectTimeout=" + connectTimeoutSeconds, "ServerAliveInterval=5", "ServerAliveCountMax=3"));
        this.options = List.copyOf(o);
        Result r = ssh("id -u; command -v timeout >/dev/null 2>&1 && echo timeout" + (sudo ? "; sudo -n true && echo sudo" : ""),
                (connectTimeoutSeconds + 20) * 1000);
        String out = new String(r.out(), StandardCharsets.UTF_8);
        if (r.timedOut() || r.code() == SSH_FAILED || !out.strip().split("\n")[0].matches("\\d+")) {
            close();
            throw new IOException(failure(r));
        }
        List<String> lines = out.lines().toList();
        timeout = lines.contains("timeout");
        root = lines.get(0).equals("0") || sudo && lines.contains("sudo");
        if (sudo && !lines.contains("sudo")) {
            close();
            throw new IOException("sudo -n refused on " + destination + ": " + lastLine(r.err(), "a password is required"));
        }
    }

    private String failure(Result r) {
        if (r.timedOut()) {
            return "ssh to " + destination + " did not answer in time";
        }
        return lastLine(r.err(), "ssh exited " + r.code());
    }

    private static String lastLine(byte[] err, String fallback) {
        List<String> l = new String(err, StandardCharsets.UTF_8).lines().map(String::strip).filter(s -> !s.isEmpty())
                .filter(s -> !s.startsWith("Warning: Permanently added")).toList();
        return l.isEmpty() ? fallback : l.get(l.size() - 1);
    }

    public String destination() {
        return destination;
    }

    @Override
    public @Nullable String which(String tool) throws IOException, InterruptedException {
        if (!which.containsKey(tool)) {
            StringBuilder sh = new StringBuilder("for d in");
            PATH.forEach(d -> sh.append(' ').append(d));
            sh.append("; do if [ -x \"$d\"/").append(quote(tool)).append(" ]; then echo \"$d\"/").append(quote(tool))
                    .append("; exit 0; fi; done; exit 1");
            Result r = answered(checked(ssh(sh.toString(), 30_000)));
            String out = new String(r.out(), StandardCharsets.UTF_8).strip();
            which.put(tool, r.code() == 0 && !out.isEmpty() ? out : null);
        }
        return which.get(tool);
    }

    @Override
    public boolean isRoot() {
        return root;
    }

    /** Marks the remote command's own exit status on stderr: ssh's 255 is then told apart from a tool's (fail2ban-client's is 255). */
    private static final String EXIT_MARK = "aiscan-exit:";

    @Override
    public Result exec(List<String> argv, long timeoutMillis) throws IOException, InterruptedException {
        StringBuilder cmd = new StringBuilder(sudo ? "sudo -n " : "").append("env LC_ALL=C LANG=C ");
        long seconds = Math.max(1, timeoutMillis / 1000);
        if (timeout) {
            cmd.append("timeout -k 2 ").append(seconds).append(' ');
        }
        for (String a : argv) {
            cmd.append(quote(a)).append(' ');
        }
        cmd.append("; printf '\\n" + EXIT_MARK + "%d\\n' $? >&2");
        Result r = ssh(cmd.toString(), timeoutMillis + 10_000);
        if (timeout && r.timedOut()) {
            throw new IOException("ssh to " + destination + " stopped answering");
        }
        String err = new String(r.err(), StandardCharsets.UTF_8);
        int mark = err.lastIndexOf("\n" + EXIT_MARK);
        if (mark < 0) {
            r = checked(r); // no status from the remote shell: ssh's own failure when it says 255
        } else {
            String status = err.substring(mark + 1 + EXIT_MARK.length()).strip();
            byte[] cleanErr = err.substring(0, mark).getBytes(StandardCharsets.UTF_8);
            try {
                r = new Result(Integer.parseInt(status), r.out(), cleanErr, r.millis(), r.timedOut());
            } catch (NumberFormatException e) {
                r = checked(r);
            }
        }
        if (timeout && r.code() == 124) {
            return new Result(-1, r.out(), r.err(), r.millis(), true);
        }
        return r;
    }

    @Override
    public byte @Nullable [] read(String path, int max) throws IOException, InterruptedException {
        String cmd = (sudo ? "sudo -n " : "") + "sh -c 'test -e \"$1\" || exit " + MISSING + "; exec head -c " + (max + 1) + " -- \"$1\"' sh "
                + quote(path);
        Result r = answered(checked(ssh(cmd, 30_000)));
        if (r.code() == MISSING) {
            return null;
        }
        if (r.code() != 0) {
            throw new IOException(lastLine(r.err(), "exit " + r.code()));
        }
        return r.out();
    }

    /** A lost connection mid-way fails the host: its snapshot would be silently partial otherwise. */
    private Result checked(Result r) throws IOException {
        if (r.code() == SSH_FAILED) {
            throw new IOException("lost the ssh connection to " + destination + ": " + lastLine(r.err(), "ssh exited 255"));
        }
        return r;
    }

    private Result answered(Result r) throws IOException {
        if (r.timedOut()) {
            throw new IOException("ssh to " + destination + " stopped answering");
        }
        return r;
    }

    private Result ssh(String remoteCommand, long timeoutMillis) throws IOException, InterruptedException {
        List<String> argv = command("-n", "-T");
        argv.add("--");
        argv.add(destination);
        argv.add(remoteCommand);
        return LocalShell.run(new ProcessBuilder(argv), timeoutMillis);
    }

    /** {@code ssh} with every {@code -o} option, then {@code rest}. */
    private List<String> command(String... rest) {
        List<String> argv = new ArrayList<>(List.of("ssh"));
        for (String o : options) {
            argv.add("-o");
            argv.add(o);
        }
        argv.addAll(List.of(rest));
        return argv;
    }

    /** One word for a POSIX shell: single-quoted, a single quote as {@code '\''}. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Ends the master connection and removes its socket folder. */
    @Override
    public void close() {
        try {
            List<String> argv = command("-O", "exit", "--", destination);
            LocalShell.run(new ProcessBuilder(argv), 10_000);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        try (var s = Files.list(controlDir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // already gone
        }
        try {
            Files.deleteIfExists(controlDir);
        } catch (IOException e) {
            // not empty: a master that did not exit; the folder is in /tmp
        }
    }
}
