package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshots;
import org.aiscan.model.Address;
import java.util.List;
import org.aiscan.audit.Correlator;
import org.aiscan.host.Collector;
import org.aiscan.host.SnapshotFile;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.Cidr;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;

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

    static Cidr cidr(String option, String value) {
        try {
            return Cidr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(option + " " + value + ": not an address or CIDR block");
        }
    }

    static PortList ports(String spec) {
        try {
            return PortSpec.parse(spec);
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

    /** {@code --host-address} values: addresses, each checked. */
    static List<Address> hostAddresses(List<String> given) {
        List<Address> out = new ArrayList<>();
        for (String g : given) {
            try {
                out.add(Address.parse(g.trim()));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--host-address " + g + ": not an IPv4 or IPv6 address");
            }
        }
        return out;
    }

    /**
     * The snapshots, each of which must know the host's own addresses (where the internet arrives):
     * from its {@code ip addr} output, or from {@code --host-address} for the one that has none. A
     * snapshot without addresses is refused in one line, since nothing could be predicted for it.
     */
    static List<Correlator.SnapshotInput> withAddresses(List<Correlator.SnapshotInput> inputs, List<Address> given) {
        List<Correlator.SnapshotInput> without = inputs.stream().filter(i -> HostView.of(i.snapshot()).addresses.isEmpty()).toList();
        if (!given.isEmpty() && without.size() != 1) {
            throw new InvalidInputException("--host-address applies to the one snapshot without interface addresses; "
                    + (without.isEmpty() ? "every snapshot has its own" : without.size() + " have none: audit them one at a time"));
        }
        if (given.isEmpty() && !without.isEmpty()) {
            throw new InvalidInputException(without.get(0).file() + ": the snapshot holds no interface addresses (no 'ip addr' output), "
                    + "so where the internet arrives is unknown; pass --host-address ADDR[,ADDR] or add the output of 'ip -o addr'");
        }
        List<Correlator.SnapshotInput> out = new ArrayList<>();
        for (Correlator.SnapshotInput i : inputs) {
            out.add(without.contains(i) ? new Correlator.SnapshotInput(i.file(), Snapshots.withAddresses(i.snapshot(), given)) : i);
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
