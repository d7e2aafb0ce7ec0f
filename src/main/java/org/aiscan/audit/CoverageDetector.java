package org.aiscan.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.host.HostView;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.EvidenceLine;

/**
 * What the snapshot does not show (SNAPSHOT_INCOMPLETE, info): a family's firewall rules not given,
 * unreadable or cut short, no listening sockets, no interface addresses. Every prediction that
 * depends on a missing fact is already uncertain; this finding says, once per host, what is missing
 * and the command that would collect it, so that "unknown" comes with the way to know.
 */
final class CoverageDetector implements Detector {
    @Override
    public void detect(HostContext c, Findings out) {
        HostView v = c.view;
        List<String> what = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        List<EvidenceLine> ev = new ArrayList<>();
        for (int family : new int[] {4, 6}) {
            List<EvidenceLine> unseen = c.nf.host().unseen(family);
            if (!unseen.isEmpty()) {
                what.add("the IPv" + family + " firewall rules (" + unseen.size() + " gap" + (unseen.size() == 1 ? "" : "s") + ")");
                commands.add(family == 4 ? "iptables-save" : "ip6tables-save");
                ev.addAll(unseen);
            }
        }
        if (!what.isEmpty() && v.nft == null && !commands.contains("nft list ruleset")) {
            commands.add("nft list ruleset");
        }
        if (!c.nf.host().listenersSeen()) {
            what.add("the listening sockets");
            commands.add("ss -tlnpH");
            ev.add(Netfilter.NO_LISTENERS);
        }
        if (v.addresses.isEmpty()) {
            what.add("the interface addresses");
            commands.add("ip -o addr show");
            ev.add(new EvidenceLine("snapshot", 0, "no ip addr output: the host's own addresses are unknown"));
        }
        if (what.isEmpty()) {
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("what", String.join(", ", what));
        params.put("command", String.join("; ", commands));
        out.add(DiagnosisCode.SNAPSHOT_INCOMPLETE, null, 0, null, null, EvidenceIndex.distinct(ev), params, Map.of("what", String.join(", ", what),
                "command", String.join("; ", commands)));
    }
}
