package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Service;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.audit.HostSummary;

/**
 * Drop-ins for AI units: the memory cap NO_RESOURCE_LIMIT asks for, and the loopback bind for
 * services that take it from one environment variable (the unit must be in the snapshot).
 */
final class SystemdEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        systemd(out, p, p.facts.host, p.ds, p.exposures);
    }

    /**
     * Drop-ins for AI units: the memory cap NO_RESOURCE_LIMIT asks for, and the loopback bind for
     * services that take it from one environment variable (the unit must be in the snapshot).
     */
    void systemd(BundleFiles out, Plan plan, HostSummary v, List<Diagnosis> ds, Map<Integer, Exposure> exposures) {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, List<Diagnosis>> why = new LinkedHashMap<>();
        for (Diagnosis d : Plan.of(ds, DiagnosisCode.NO_RESOURCE_LIMIT)) {
            String unit = d.remediation().isEmpty() ? null : d.remediation().get(0).params().get("unit");
            if (unit != null && unit.matches("[A-Za-z0-9@_.-]+\\.service")) {
                lines.computeIfAbsent(unit, k -> new ArrayList<>()).add("MemoryMax=90%");
                lines.get(unit).add("MemorySwapMax=0");
                why.computeIfAbsent(unit, k -> new ArrayList<>()).add(d);
            }
        }
        for (Exposure e : exposures.values()) {
            if (e.service == null || e.service.id() == null || !plan.systemdEnv.containsKey(e.service.id())) {
                continue;
            }
            for (String u : v.units()) {
                if (u.equals(e.service.id() + ".service")) {
                    String env = plan.systemdEnv.get(e.service.id()).replace("{port}", String.valueOf(e.port));
                    lines.computeIfAbsent(u, k -> new ArrayList<>()).add("Environment=" + env);
                    why.computeIfAbsent(u, k -> new ArrayList<>()).addAll(e.because);
                }
            }
        }
        for (Map.Entry<String, List<String>> e : lines.entrySet()) {
            String unit = e.getKey();
            String file = "systemd/" + unit + ".d/aiscan.conf";
            String text = "# systemctl edit " + unit + " (or copy to /etc/systemd/system/" + unit + ".d/), then systemctl daemon-reload"
                    + " and restart it\n[Service]\n" + String.join("\n", e.getValue()) + "\n";
            out.files.put(file, text);
            out.checks.put(file, "systemd-analyze verify " + unit);
            out.tag(why.get(unit), file, "Drop-in for " + unit, text.trim());
        }
    }
}
