package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.audit.Correlator;
import org.aiscan.host.Collector;
import org.aiscan.host.SnapshotFile;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;

/** What 'audit' and 'report' read the same way: --scanner-ip values and --snapshot files or folders. */
final class AuditInputs {
    private AuditInputs() {
    }

    static List<Address> scanners(List<String> values) {
        List<Address> out = new ArrayList<>();
        for (String s : values) {
            try {
                out.add(Address.parse(s));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--scanner-ip " + s + ": not an IP address");
            }
        }
        return out;
    }

    /** Snapshot files of 'aiscan collect', or folders of raw outputs as 'collect --from' reads them. */
    static List<Correlator.SnapshotInput> snapshots(List<Path> paths) throws IOException {
        List<Correlator.SnapshotInput> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                out.add(new Correlator.SnapshotInput(p, Collector.fromFiles(p, VersionProvider.version())));
            } else if (Files.isRegularFile(p)) {
                out.add(new Correlator.SnapshotInput(p, SnapshotFile.read(p)));
            } else {
                throw new InvalidInputException("--snapshot " + p + ": no such file or folder");
            }
        }
        return out;
    }
}
