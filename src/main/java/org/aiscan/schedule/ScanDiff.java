package org.aiscan.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aiscan.model.Endpoint;
import org.aiscan.model.PortState;
import org.aiscan.model.Service;
import org.aiscan.model.ScanResult;

/** What changed between two scans: endpoints newly open, no longer open, or open with another service, version or auth. */
public final class ScanDiff {
    /** One change; {@code before} is null for a new endpoint, {@code after} for a gone one. */
    public record Change(String kind, String endpoint, Endpoint before, Endpoint after, String what) {
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
                out.add(new Change("new", e.getKey(), null, e.getValue(), describe(e.getValue().service())));
            } else {
                String what = changes(old.service(), e.getValue().service());
                if (!what.isEmpty()) {
                    out.add(new Change("changed", e.getKey(), old, e.getValue(), what));
                }
            }
        }
        for (Map.Entry<String, Endpoint> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                out.add(new Change("gone", e.getKey(), e.getValue(), null, describe(e.getValue().service())));
            }
        }
        return out;
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

    public static String describe(Service s) {
        if (s == null) {
            return "not fingerprinted";
        }
        return s.id() + (s.version() == null ? "" : " " + s.version()) + ", auth " + s.auth() + (s.authDetail() == null ? "" : " (" + s.authDetail() + ")");
    }

    private static String changes(Service a, Service b) {
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
