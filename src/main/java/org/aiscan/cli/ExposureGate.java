package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.aiscan.console.Console;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.report.ScanFile;
import org.aiscan.schedule.Accepted;
import org.aiscan.schedule.ScanDiff;
import org.jspecify.annotations.Nullable;

/**
 * Exit code 3's test: with --baseline, every open endpoint must be accepted (listed, not expired,
 * still the same service); without it, nothing may be new since the state folder's last finished
 * run. Each exposure is named on stderr.
 */
final class ExposureGate {
    private final @Nullable Accepted accepted;

    private ExposureGate(@Nullable Accepted accepted) {
        this.accepted = accepted;
    }

    /** The gate of a scan; a broken baseline fails now, before anything is sent. */
    static ExposureGate of(@Nullable Path baseline) throws IOException {
        return new ExposureGate(baseline == null ? null : Accepted.load(baseline));
    }

    /** Whether {@code whole} exposes something; {@code previous} is the last finished run's folder. */
    boolean exposed(ScanResult whole, Optional<Path> previous, Console console) throws IOException {
        List<Endpoint> open = whole.endpoints().stream().filter(e -> e.port().state() == PortState.OPEN).toList();
        if (accepted != null) {
            List<Accepted.Finding> bad = accepted.unaccepted(open, LocalDate.now(ZoneOffset.UTC));
            for (Accepted.Finding f : bad) {
                console.warn("exposure " + f.endpoint().port().endpoint() + " " + ScanDiff.describe(f.endpoint().service()) + ": " + f.why());
            }
            return !bad.isEmpty();
        }
        if (previous.isEmpty()) {
            if (!open.isEmpty()) {
                console.warn(open.size() + " open endpoint(s) and no earlier run to compare with: all are new (accept the expected ones "
                        + "with 'aiscan accept' and --baseline)");
            }
            return !open.isEmpty();
        }
        List<ScanDiff.Change> changes = ScanDiff.diff(ScanFile.read(previous.get().resolve(ResumableRun.RESULTS)), whole);
        boolean any = false;
        for (ScanDiff.Change c : changes) {
            if (c.kind() == ScanDiff.Kind.NEW || c.kind() == ScanDiff.Kind.CHANGED) { // gone or not looked at again: no exposure
                console.warn(c.kind() + " since " + previous.get().getFileName() + ": " + c.endpoint() + " " + c.what());
                any = true;
            }
        }
        return any;
    }
}
