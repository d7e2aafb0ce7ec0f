package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Remedy;

/**
 * README.md (template {@code README.md.ftl}): the files in the order to apply them, each with its
 * check and the diagnoses it addresses; the loopback binds; what no rule fixes (upgrades, the setup
 * takeover, one firewall front-end). Written last, listed first.
 */
final class ReadmeEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Map.Entry<String, String> c : out.checks.entrySet()) {
            String file = c.getKey();
            if (file.equals("ufw-egress.sh")) {
                continue;
            }
            List<String> closes = new ArrayList<>();
            for (Map.Entry<Diagnosis, Map<String, List<String>>> e : out.lines.entrySet()) {
                if (e.getValue().containsKey(file)) {
                    closes.add(e.getKey().code() + " " + Planner.md(e.getKey().where()));
                }
            }
            steps.add(Map.of("file", file, "check", c.getValue(), "addresses", String.join("; ", new LinkedHashSet<>(closes))));
        }
        List<String> binds = new ArrayList<>();
        for (Exposure e : p.exposures.values()) {
            if (e.service != null && e.service.id() != null && p.bindHints.containsKey(e.service.id())) {
                binds.add(Planner.md(e.service.name() == null ? e.service.id() : e.service.name()) + " on " + e.port + ": "
                        + p.bindHints.get(e.service.id()).replace("{port}", String.valueOf(e.port)));
            }
        }
        Map<String, Object> model = new LinkedHashMap<>();
        String title = Planner.md(p.host.hostname());
        model.put("title", title.isBlank() ? "(no host name)" : title);
        model.put("version", Planner.md(p.version));
        model.put("source", p.host.snapshotFile() == null ? "the snapshot" : Planner.md(String.valueOf(p.host.snapshotFile().getFileName())));
        model.put("mechanism", p.facts.mechanism.key());
        model.put("trusted", p.opt.trusted().isEmpty() ? "none (pass --trusted CIDR)"
                : String.join(", ", p.opt.trusted().stream().map(Object::toString).toList()));
        model.put("sshPort", p.facts.sshPort);
        model.put("steps", steps);
        model.put("binds", binds);
        model.put("advice", List.copyOf(new LinkedHashSet<>(advice(p, out))));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("README.md", Prose.render("README.md.ftl", model));
        files.putAll(out.files);
        out.files.clear();
        out.files.putAll(files);
    }

    /**
     * The lasting fix for a Kubernetes Service: a ClusterIP behind an authenticating Ingress, or
     * NodePorts on private node addresses only; the raw-table drop is the safety net.
     */
    private static String kubernetes(Diagnosis d) {
        String svc = d.remediation().isEmpty() ? null : d.remediation().get(0).params().get("k8s_service");
        String how = "make the Service a ClusterIP and reach it through an Ingress with authentication (or `kubectl port-forward`)";
        if (svc != null && svc.matches("[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*(:[A-Za-z0-9-]*)?")) {
            String ns = svc.substring(0, svc.indexOf('/'));
            String name = svc.substring(svc.indexOf('/') + 1).replaceAll(":.*", "");
            how = "make `" + ns + "/" + name + "` a ClusterIP (`kubectl -n " + ns + " patch service " + name
                    + " -p '{\"spec\":{\"type\":\"ClusterIP\"}}'`) and reach it through an Ingress with authentication";
        }
        return Planner.md(d.where()) + " (Kubernetes): " + how + ", or let kube-proxy open NodePorts on private node addresses only "
                + "(`nodePortAddresses` in its KubeProxyConfiguration, `--nodeport-addresses`). The drop before the DNAT in this bundle is "
                + "the safety net: kube-proxy rewrites its own chains at every sync, never the raw table nor a table of yours.";
    }

    /** The lasting fix for a port another tool forwards, by the remediation kinds its diagnosis carries. */
    private static String forwarded(Diagnosis d) {
        List<String> kinds = d.remediation().stream().map(Remedy::kind).toList();
        int port = d.port();
        if (kinds.contains("publish-loopback")) {
            return "publish it on loopback only (`podman run -p 127.0.0.1:" + port + ":…`, or `PublishPort=127.0.0.1:" + port
                    + ":…` in its quadlet); the drop before the DNAT in this bundle is the safety net.";
        }
        if (kinds.contains("lxd-proxy-loopback")) {
            return "listen on loopback only in the LXD proxy device (`listen=tcp:127.0.0.1:" + port
                    + "`); the drop before the DNAT in this bundle is the safety net.";
        }
        return "remove the DNAT rule that forwards it, or limit it to the addresses that need it; the drop before the DNAT in this "
                + "bundle is the safety net.";
    }

    private static List<String> advice(Plan p, BundleFiles out) {
        List<String> advice = new ArrayList<>();
        for (Diagnosis d : p.ds) {
            switch (d.code()) {
                case KNOWN_CVE -> advice.add("Upgrade " + Planner.md(d.where()) + ": " + Planner.md(d.why()));
                case SETUP_TAKEOVER -> advice.add(Planner.md(d.where()) + ": create the administrator account now, from a trusted "
                        + "network, and turn off open sign-up.");
                case FIREWALL_STACK_SPLIT -> advice.add("Keep the firewall in one front-end (" + Planner.md(d.why()) + ")");
                case KUBERNETES_SERVICE_EXPOSED -> advice.add(kubernetes(d));
                case DNAT_BYPASSES_FIREWALL -> advice.add(Planner.md(d.where()) + ": " + forwarded(d));
                case WIDE_BIND_LATENT -> advice.add(Planner.md(d.where()) + ": " + Planner.md(d.why()) + " Bind it to loopback or one address.");
                default -> {
                }
            }
        }
        if (out.files.containsKey("ufw-egress.sh")) {
            advice.add("Optional: `ufw-egress.sh` limits outbound connections (check with `" + out.checks.get("ufw-egress.sh") + "`).");
        }
        return advice;
    }
}
