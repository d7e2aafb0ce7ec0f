package org.aiscan.remediate;

import java.util.List;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.audit.FrontEnd;

/** ufw-egress.sh, optional: outbound default deny on a ufw host. */
final class EgressEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        egress(out, p.header, p.facts, p.ds);
    }

    private void egress(BundleFiles out, String header, Facts f, List<Diagnosis> ds) {
        List<Diagnosis> why = Plan.of(ds, DiagnosisCode.OUTBOUND_UNRESTRICTED);
        if (why.isEmpty() || f.mechanism != FrontEnd.UFW) {
            return;
        }
        String text = "#!/bin/sh\n# " + header + " — optional: outbound default deny (ufw).\n"
                + "# Not part of the main steps: it breaks anything that needs other outbound ports (model downloads, pip, ...).\n"
                + "# Check: UFW=\"ufw --dry-run\" sh ufw-egress.sh\nset -eu\nUFW=\"${UFW:-ufw}\"\n"
                + "$UFW allow out 53 comment 'aiscan dns'\n$UFW allow out 123/udp comment 'aiscan ntp'\n"
                + "$UFW allow out 80/tcp comment 'aiscan http'\n$UFW allow out 443/tcp comment 'aiscan https'\n"
                + "$UFW default deny outgoing\n";
        out.files.put("ufw-egress.sh", text);
        out.checks.put("ufw-egress.sh", "UFW=\"ufw --dry-run\" sh ufw-egress.sh");
        out.tag(why, "ufw-egress.sh", "Outbound default deny (optional)", text.lines().filter(l -> l.startsWith("$UFW")).reduce((a, b) -> a + "\n" + b)
                .orElse(""));
    }
}
