package org.aiscan.audit;

import java.util.Locale;

/**
 * An {@code iptables-save} of a kube-proxy (iptables mode, 1.28+) node written the way kube-proxy's
 * proxier writes it: NodePort → KUBE-EXT (masquerade mark) → KUBE-SVC (one {@code -m statistic}
 * rule per endpoint but the last) → KUBE-SEP (DNAT), a ClusterIP rule per service, the nodeports
 * rule last in KUBE-SERVICES, KUBE-FORWARD accepting the masquerade mark, nfacct counters. The host's
 * own INPUT drops everything but SSH, so every NodePort passes only through kube-proxy's DNAT.
 */
final class KubeProxyNode {
    private KubeProxyNode() {
    }

    /** The chain-name hash kube-proxy derives from the service port name (base32 of a SHA-256), here from a counter. */
    static String hash(String kind, int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder s = new StringBuilder();
        long x = (n + 1L) * 0x9E3779B97F4A7C15L ^ kind.hashCode();
        for (int i = 0; i < 16; i++) {
            s.append(alphabet.charAt((int) ((x >>> (i * 4)) & 31)));
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return s.toString();
    }

    /** NodePort of service i: 30000 + i. */
    static int nodePort(int i) {
        return 30000 + i;
    }

    static String iptablesSave(int services, int endpoints) {
        StringBuilder f = new StringBuilder();
        StringBuilder n = new StringBuilder();
        StringBuilder fc = new StringBuilder();
        StringBuilder nc = new StringBuilder();
        f.append("-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL\n");
        f.append("-A INPUT -m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS\n");
        f.append("-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally visible service portals\" -j KUBE-EXTERNAL-SERVICES\n");
        f.append("-A INPUT -j KUBE-FIREWALL\n");
        f.append("-A INPUT -i lo -j ACCEPT\n");
        f.append("-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        f.append("-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n");
        f.append("-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL\n");
        f.append("-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD\n");
        f.append("-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
        f.append("-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally visible service portals\" -j KUBE-EXTERNAL-SERVICES\n");
        f.append("-A OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL\n");
        f.append("-A OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
        f.append("-A OUTPUT -j KUBE-FIREWALL\n");
        f.append("-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment \"block incoming localnet connections\" "
                + "-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n");
        f.append("-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP\n");
        f.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT\n");
        f.append("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        n.append("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
        n.append("-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n");
        n.append("-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n");
        n.append("-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n");
        n.append("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n");
        n.append("-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n");
        n.append("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n");
        StringBuilder nodeports = new StringBuilder();
        StringBuilder services2 = new StringBuilder();
        for (int i = 0; i < services; i++) {
            String name = String.format(Locale.ROOT, "ai/model-%d:http", i);
            String svc = "KUBE-SVC-" + hash("svc", i);
            String ext = "KUBE-EXT-" + hash("svc", i);
            String clusterIp = "10.96." + (i / 250) + "." + (i % 250 + 1);
            nc.append(':').append(svc).append(" - [0:0]\n").append(':').append(ext).append(" - [0:0]\n");
            nodeports.append("-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment \"").append(name)
                    .append("\" -m tcp --dport ").append(nodePort(i)).append(" -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j ")
                    .append(ext).append('\n');
            nodeports.append("-A KUBE-NODEPORTS -p tcp -m comment --comment \"").append(name).append("\" -m tcp --dport ").append(nodePort(i))
                    .append(" -j ").append(ext).append('\n');
            services2.append("-A KUBE-SERVICES -d ").append(clusterIp).append("/32 -p tcp -m comment --comment \"").append(name)
                    .append(" cluster IP\" -m tcp --dport 8000 -j ").append(svc).append('\n');
            n.append("-A ").append(ext).append(" -m comment --comment \"masquerade traffic for ").append(name)
                    .append(" external destinations\" -j KUBE-MARK-MASQ\n");
            n.append("-A ").append(ext).append(" -j ").append(svc).append('\n');
            n.append("-A ").append(svc).append(" ! -s 10.244.0.0/16 -d ").append(clusterIp).append("/32 -p tcp -m comment --comment \"")
                    .append(name).append(" cluster IP\" -m tcp --dport 8000 -j KUBE-MARK-MASQ\n");
            for (int e = 0; e < endpoints; e++) {
                String sep = "KUBE-SEP-" + hash("sep", i * 64 + e);
                String pod = "10.244." + (e + 1) + "." + (i % 250 + 2);
                nc.append(':').append(sep).append(" - [0:0]\n");
                n.append("-A ").append(svc).append(" -m comment --comment \"").append(name).append(" -> ").append(pod).append(":8000\"");
                if (e < endpoints - 1) {
                    n.append(String.format(Locale.ROOT, " -m statistic --mode random --probability %.11f", 1.0 / (endpoints - e)));
                }
                n.append(" -j ").append(sep).append('\n');
                n.append("-A ").append(sep).append(" -s ").append(pod).append("/32 -m comment --comment \"").append(name)
                        .append("\" -j KUBE-MARK-MASQ\n");
                n.append("-A ").append(sep).append(" -p tcp -m comment --comment \"").append(name).append("\" -m tcp -j DNAT --to-destination ")
                        .append(pod).append(":8000\n");
            }
        }
        n.append(services2);
        n.append("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" "
                + "-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n");
        n.append(nodeports);
        return "# Generated by iptables-nft-save v1.8.9 (nf_tables)\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-FIREWALL - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-KUBELET-CANARY - [0:0]\n"
                + ":KUBE-NODEPORTS - [0:0]\n:KUBE-PROXY-CANARY - [0:0]\n:KUBE-PROXY-FIREWALL - [0:0]\n:KUBE-SERVICES - [0:0]\n" + fc + f
                + "COMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                + ":KUBE-MARK-MASQ - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-SERVICES - [0:0]\n" + nc + n
                + "COMMIT\n";
    }
}
