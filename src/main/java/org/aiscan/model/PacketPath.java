package org.aiscan.model;

/**
 * Which way a connection takes through a host's firewall: {@code INPUT} (to a local socket),
 * {@code FORWARD} (DNAT to a container or another host), {@code NONE} (dropped before routing), or
 * {@code OUTPUT} (a connection the host itself opens). Written as the constant's name.
 */
public enum PacketPath {
    INPUT, FORWARD, NONE, OUTPUT
}
