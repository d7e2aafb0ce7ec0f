package org.aiscan.target;

import java.util.Arrays;
import java.util.BitSet;
import org.aiscan.model.PortRanges;

/** An immutable, sorted set of distinct TCP ports (1-65535). */
public final class PortList {
    private final int[] ports;

    private PortList(int[] sortedDistinct) {
        this.ports = sortedDistinct;
    }

    public static PortList of(BitSet set) {
        return new PortList(set.stream().toArray());
    }

    public static PortList of(int... ports) {
        BitSet b = new BitSet(65536);
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
            b.set(p);
        }
        return of(b);
    }

    public int size() {
        return ports.length;
    }

    public int get(int i) {
        return ports[i];
    }

    /** The index of a port in ascending order, or -1. */
    public int indexOf(int port) {
        int i = Arrays.binarySearch(ports, port);
        return i < 0 ? -1 : i;
    }

    public boolean contains(int port) {
        return Arrays.binarySearch(ports, port) >= 0;
    }

    public int[] toArray() {
        return ports.clone();
    }

    /** Compact nmap-style text: {@code 22,8000-8002,11434}. */
    public String toSpec() {
        return PortRanges.format(ports);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortList p && Arrays.equals(p.ports, ports);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ports);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
