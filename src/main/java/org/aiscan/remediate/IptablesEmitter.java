package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.audit.FrontEnd;
import org.aiscan.model.audit.HostSummary;

/**
 * iptables.rules and ip6tables.rules: on an iptables host the INPUT rules and DOCKER-USER; on a ufw
 * host the DOCKER-USER part alone (ufw does not manage FORWARD for Docker). Restore fragments with
 * {@code -I n}, so they come before what is there.
 */
final class IptablesEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        if (p.facts.mechanism == FrontEnd.IPTABLES) {
            iptables(out, p, p.header, p.facts, p.exposures, p.sshLimit, p.inactive4, p.inactive6);
        } else if (p.facts.mechanism != FrontEnd.NFTABLES) {
            dockerUser(out, p, p.header, p.facts, p.exposures, p.ds);
        }
    }

    void iptables(BundleFiles out, Plan plan, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> sshLimit,
                          boolean inactive4, boolean inactive6) {
        for (int fam : new int[] {4, 6}) {
            boolean anyInput = exposures.values().stream().anyMatch(e -> e.inputFamilies.contains(fam));
            boolean anyForward = exposures.values().stream().anyMatch(e -> e.forwardFamilies.contains(fam));
            boolean inactive = fam == 4 ? inactive4 : inactive6;
            boolean dockerUser = fam == 4 ? f.dockerUser4 : f.dockerUser6;
            boolean anyPreDnat = exposures.values().stream().anyMatch(e -> e.preDnat(fam));
            if (!anyInput && !inactive && !(anyForward && dockerUser) && !anyPreDnat && sshLimit.isEmpty()) {
                continue;
            }
            String file = fam == 4 ? "iptables.rules" : "ip6tables.rules";
            String tool = fam == 4 ? "iptables" : "ip6tables";
            StringBuilder s = new StringBuilder();
            s.append("# ").append(header).append(" — ").append(tool).append(" (IPv").append(fam).append(").\n")
                    .append("# Check:  ").append(tool).append("-restore --test --noflush < ").append(file).append('\n')
                    .append("# Apply:  ").append(tool).append("-restore --noflush < ").append(file)
                    .append("   (then persist it: netfilter-persistent save, or your own boot script)\n")
                    .append("# Rules are inserted at the top (-I n) so that they come before what is there already.\n*filter\n");
            int n = 1;
            List<String> input = new ArrayList<>();
            if (inactive) {
                s.append(":INPUT DROP [0:0]\n");
            }
            if (inactive || anyInput) {
                input.add("-I INPUT %d -i lo -j ACCEPT");
                input.add("-I INPUT %d -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
                input.add(fam == 4 ? "-I INPUT %d -p icmp -j ACCEPT" : "-I INPUT %d -p ipv6-icmp -j ACCEPT");
            }
            List<String> ssh = new ArrayList<>();
            if (!sshLimit.isEmpty()) {
                ssh.add("-I INPUT %d -p tcp -m tcp --dport " + f.sshPort + " -m conntrack --ctstate NEW -m recent --set --name aiscan-ssh --rsource");
                ssh.add("-I INPUT %d -p tcp -m tcp --dport " + f.sshPort + " -m conntrack --ctstate NEW -m recent --update --seconds 30 "
                        + "--hitcount 6 --name aiscan-ssh --rsource -j DROP");
            }
            if (inactive || anyInput || !sshLimit.isEmpty()) {
                ssh.add("-I INPUT %d -p tcp -m tcp --dport " + f.sshPort + " -j ACCEPT");
            }
            for (String l : input) {
                s.append(String.format(l, n++)).append('\n');
            }
            for (String l : ssh) {
                String line = String.format(l, n++);
                s.append(line).append('\n');
                out.tag(sshLimit, file, "Rate-limit SSH (" + tool + ")", line);
            }
            for (Exposure e : exposures.values()) {
                if (!e.inputFamilies.contains(fam)) {
                    continue;
                }
                List<String> block = new ArrayList<>();
                Set<Cidr> allowed = new LinkedHashSet<>(plan.trusted(fam));
                allowed.addAll(existingAllows(f.host, fam, e.port)); // networks the rules already allow keep their access
                for (Cidr t : allowed) {
                    block.add(String.format("-I INPUT %d -s %s -p tcp -m tcp --dport %d -j ACCEPT", n++, t, e.port));
                }
                block.add(String.format("-I INPUT %d -p tcp -m tcp --dport %d -j DROP", n++, e.port));
                for (String l : block) {
                    s.append(l).append('\n');
                    out.tag(e.because, file, "Close port " + e.port + " to everyone but the trusted networks (" + tool + ")", l);
                }
            }
            if (dockerUser) {
                dockerUserLines(s, out, plan, f, exposures, fam, file, tool);
            }
            s.append("COMMIT\n");
            preDnatLines(s, out, plan, f, exposures, fam, file, tool);
            out.files.put(file, s.toString());
            out.checks.put(file, tool + "-restore --test --noflush < " + file);
        }
    }

    /**
     * A drop in the raw table's PREROUTING, before any DNAT, for ports something other than Docker
     * forwards (a kube-proxy NodePort, Podman, LXD, a DNAT rule): no FORWARD rule of ours would come
     * before kube-proxy's accept, and kube-proxy never touches the raw table. Only connections to the
     * host's own addresses on the public interface are dropped; the trusted networks pass first.
     */
    void preDnatLines(StringBuilder s, BundleFiles out, Plan plan, Facts f, Map<Integer, Exposure> exposures, int fam, String file, String tool) {
        List<Exposure> pre = exposures.values().stream().filter(e -> e.preDnat(fam)).toList();
        if (pre.isEmpty()) {
            return;
        }
        String in = f.iface == null ? "" : "-i " + f.iface + " ";
        s.append("*raw\n");
        int n = 1;
        for (Exposure e : pre) {
            List<String> block = new ArrayList<>();
            for (Cidr t : plan.trusted(fam)) {
                block.add(String.format("-I PREROUTING %d %s-s %s -p tcp -m tcp --dport %d -j ACCEPT", n++, in, t, e.port));
            }
            block.add(String.format("-I PREROUTING %d %s-p tcp -m tcp --dport %d -m addrtype --dst-type LOCAL -j DROP", n++, in, e.port));
            for (String l : block) {
                s.append(l).append('\n');
                out.tag(e.because, file, "Drop new connections to port " + e.port + " before " + forwarder(e) + " DNAT (" + tool + " raw table)", l);
            }
        }
        s.append("COMMIT\n");
    }

    /** Whose DNAT forwards the port, for the fix's title: {@code kube-proxy's}, {@code Podman's}, … or {@code the}. */
    static String forwarder(Exposure e) {
        return switch (e.via) {
            case KUBERNETES_NODEPORT, KUBERNETES_SERVICE -> "kube-proxy's";
            case DOCKER -> "Docker's";
            case PODMAN -> "Podman's";
            case LXD -> "LXD's";
            default -> "the";
        };
    }

    /** DOCKER-USER rules for published ports: conntrack's original port, since DNAT has already rewritten the packet. */
    void dockerUserLines(StringBuilder s, BundleFiles out, Plan plan, Facts f, Map<Integer, Exposure> exposures, int fam, String file, String tool) {
        List<Exposure> fwd = exposures.values().stream().filter(e -> e.forwardFamilies.contains(fam) && !e.preDnat(fam)).toList();
        if (fwd.isEmpty()) {
            return;
        }
        String in = f.iface == null ? "" : "-i " + f.iface + " ";
        int n = 1;
        String est = String.format("-I DOCKER-USER %d -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN", n++);
        s.append(est).append('\n');
        for (Exposure e : fwd) {
            List<String> block = new ArrayList<>();
            block.add(est);
            for (Diagnosis d : e.because) {
                if (d.code() == DiagnosisCode.RATE_LIMIT_INEFFECTIVE) {
                    block.add(String.format("-I DOCKER-USER %d %s-p tcp -m conntrack --ctorigdstport %d --ctstate NEW -m connlimit "
                            + "--connlimit-above 8 --connlimit-mask %d -j DROP", n++, in, e.port, fam == 4 ? 32 : 128));
                    break;
                }
            }
            for (Cidr t : plan.trusted(fam)) {
                block.add(String.format("-I DOCKER-USER %d %s-s %s -p tcp -m conntrack --ctorigdstport %d --ctdir ORIGINAL -j RETURN", n++, in,
                        t, e.port));
            }
            block.add(String.format("-I DOCKER-USER %d %s-p tcp -m conntrack --ctorigdstport %d --ctdir ORIGINAL -j DROP", n++, in, e.port));
            for (String l : block.subList(1, block.size())) {
                s.append(l).append('\n');
            }
            for (String l : block) {
                out.tag(e.because, file, "Drop new connections to the published port " + e.port + " in DOCKER-USER (" + tool + ")", l);
            }
        }
    }

    /** On a ufw host, the DOCKER-USER part goes to iptables.rules on its own (ufw does not manage FORWARD for Docker). */
    void dockerUser(BundleFiles out, Plan plan, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> ds) {
        for (int fam : new int[] {4, 6}) {
            boolean dockerUser = fam == 4 ? f.dockerUser4 : f.dockerUser6;
            int family = fam;
            boolean docker = dockerUser && exposures.values().stream().anyMatch(e -> e.forwardFamilies.contains(family) && !e.preDnat(family));
            boolean pre = exposures.values().stream().anyMatch(e -> e.preDnat(family));
            if (!docker && !pre) {
                continue;
            }
            String file = fam == 4 ? "iptables.rules" : "ip6tables.rules";
            String tool = fam == 4 ? "iptables" : "ip6tables";
            StringBuilder s = new StringBuilder();
            s.append("# ").append(header).append(" — ").append(tool).append(docker ? ", DOCKER-USER (ports Docker publishes)" : "")
                    .append(pre ? ", raw table (ports forwarded by kube-proxy, Podman or another DNAT)" : "").append(".\n")
                    .append("# Check:  ").append(tool).append("-restore --test --noflush < ").append(file).append('\n')
                    .append("# Apply:  ").append(tool).append("-restore --noflush < ").append(file).append('\n')
                    .append(docker ? "# Persist on a ufw host: put the -I lines (as -A, same order) in a *filter block of /etc/ufw/after"
                            + (fam == 6 ? "6" : "") + ".rules.\n" : "")
                    .append(pre ? "# The *raw part drops forwarded ports before the DNAT; persist it with your boot script, or as a *raw block "
                            + "in /etc/ufw/before" + (fam == 6 ? "6" : "") + ".rules on a ufw host.\n" : "");
            if (docker) {
                s.append("*filter\n");
                dockerUserLines(s, out, plan, f, exposures, fam, file, tool);
                s.append("COMMIT\n");
            }
            preDnatLines(s, out, plan, f, exposures, fam, file, tool);
            out.files.put(file, s.toString());
            out.checks.put(file, tool + "-restore --test --noflush < " + file);
        }
    }

    /** Source networks that INPUT rules of this family already accept for the port. */
    private static List<Cidr> existingAllows(HostSummary v, int family, int port) {
        List<Cidr> out = new ArrayList<>();
        for (HostSummary.InputAllow a : v.inputAllows()) {
            if (a.family() == family && a.dport().equals(String.valueOf(port))) {
                try {
                    out.add(Cidr.parse(a.source()));
                } catch (IllegalArgumentException e) {
                    // a host name: not carried over
                }
            }
        }
        return out;
    }
}
