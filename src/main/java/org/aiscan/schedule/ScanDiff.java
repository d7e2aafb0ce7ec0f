package org.aiscan.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aiscan.model.Endpoint;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortState;
import org.aiscan.model.Service;
import org.aiscan.model.ScanResult;
import org.aiscan.target.AddressRange;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.TargetParser;
import org.jspecify.annotations.Nullable;

/**
 * What changed between two scans: endpoints newly open, no longer open, or open with another
 * service, version or auth. An endpoint open before and not open now is gone only where the newer
 * scan looked again (its targets and ports, and it finished); elsewhere the newer scan says nothing
 * about it ({@link Kind#NOT_RESCANNED}), which is never a fix.
 */
public final class ScanDiff {
    /** The kinds of change. */
    public enum Kind {
        NEW, GONE, CHANGED, NOT_RESCANNED
    }

    /** One change; {@code before} is null for a new endpoint, {@code after} for a gone or not rescanned one. */
    public record Change(Kind kind, String endpoint, @Nullable Endpoint before, @Nullable Endpoint after, String what) {
    }

    private ScanDiff() {
    }

    public static List<Change> diff(ScanResult a, ScanResult b) {
        Map<String, Endpoint> before = open(a);
        Map<String, Endpoint> after = open(b);
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, Endpoint> e : after.entrySet()) {
            Endpoint old = before.get(e.getKey());
            if (old == null) {
                out.add(new Change(Kind.NEW, e.getKey(), null, e.getValue(), describe(e.getValue().service())));
            } else {
                String what = changes(old.service(), e.getValue().service());
                if (!what.isEmpty()) {
                    out.add(new Change(Kind.CHANGED, e.getKey(), old, e.getValue(), what));
                }
            }
        }
        Coverage covered = new Coverage(b);
        for (Map.Entry<String, Endpoint> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                String notLooked = covered.whyNot(e.getValue());
                out.add(notLooked == null ? new Change(Kind.GONE, e.getKey(), e.getValue(), null, describe(e.getValue().service()))
                        : new Change(Kind.NOT_RESCANNED, e.getKey(), e.getValue(), null, notLooked));
            }
        }
        return out;
    }

    /** What a scan looked at: its targets and ports, when it finished. */
    private static final class Coverage {
        private final ScanResult scan;
        private final List<AddressRange> targets = new ArrayList<>();
        private @Nullable String badTarget;
        private @Nullable PortList ports;

        Coverage(ScanResult scan) {
            this.scan = scan;
            TargetParser parser = new TargetParser(host -> List.of(), false); // never resolves: a host name is not known
            for (String t : scan.run().targets()) {
                try {
                    targets.addAll(parser.parse(t));
                } catch (InvalidInputException e) {
                    badTarget = "the newer scan's target " + t + " is not an address or range";
                }
            }
            try {
                ports = PortSpec.parse(scan.run().ports());
            } catch (InvalidInputException e) {
                ports = null;
            }
        }

        /** Why the scan did not look at this endpoint again, or null when it did. */
        @Nullable String whyNot(Endpoint e) {
            if (scan.summary() == null || !scan.summary().complete()) {
                return "the newer scan did not finish";
            }
            if (targets.stream().noneMatch(r -> r.contains(e.port().address()))) {
                return badTarget != null ? badTarget : "not among the newer scan's targets";
            }
            if (ports == null || !ports.contains(e.port().port())) {
                return "port " + e.port().port() + " is not among the newer scan's ports (" + scan.run().ports() + ")";
            }
            return null;
        }
    }

    private static Map<String, Endpoint> open(ScanResult f) {
        Map<String, Endpoint> m = new LinkedHashMap<>();
        for (Endpoint e : f.endpoints()) {
            if (e.port().state() == PortState.OPEN) {
                m.put(e.port().endpoint(), e);
            }
        }
        return m;
    }

    public static String describe(@Nullable Service s) {
        if (s == null) {
            return "not fingerprinted";
        }
        return s.id() + (s.version() == null ? "" : " " + s.version()) + ", auth " + s.auth() + (s.authDetail() == null ? "" : " (" + s.authDetail() + ")");
    }

    private static String changes(@Nullable Service a, @Nullable Service b) {
        if (a == null || b == null) {
            return a == b ? "" : "service " + describe(a) + " -> " + describe(b);
        }
        List<String> w = new ArrayList<>();
        if (!Objects.equals(a.id(), b.id())) {
            w.add("service " + a.id() + " -> " + b.id());
        }
        if (!Objects.equals(a.version(), b.version())) {
            w.add("version " + a.version() + " -> " + b.version());
        }
        if (!Objects.equals(a.auth(), b.auth()) || !Objects.equals(a.authDetail(), b.authDetail())) {
            w.add("auth " + a.auth() + (a.authDetail() == null ? "" : " (" + a.authDetail() + ")") + " -> " + b.auth()
                    + (b.authDetail() == null ? "" : " (" + b.authDetail() + ")"));
        }
        return String.join(", ", w);
    }
}
