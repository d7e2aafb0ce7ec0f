package org.aiscan.remediate;

import java.util.List;
import java.util.Map;
import org.aiscan.model.Auth;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.PacketPath;
import org.aiscan.model.Service;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;

/** fail2ban/aiscan.local: SSH, and the authenticating proxy when one answers. */
final class Fail2banEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        fail2ban(out, p.header, p.host, p.facts, p.ds, p.exposures);
    }

    private void fail2ban(BundleFiles out, String header, HostAudit h, Facts f, List<Diagnosis> ds, Map<Integer, Exposure> exposures) {
        List<Diagnosis> why = Plan.of(ds, DiagnosisCode.NO_BRUTEFORCE_PROTECTION);
        if (why.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder("# " + header + " — fail2ban.\n# Copy to /etc/fail2ban/jail.d/aiscan.local; check: fail2ban-client -t; "
                + "then systemctl restart fail2ban.\n");
        s.append("\n[sshd]\nenabled  = true\nbackend  = systemd\nport     = ").append(f.sshPort)
                .append("\nmaxretry = 5\nfindtime = 10m\nbantime  = 1h\n");
        for (EndpointCheck e : h.endpoints()) {
            Service svc = e.service();
            if (svc != null && svc.access() == Auth.REQUIRED && "proxy".equals(svc.authDetail()) && e.open()) {
                boolean published = e.prediction().path() == PacketPath.FORWARD;
                s.append("\n[nginx-http-auth]\nenabled  = true\nport     = ").append(e.port()).append('\n');
                if (published) {
                    s.append("# the port is published by Docker: bans must go where its traffic passes\nchain    = DOCKER-USER\n");
                }
                break;
            }
        }
        out.files.put("fail2ban/aiscan.local", s.toString());
        out.checks.put("fail2ban/aiscan.local", "fail2ban-client -t (with the file in /etc/fail2ban/jail.d/)");
        // the snippet is the file without its first line, which names the host: the same jails on several hosts are one action
        out.tag(why, "fail2ban/aiscan.local", "Ban sources that keep failing to log in (fail2ban)", s.substring(s.indexOf("\n") + 1).trim());
    }
}
