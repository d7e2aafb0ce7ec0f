package org.aiscan.cli;

import java.io.PrintWriter;
import java.util.List;
import org.aiscan.console.Console;
import org.aiscan.model.InvalidInputException;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.probe.SplitEngine;
import org.aiscan.probe.connect.ConnectEngine;
import org.aiscan.probe.connect.PrintingConnector;
import org.aiscan.probe.syn.SynSupport;
import org.aiscan.target.TargetSet;

/**
 * Which engine probes: connect when asked or when raw frames cannot reach the targets (said in one
 * line), SYN otherwise, with this host's own addresses left to connect in the same run. A dry run
 * gets the same choice, with engines that print what they would send instead of sending it.
 */
final class EngineChooser {
    private EngineChooser() {
    }

    static ProbeEngine choose(TargetSet set, int ports, ScanConfig.Probing p, Console console) {
        return choose(set, ports, p, console, null, 0);
    }

    /**
     * The engines of {@code --dry-run}: chosen as for a scan (without sending anything to decide),
     * printing to {@code out} every frame (SYN) or connect attempt (connect) they would send.
     */
    static ProbeEngine dryRun(TargetSet set, int ports, ScanConfig.Probing p, Console console, PrintWriter out, long seed) {
        return choose(set, ports, p, console, out, seed);
    }

    /** @param dryRun where a dry run prints; null for a scan */
    private static ProbeEngine choose(TargetSet set, int ports, ScanConfig.Probing p, Console console, PrintWriter dryRun, long seed) {
        if (p.mode() == ScanCommand.Mode.connect) {
            return connect(p, dryRun);
        }
        SynSupport.Decision d = dryRun == null ? SynSupport.decide(set, ports, p.overrides(), p.guard())
                : SynSupport.decideWithoutSending(set, ports, p.overrides(), p.guard());
        if (d.usable()) {
            ProbeEngine syn = dryRun == null ? SynSupport.engine(d, p.syn(), p.guard(), p.sending())
                    : SynSupport.dryRunEngine(d, p.syn(), p.guard(), dryRun, seed);
            if (d.near().isEmpty()) {
                return syn;
            }
            List<String> names = d.near().stream().map(r -> r.first().equals(r.last()) ? r.first().toString() : r.toString()).toList();
            console.say("connect for this host's own address" + (names.size() == 1 ? " " : "es ") + String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "")
                    + " (injected frames cannot reach them; --exclude-self skips them), SYN for the rest");
            return new SplitEngine(syn, connect(p, dryRun), d.near());
        }
        if (p.mode() == ScanCommand.Mode.syn) {
            throw new InvalidInputException("--mode syn is not possible here: " + d.reason());
        }
        console.say("connect scan: " + d.reason());
        return connect(p, dryRun);
    }

    /** A dry run's connect engine: one thread (the plan's order), no pacing, each probe once. */
    private static ProbeEngine connect(ScanConfig.Probing p, PrintWriter dryRun) {
        if (dryRun == null) {
            return new ConnectEngine(p.connect(), p.guard(), 0);
        }
        EngineOptions o = p.connect();
        EngineOptions once = new EngineOptions(0, o.maxTimeoutMillis(), o.minTimeoutMillis(), 0, o.concurrency());
        return new ConnectEngine(once, p.guard(), 1, new PrintingConnector(dryRun));
    }
}
