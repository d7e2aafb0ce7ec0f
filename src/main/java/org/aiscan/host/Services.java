package org.aiscan.host;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Service names as {@code /etc/services} spells them, where tools print them instead of numbers
 * ({@code netstat} without {@code -n}, {@code iptables -L} without {@code -n}, {@code ssh} in an
 * nft rule or a ufw row): one table for every reader and both firewall evaluators.
 */
public final class Services {
    private static final Map<String, Integer> PORTS = Map.ofEntries(Map.entry("ssh", 22), Map.entry("http", 80), Map.entry("https", 443),
            Map.entry("domain", 53), Map.entry("smtp", 25), Map.entry("submission", 587), Map.entry("submissions", 465), Map.entry("smtps", 465),
            Map.entry("urd", 465), Map.entry("imap", 143), Map.entry("imap2", 143), Map.entry("imaps", 993), Map.entry("pop3", 110),
            Map.entry("pop3s", 995), Map.entry("mysql", 3306), Map.entry("postgresql", 5432), Map.entry("ipp", 631),
            Map.entry("http-alt", 8080), Map.entry("webcache", 8080), Map.entry("redis", 6379), Map.entry("ftp", 21),
            Map.entry("ftp-data", 20), Map.entry("telnet", 23), Map.entry("sunrpc", 111), Map.entry("bootpc", 68), Map.entry("bootps", 67),
            Map.entry("ntp", 123), Map.entry("mdns", 5353), Map.entry("x11", 6000), Map.entry("rsync", 873), Map.entry("ldap", 389),
            Map.entry("ldaps", 636), Map.entry("microsoft-ds", 445), Map.entry("netbios-ns", 137), Map.entry("netbios-dgm", 138),
            Map.entry("netbios-ssn", 139), Map.entry("amqp", 5672), Map.entry("mongodb", 27017), Map.entry("snmp", 161),
            Map.entry("snmp-trap", 162), Map.entry("tftp", 69), Map.entry("openvpn", 1194), Map.entry("ms-sql-s", 1433),
            Map.entry("ms-wbt-server", 3389), Map.entry("sip", 5060), Map.entry("isakmp", 500), Map.entry("ipsec-nat-t", 4500),
            Map.entry("kerberos", 88), Map.entry("auth", 113), Map.entry("syslog", 514), Map.entry("nfs", 2049), Map.entry("squid", 3128),
            Map.entry("xmpp-client", 5222), Map.entry("xmpp-server", 5269), Map.entry("domain-s", 853), Map.entry("git", 9418),
            Map.entry("wireguard", 51820), Map.entry("ircd", 6667), Map.entry("epmd", 4369), Map.entry("zabbix-agent", 10050),
            Map.entry("zabbix-trapper", 10051), Map.entry("nrpe", 5666), Map.entry("memcache", 11211), Map.entry("svn", 3690));

    private Services() {
    }

    /** The port of {@code 22} or {@code ssh}; -1 for a name not in the table or anything else. */
    public static int port(@Nullable String nameOrNumber) {
        if (nameOrNumber == null) {
            return -1;
        }
        String s = nameOrNumber.trim();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() <= 5) {
            int p = Integer.parseInt(s);
            return p <= 65535 ? p : -1;
        }
        return PORTS.getOrDefault(s.toLowerCase(Locale.ROOT), -1);
    }
}
