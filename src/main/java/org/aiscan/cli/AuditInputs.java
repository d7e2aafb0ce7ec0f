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

    static org.aiscan.model.Cidr cidr(String option, String value) {
        try {
            return org.aiscan.model.Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option + " " + value + ": not an address or CIDR block");
        }
    }

    static org.aiscan.target.PortList ports(String spec) {
        try {
            return org.aiscan.target.PortSpec.parse(spec);
        } catch (IllegalArgumentException | InvalidInputException e) {
            throw new InvalidInputException("--ports " + spec + ": " + e.getMessage());
        }
    }

    /** Snapshot files of 'aiscan collect', or folders of raw outputs as 'collect --from' reads them. */
    static List<Correlator.SnapshotInput> snapshots(List<Path> paths) throws IOException {
        List<Correlator.SnapshotInput> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> json = snapshotFiles(p);
                if (!json.isEmpty()) {
                    for (Path f : json) {
                        out.add(new Correlator.SnapshotInput(f, SnapshotFile.read(f)));
                    }
                } else {
                    out.add(new Correlator.SnapshotInput(p, Collector.fromFiles(p, VersionProvider.version())));
                }
            } else if (Files.isRegularFile(p)) {
                out.add(new Correlator.SnapshotInput(p, SnapshotFile.read(p)));
            } else {
                throw new InvalidInputException("--snapshot " + p + ": no such file or folder");
            }
        }
        return out;
    }

    /** The snapshot files of a folder ('aiscan collect --ssh' writes one per host): *.json, sorted by name. */
    static List<Path> snapshotFiles(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f)).sorted().toList();
        }
    }
}
