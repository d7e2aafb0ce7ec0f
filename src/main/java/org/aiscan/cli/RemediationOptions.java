package org.aiscan.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Fix;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.remediate.Bundle;
import org.aiscan.remediate.BundleWriter;
import org.aiscan.remediate.Planner;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --remediation DIR}, {@code --trusted CIDR}: the remediation bundle (audit and report). */
public final class RemediationOptions {
    @Nullable Path dir;
    List<String> trusted = new ArrayList<>();
    String nginxDir;

    /** Adds these options to a command (declared in code: see {@link OptionTable}). */
    void addTo(CommandSpec command) {
        OptionTable t = OptionTable.of(this);
        t.option("--remediation").label("DIR")
                .about("Write a remediation bundle per host into DIR/<host>/: firewall rules, Docker bindings, nginx, fail2ban, README.")
                .value(Path.class, v -> dir = v);
        t.option("--trusted").label("CIDR").split(",")
                .about("Networks that keep access to the ports the bundle closes (default: none; SSH always stays open).")
                .list(String.class, () -> trusted, v -> trusted = v);
        t.option("--nginx-dir").label("DIR").defaultValue("/etc/nginx/aiscan")
                .about("Where the nginx proxies expect tls.crt, tls.key and htpasswd on the host (default: ${DEFAULT-VALUE}).")
                .value(String.class, v -> nginxDir = v);
        command.addMixin("remediation", t.spec());
    }

    /** The bundles (empty without --remediation and --trusted) and the snippets per diagnosis for the reports. */
    record Result(List<Bundle> bundles, Map<Diagnosis, List<Fix>> fixes) {
        static final Result NONE = new Result(List.of(), Map.of());
    }

    Result plan(AuditResult audit, java.time.Clock clock) throws IOException {
        List<Cidr> nets = new ArrayList<>();
        for (String t : trusted) {
            try {
                nets.add(Cidr.parse(t));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--trusted " + t + ": not an address or CIDR block");
            }
        }
        List<Bundle> bundles = new ArrayList<>();
        Map<Diagnosis, List<Fix>> fixes = new LinkedHashMap<>();
        if (dir == null && nets.isEmpty()) {
            return new Result(bundles, fixes);
        }
        Planner planner = new Planner(new Planner.Options(nets, nginxDir), VersionProvider.version(), clock);
        for (HostAudit h : audit.hosts()) {
            Bundle b = planner.plan(h, audit.diagnoses());
            bundles.add(b);
            fixes.putAll(b.fixes());
        }
        return new Result(bundles, fixes);
    }

    List<Path> write(Result r) throws IOException {
        return dir == null ? List.of() : BundleWriter.write(dir, r.bundles());
    }
}
