package org.aiscan.cli;

import java.util.List;
import org.aiscan.console.Console;
import org.aiscan.model.InvalidInputException;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.SplitEngine;
import org.aiscan.probe.connect.ConnectEngine;
import org.aiscan.probe.syn.SynSupport;
import org.aiscan.target.TargetSet;

/**
 * Which engine probes: connect when asked or when raw frames cannot reach the targets (said in one
 * line), SYN otherwise, with this host's own addresses left to connect in the same run.
 */
final class EngineChooser {
    private EngineChooser() {
    }

    static ProbeEngine choose(TargetSet set, int ports, ScanConfig.Probing p, Console console) {
        if (p.mode() == ScanCommand.Mode.connect) {
            return connect(p);
        }
        SynSupport.Decision d = SynSupport.decide(set, ports, p.overrides(), p.guard());
        if (d.usable()) {
            ProbeEngine syn = SynSupport.engine(d, p.syn(), p.guard(), p.sending());
            if (d.near().isEmpty()) {
                return syn;
            }
            List<String> names = d.near().stream().map(r -> r.first().equals(r.last()) ? r.first().toString() : r.toString()).toList();
            console.say("connect for this host's own address" + (names.size() == 1 ? " " : "es ") + String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "")
                    + " (injected frames cannot reach them; --exclude-self skips them), SYN for the rest");
            return new SplitEngine(syn, connect(p), d.near());
        }
        if (p.mode() == ScanCommand.Mode.syn) {
            throw new InvalidInputException("--mode syn is not possible here: " + d.reason());
        }
        console.say("connect scan: " + d.reason());
        return connect(p);
    }

    private static ProbeEngine connect(ScanConfig.Probing p) {
        return new ConnectEngine(p.connect(), p.guard(), 0);
    }
}
