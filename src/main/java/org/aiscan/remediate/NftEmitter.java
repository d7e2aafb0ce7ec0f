package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.audit.Forwarder;
import org.aiscan.model.audit.FrontEnd;

/** nftables.nft on nftables-only hosts: a table of its own whose input chain runs before the host's, and a pre-DNAT filter for published ports. */
final class NftEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        if (p.facts.mechanism == FrontEnd.NFTABLES) {
            nft(out, p, p.header, p.facts, p.exposures, p.sshLimit, p.inactive4 || p.inactive6);
        }
    }

    void nft(BundleFiles out, Plan plan, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> sshLimit, boolean inactive) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(header).append(" — nftables.\n# Check:  nft -c -f nftables.nft\n# Apply:  nft -f nftables.nft   ")
                .append("(persist: include it from /etc/nftables.conf)\n")
                .append("# Its input chain runs before the host's own (priority filter - 10): its drops are final, its accepts are not.\n");
        s.append("table inet aiscan {\n");
        if (!sshLimit.isEmpty()) {
            s.append("\tset ssh4 {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 1m\n\t\tsize 65536\n\t}\n");
            s.append("\tset ssh6 {\n\t\ttype ipv6_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 1m\n\t\tsize 65536\n\t}\n");
        }
        s.append("\tchain input {\n\t\ttype filter hook input priority filter - 10; policy ").append(inactive ? "drop" : "accept").append(";\n");
        s.append("\t\tct state established,related accept\n\t\tiifname \"lo\" accept\n");
        if (inactive) {
            s.append("\t\tmeta l4proto { icmp, ipv6-icmp } accept\n");
        }
        if (!sshLimit.isEmpty()) {
            String a = "\t\tmeta nfproto ipv4 tcp dport " + f.sshPort + " ct state new update @ssh4 { ip saddr limit rate over 6/minute burst 6 packets } drop";
            String b = "\t\tmeta nfproto ipv6 tcp dport " + f.sshPort + " ct state new update @ssh6 { ip6 saddr limit rate over 6/minute burst 6 packets } drop";
            s.append(a).append('\n').append(b).append('\n');
            out.tag(sshLimit, "nftables.nft", "Rate-limit SSH (nftables)", a.trim() + "\n" + b.trim());
        }
        if (inactive) {
            s.append("\t\ttcp dport ").append(f.sshPort).append(" accept\n");
        }
        for (Exposure e : exposures.values()) {
            if (e.inputFamilies.isEmpty()) {
                continue;
            }
            List<String> block = new ArrayList<>();
            for (Cidr t : plan.trusted(4)) {
                block.add("ip saddr " + t + " tcp dport " + e.port + " accept");
            }
            for (Cidr t : plan.trusted(6)) {
                block.add("ip6 saddr " + t + " tcp dport " + e.port + " accept");
            }
            block.add("tcp dport " + e.port + " drop");
            for (String l : block) {
                s.append("\t\t").append(l).append('\n');
                out.tag(e.because, "nftables.nft", "Close port " + e.port + " to everyone but the trusted networks (nftables)", l);
            }
        }
        s.append("\t}\n");
        List<Exposure> fwd = exposures.values().stream().filter(e -> !e.forwardFamilies.isEmpty()).toList();
        if (!fwd.isEmpty()) {
            s.append("\tchain prerouting {\n\t\ttype filter hook prerouting priority dstnat - 10; policy accept;\n");
            String in = f.iface == null ? "" : "iifname \"" + f.iface + "\" ";
            for (Exposure e : fwd) {
                List<String> block = new ArrayList<>();
                for (Cidr t : plan.trusted(4)) {
                    block.add(in + "ip saddr " + t + " tcp dport " + e.port + " accept");
                }
                for (Cidr t : plan.trusted(6)) {
                    block.add(in + "ip6 saddr " + t + " tcp dport " + e.port + " accept");
                }
                block.add(in + "fib daddr type local tcp dport " + e.port + " drop");
                for (String l : block) {
                    s.append("\t\t").append(l).append('\n');
                    out.tag(e.because, "nftables.nft", e.via == Forwarder.DOCKER || e.via == Forwarder.NONE
                            ? "Drop the published port " + e.port + " before Docker's DNAT (nftables)"
                            : "Drop new connections to port " + e.port + " before " + IptablesEmitter.forwarder(e) + " DNAT (nftables)", l);
                }
            }
            s.append("\t}\n");
        }
        s.append("}\n");
        out.files.put("nftables.nft", s.toString());
        out.checks.put("nftables.nft", "nft -c -f nftables.nft");
    }
}
