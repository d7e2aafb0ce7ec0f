package org.aiscan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Endpoint;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.report.Comparison;
import org.aiscan.target.AddressRange;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.TargetParser;

/**
 * {@code --compare OLD.jsonl}: what changed since an earlier scan. An endpoint open then and not open
 * now is fixed only when the new scan covered it (its targets and ports, and it finished); otherwise
 * the new scan says nothing about it, and the report says so.
 */
final class Compare {
    private Compare() {
    }

    static Comparison of(ScanResult now, ScanResult before, Path beforeFile) {
        Map<String, Endpoint> open = open(now);
        Map<String, Endpoint> was = open(before);
        List<AddressRange> targets = new ArrayList<>();
        String notTargets = null;
        TargetParser parser = new TargetParser(host -> List.of(), false); // never resolves: a host name is not known
        for (String t : now.run().targets()) {
            try {
                targets.addAll(parser.parse(t));
            } catch (InvalidInputException e) {
                notTargets = "the new scan's target " + t + " is not an address or range";
            }
        }
        PortList ports;
        try {
            ports = PortSpec.parse(now.run().ports());
        } catch (InvalidInputException e) {
            ports = null;
        }
        boolean finished = now.summary() != null && now.summary().complete();
        List<Endpoint> fixed = new ArrayList<>();
        List<Endpoint> still = new ArrayList<>();
        List<Comparison.Unknown> unknown = new ArrayList<>();
        for (Map.Entry<String, Endpoint> e : was.entrySet()) {
            Endpoint old = e.getValue();
            if (open.containsKey(e.getKey())) {
                still.add(open.get(e.getKey()));
            } else if (!finished) {
                unknown.add(new Comparison.Unknown(old, "the new scan did not finish"));
            } else if (targets.stream().noneMatch(r -> r.contains(old.port().address()))) {
                unknown.add(new Comparison.Unknown(old, notTargets != null ? notTargets : "not among the new scan's targets"));
            } else if (ports == null || !ports.contains(old.port().port())) {
                unknown.add(new Comparison.Unknown(old, "port " + old.port().port() + " is not among the new scan's ports (" + now.run().ports() + ")"));
            } else {
                fixed.add(old);
            }
        }
        List<Endpoint> added = new ArrayList<>();
        open.forEach((k, ep) -> {
            if (!was.containsKey(k)) {
                added.add(ep);
            }
        });
        return new Comparison(beforeFile.toString(), before.run().started(), fixed, added, still, unknown);
    }

    private static Map<String, Endpoint> open(ScanResult s) {
        Map<String, Endpoint> out = new LinkedHashMap<>();
        for (Endpoint e : s.endpoints()) {
            if (e.port().state() == PortState.OPEN) {
                out.put(e.port().endpoint(), e);
            }
        }
        return out;
    }
}
