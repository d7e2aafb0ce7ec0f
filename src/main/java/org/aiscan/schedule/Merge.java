package org.aiscan.schedule;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.aiscan.model.Endpoint;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.report.JsonLines;
import org.aiscan.model.ScanResult;
import org.aiscan.target.Shard;

/**
 * Joins the parts of a sharded scan ({@code --shard I/N} with one seed, e.g. one per pod of a
 * Kubernetes Indexed Job) into one scan: the parts must scan the same targets and ports with the
 * same seed and split into the same N; together they must cover every shard once. Since shards of
 * one permutation are disjoint, no endpoint appears twice; one that does is written once.
 */
public final class Merge {
    private Merge() {
    }

    /** The merged scan; {@code allowPartial} accepts missing shards (the result says incomplete). */
    public static ScanResult merge(List<ScanResult> parts, boolean allowPartial) {
        if (parts.isEmpty()) {
            throw new InvalidInputException("nothing to merge");
        }
        ScanRun first = parts.get(0).run();
        int n = -1;
        TreeSet<Integer> seen = new TreeSet<>();
        for (ScanResult p : parts) {
            ScanRun r = p.run();
            String where = p.file() == null ? "a part" : p.file().toString();
            if (!r.targets().equals(first.targets()) || !r.ports().equals(first.ports()) || r.seed() != first.seed()) {
                throw new InvalidInputException(where + ": another scan (targets, ports or seed differ from " + parts.get(0).file()
                        + "); shards must share all three");
            }
            Shard s;
            try {
                s = Shard.parse(r.shard());
            } catch (RuntimeException e) {
                throw new InvalidInputException(where + ": shard '" + r.shard() + "' is not I/N");
            }
            if (n < 0) {
                n = s.count();
            } else if (s.count() != n) {
                throw new InvalidInputException(where + ": shard " + r.shard() + " splits into " + s.count() + ", the others into " + n);
            }
            if (!seen.add(s.index())) {
                throw new InvalidInputException(where + ": shard " + r.shard() + " is given twice");
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!seen.contains(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty() && !allowPartial) {
            throw new InvalidInputException("shards " + missing + " of " + n + " are missing; pass them, or --partial to merge what is there");
        }
        Map<String, Endpoint> eps = new LinkedHashMap<>();
        Instant start = first.started();
        Instant end = Instant.EPOCH;
        double elapsed = 0;
        long probes = 0;
        long decided = 0;
        long sent = 0;
        long open = 0;
        long closed = 0;
        long filtered = 0;
        boolean complete = missing.isEmpty();
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> scanners = new ArrayList<>();
        boolean allStates = false;
        for (ScanResult p : parts) {
            ScanRun r = p.run();
            start = r.started().isBefore(start) ? r.started() : start;
            probes += r.probes();
            allStates |= p.allStates();
            r.scannerAddresses().stream().filter(a -> !scanners.contains(a)).forEach(scanners::add);
            for (Endpoint e : p.endpoints()) {
                eps.putIfAbsent(e.port().endpoint(), e);
            }
            ScanSummary s = p.summary();
            if (s == null) {
                complete = false;
                notes.add("shard " + r.shard() + " has no summary: it did not finish");
                continue;
            }
            end = s.finished().isAfter(end) ? s.finished() : end;
            elapsed = Math.max(elapsed, s.elapsedSeconds());
            decided += s.decided();
            sent += s.sent();
            open += s.open();
            closed += s.closed();
            filtered += s.filtered();
            complete &= s.complete();
            s.warnings().forEach(w -> warnings.add("shard " + r.shard() + ": " + w));
        }
        if (!missing.isEmpty()) {
            notes.add("shards " + missing + " of " + n + " missing");
        }
        ScanRun run = new ScanRun(first.version(), start, first.engine(), first.targets(), first.ports(), first.addresses(), probes,
                first.seed(), "all/" + n, first.rate(), scanners, allStates);
        ScanSummary sum = new ScanSummary(end.equals(Instant.EPOCH) ? Instant.now() : end, elapsed, probes, decided, sent, open, closed,
                filtered, complete, complete ? null : "parts missing or unfinished", warnings, notes);
        return new ScanResult(null, run, new ArrayList<>(eps.values()), sum, allStates);
    }

    /** The merged scan as JSON Lines (the same schema as a scan's --jsonl). */
    public static void write(ScanResult merged, Writer out) throws IOException {
        JsonGenerator g = JsonLines.generator(out);
        JsonLines.run(g, merged.run());
        for (Endpoint e : merged.endpoints()) {
            JsonLines.port(g, e);
        }
        JsonLines.summary(g, merged.summary());
        g.flush();
    }
}
