package org.aiscan.remediate;

import java.util.List;
import java.util.Map;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.audit.Forwarder;

/** compose-ports.yml: each published port on loopback only. */
final class ComposeEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        compose(out, p.header, p.exposures);
    }

    private void compose(BundleFiles out, String header, Map<Integer, Exposure> exposures) {
        List<Exposure> fwd = exposures.values().stream().filter(e -> !e.forwardFamilies.isEmpty()
                && (e.via == Forwarder.DOCKER || e.via == Forwarder.OTHER)).toList(); // not kube-proxy's, Podman's, LXD's
        if (fwd.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder("# " + header + " — Docker port bindings.\n"
                + "# Publish on loopback only; put the nginx proxy in front if the service must stay reachable.\n"
                + "# In docker-compose.yml (or docker run -p 127.0.0.1:HOST:CONTAINER):\nservices:\n");
        for (Exposure e : fwd) {
            int cport = e.port;
            if (e.container != null && e.container.lastIndexOf(':') > 0) {
                cport = Integer.parseInt(e.container.substring(e.container.lastIndexOf(':') + 1));
            }
            String svc = e.service == null ? "service-on-" + e.port : e.service.id();
            String line = "  " + svc + ":\n    ports:\n      - \"127.0.0.1:" + e.port + ":" + cport + "\"   # was \"" + e.port + ":" + cport
                    + "\" (container " + e.container + ")";
            s.append(line).append('\n');
            out.tag(Plan.of(e.because, DiagnosisCode.DOCKER_BYPASSES_FIREWALL, DiagnosisCode.DOCKER_USER_TRUSTS_PRIVATE, DiagnosisCode.RATE_LIMIT_INEFFECTIVE), "compose-ports.yml",
                    "Publish port " + e.port + " on loopback only", line);
        }
        out.files.put("compose-ports.yml", s.toString());
    }
}
