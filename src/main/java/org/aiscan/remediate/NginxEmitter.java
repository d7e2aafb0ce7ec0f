package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;

/**
 * nginx/aiscan-PORT.conf for each exposed service worth keeping reachable: TLS, a password and a
 * rate limit in front of it (template {@code nginx-site.conf.ftl}), on the host's public addresses.
 */
final class NginxEmitter implements Emitter {
    /** Codes whose service is worth an authenticating proxy when it must stay reachable. */
    static final DiagnosisCode[] PROXY = {DiagnosisCode.UNAUTHENTICATED_AI_API, DiagnosisCode.SETUP_TAKEOVER,
        DiagnosisCode.PLAINTEXT_BASIC_AUTH, DiagnosisCode.ADMIN_ENDPOINT_EXPOSED, DiagnosisCode.NO_RATE_LIMIT};

    @Override
    public void emit(Plan p, BundleFiles out) {
        Facts f = p.facts;
        for (Exposure e : p.exposures.values()) {
            List<Diagnosis> why = Plan.of(e.because, PROXY);
            if (why.isEmpty()) {
                continue;
            }
            String name = e.service == null ? "port " + e.port : e.service.name() == null ? e.service.id() : e.service.name();
            List<String> listens = new ArrayList<>();
            if (f.public4 != null) {
                listens.add(f.public4 + ":" + e.port);
            }
            if (f.public6 != null) {
                listens.add("[" + f.public6 + "]:" + e.port);
            }
            if (listens.isEmpty()) {
                listens.add(String.valueOf(e.port));
            }
            String text = Prose.render("nginx-site.conf.ftl", Map.of("name", Planner.safe(name), "port", e.port, "dir", p.opt.nginxDir(),
                    "zone", "aiscan_" + e.port, "listens", listens));
            String file = "nginx/aiscan-" + e.port + ".conf";
            out.files.put(file, text);
            out.checks.put(file, "nginx -t (with the file included in the http block)");
            out.tag(why, file, "Serve " + Planner.safe(name) + " through nginx with TLS, a password and a rate limit", text.trim());
        }
    }
}
