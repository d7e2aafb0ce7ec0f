package org.aiscan.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-link lab of {@code test-fixtures/lab/l2lab.sh}: the scanner's namespace and twenty hosts on
 * one bridge (198.18.2.0/24, 2001:2:0:2::/64), the scanner's own address inside the range.
 */
public final class L2Lab implements AutoCloseable {
    public static final Path SCRIPT = Lab.ROOT.resolve("test-fixtures/lab/l2lab.sh");
    /** The namespace aiscan runs in, as a user on that LAN would. */
    public static final String SCANNER_NS = "aisn-scan";
    public static final List<String> IN_SCANNER = List.of("ip", "netns", "exec", SCANNER_NS);

    private L2Lab() {
    }

    public static L2Lab up() throws IOException, InterruptedException {
        assumeTrue(Lab.isRoot(), "the namespace lab needs root");
        Lab.Run r = Lab.run(List.of(SCRIPT.toString(), "up"), 120);
        if (r.code() != 0) {
            Lab.run(List.of(SCRIPT.toString(), "down"), 60);
            throw new IllegalStateException("l2lab.sh up failed (" + r.code() + "): " + r.err());
        }
        return new L2Lab();
    }

    public Truth truth() throws IOException, InterruptedException {
        Lab.Run r = Lab.run(List.of(SCRIPT.toString(), "truth"), 60);
        if (r.code() != 0) {
            throw new IllegalStateException("l2lab.sh truth failed: " + r.err());
        }
        return Truth.parse(r.out());
    }

    /** Runs a command in the scanner's namespace. */
    public static Lab.Run inScanner(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(IN_SCANNER);
        full.addAll(List.of(cmd));
        return Lab.run(full, timeoutSeconds);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Lab.run(List.of(SCRIPT.toString(), "down"), 60);
    }
}
