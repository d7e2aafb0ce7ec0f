package org.aiscan.host;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Recognises what a pasted file is from its content, for files whose names do not say: the first
 * format whose signature it carries. Signatures are lines each tool always prints (iptables-save's
 * {@code *table} and {@code COMMIT}, {@code iptables -S}'s {@code -P CHAIN POLICY}, nft's {@code table
 * FAMILY NAME {}, ufw's {@code Status: active}, netstat's and ss's column headers or rows, ip's
 * interface lines, …), never a guess from a single word.
 */
public final class Formats {
    /**
     * What a file was taken for.
     *
     * @param source the snapshot source it becomes, or null for a format aiscan recognises but does not evaluate
     * @param what in words, for the source's note
     * @param instead for a format not evaluated: what to give instead
     */
    public record Guess(@Nullable String source, String what, @Nullable String instead) {
    }

    private static final Pattern SAVE_TABLE = Pattern.compile("(?m)^\\*(filter|nat|mangle|raw|security)\\s*$");
    private static final Pattern COMMIT = Pattern.compile("(?m)^COMMIT\\s*$");
    private static final Pattern LISTING = Pattern.compile("(?m)^-(P|N|A) [A-Za-z0-9_.-]+");
    private static final Pattern LISTING_PROMPT = Pattern.compile("(?m)^(?:\\[[^\\]]*\\]|\\S*)[$#]\\s*(sudo\\s+)?ip6?tables(-legacy|-nft)?\\s+(-t\\s+\\w+\\s+)?-S\\b");
    private static final Pattern V6 = Pattern.compile("(?m)^-A .*(-s|-d) [0-9a-fA-F]*:[0-9a-fA-F:]*(/\\d+)?\\b|ip6tables");
    private static final Pattern NFT = Pattern.compile("(?m)^table (ip|ip6|inet|arp|bridge|netdev) \\S+ \\{");
    private static final Pattern UFW = Pattern.compile("(?m)^Status: (active|inactive)|^\\s*To\\s+Action\\s+From\\s*$");
    private static final Pattern NETSTAT = Pattern.compile("(?m)^(Proto Recv-Q Send-Q|(tcp|udp)6?\\s+\\d+\\s+\\d+\\s+\\S+:\\S+\\s+\\S+)");
    private static final Pattern SS = Pattern.compile("(?m)^(Netid\\s+State|State\\s+Recv-Q\\s+Send-Q|(tcp\\s+|udp\\s+)?(LISTEN|UNCONN)\\s+\\d+\\s+\\d+)");
    private static final Pattern IP_ADDR = Pattern.compile("(?m)^\\d+:\\s+\\S+:\\s+<[A-Z_,-]*>|^\\d+:\\s+\\S+\\s+inet6?\\s");
    private static final Pattern IP_BR = Pattern.compile("(?m)^\\S+\\s+(UP|DOWN|UNKNOWN)\\s+[0-9a-fA-F.:]+/\\d+");
    private static final Pattern ROUTE = Pattern.compile("(?m)^default via \\S+ dev \\S+|^[0-9.]+/\\d+ dev \\S+ proto");
    private static final Pattern IPTABLES_L = Pattern.compile("(?m)^\\W{0,3}Chain \\S+ \\((policy (ACCEPT|DROP)|\\d+ references)");
    private static final Pattern FIREWALLD = Pattern.compile("(?m)^\\s*\\S+( \\(active\\))?\\s*\\n\\s+target: ");
    private static final Pattern DOCKER = Pattern.compile("(?m)^CONTAINER ID\\s+IMAGE|^\\{\"Command\":|^[0-9a-f]{12};[^;\\n]*;[^\\n]*->\\d+/(tcp|udp)");

    private static final Pattern L_PROMPT_TABLE = Pattern.compile("(?m)^\\S*[#$]\\s*(?:sudo\\s+)?ip6?tables\\S*\\s.*?(?:-t\\s*|--table[=\\s]+)(\\w+)");

    private Formats() {
    }

    /** The table an {@code iptables -L} paste shows: the one its prompt line names, else the one its built-in chains say. */
    static String listingTable(String text) {
        java.util.regex.Matcher m = L_PROMPT_TABLE.matcher(text);
        if (m.find()) {
            return m.group(1);
        }
        boolean pre = text.contains("Chain PREROUTING (");
        boolean post = text.contains("Chain POSTROUTING (");
        boolean fwd = text.contains("Chain FORWARD (");
        return pre && fwd ? "mangle" : post ? "nat" : pre ? "raw" : "filter";
    }

    /** What {@code text} is, or null when no signature holds. */
    public static @Nullable Guess guess(String text) {
        if (SAVE_TABLE.matcher(text).find() && (COMMIT.matcher(text).find() || text.contains(":INPUT ") || text.contains(":PREROUTING "))) {
            boolean v6 = V6.matcher(text).find();
            return new Guess(v6 ? "iptables-v6" : "iptables-v4", (v6 ? "ip6tables-save" : "iptables-save") + " output", null);
        }
        if (LISTING.matcher(text).find() && text.lines().filter(l -> l.startsWith("-P ") || l.startsWith("-A ") || l.startsWith("-N ")).count() >= 2
                || LISTING_PROMPT.matcher(text).find()) {
            boolean v6 = V6.matcher(text).find();
            String table = IptablesSaveParser.tableOfPolicies(text);
            return new Guess("iptables-s-" + (table.equals("filter") ? "" : table + "-") + (v6 ? "v6" : "v4"), (v6 ? "ip6tables" : "iptables")
                    + (table.equals("filter") ? "" : " -t " + table) + " -S output", null);
        }
        if (NFT.matcher(text).find()) {
            return new Guess("nft", "nft list ruleset output", null);
        }
        if (UFW.matcher(text).find()) {
            if (text.contains("Default:")) {
                return new Guess("ufw-verbose", "ufw status verbose output", null);
            }
            return text.matches("(?s).*\\[\\s*\\d+\\].*") ? new Guess("ufw-numbered", "ufw status numbered output", null)
                    : new Guess("ufw-plain", "ufw status output", null);
        }
        if (IPTABLES_L.matcher(text).find()) {
            boolean v6 = V6.matcher(text).find() || text.contains("::/0");
            String table = listingTable(text);
            return new Guess("iptables-l-" + (table.equals("filter") ? "" : table + "-") + (v6 ? "v6" : "v4"), (v6 ? "ip6tables" : "iptables")
                    + (table.equals("filter") ? "" : " -t " + table) + " -L output (iptables-save or iptables -S is better: it keeps every match "
                    + "of every rule, and -L without -v hides the interfaces)", null);
        }
        if (FIREWALLD.matcher(text).find()) {
            return new Guess("firewalld", "firewall-cmd --list-all(-zones) output", null);
        }
        if (NETSTAT.matcher(text).find()) {
            return new Guess("netstat", "netstat output", null);
        }
        if (SS.matcher(text).find()) {
            return new Guess("ss-tcp", "ss output", null);
        }
        if (IP_ADDR.matcher(text).find() || IP_BR.matcher(text).find()) {
            return new Guess("ip-addr", "ip addr output", null);
        }
        if (ROUTE.matcher(text).find()) {
            return new Guess(text.contains(" via fe80:") || text.matches("(?s).*^[0-9a-f:]+/\\d+ dev.*") ? "ip-route-v6" : "ip-route-v4",
                    "ip route output", null);
        }
        if (DOCKER.matcher(text).find()) {
            return new Guess("docker-ps", "docker ps output", null);
        }
        return null;
    }
}
