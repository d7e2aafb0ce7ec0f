package org.aiscan.target;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;

/**
 * The final set of addresses to probe: the union of all target ranges minus every exclusion,
 * stored as disjoint sorted ranges (IPv4 first) with an index so that {@link #get(long)} maps
 * 0..size-1 to an address in O(log ranges) and no address list is ever materialised.
 */
public final class TargetSet {
    /** Largest number of addresses a plan can index (address × port must fit a long). */
    public static final long MAX_ADDRESSES = 1L << 40;

    /** How much of the targets one exclusion entry removed. */
    public record ExclusionHit(ExclusionList.Entry entry, BigInteger removed) {
    }

    private final List<AddressRange> ranges;
    private final long[] cumulative; // cumulative[i] = number of addresses before range i
    private final long size;
    private final BigInteger requested;
    private final List<ExclusionHit> hits;

    private TargetSet(List<AddressRange> ranges, BigInteger requested, List<ExclusionHit> hits) {
        this.ranges = List.copyOf(ranges);
        this.cumulative = new long[ranges.size()];
        long total = 0;
        for (int i = 0; i < ranges.size(); i++) {
            cumulative[i] = total;
            total += ranges.get(i).count().longValueExact();
        }
        this.size = total;
        this.requested = requested;
        this.hits = List.copyOf(hits);
    }

    /** Merges the targets, removes the exclusions and indexes the rest. */
    public static TargetSet build(List<AddressRange> targets, ExclusionList exclusions) {
        List<Span> merged = merge(targets);
        BigInteger requested = BigInteger.ZERO;
        for (Span s : merged) {
            requested = requested.add(s.count());
        }
        List<ExclusionHit> hits = new ArrayList<>();
        List<Span> current = merged;
        for (ExclusionList.Entry e : exclusions.entries()) {
            Span cut = Span.of(e.range());
            List<Span> next = new ArrayList<>();
            BigInteger removed = BigInteger.ZERO;
            for (Span s : current) {
                if (s.v6 != cut.v6 || s.last.compareTo(cut.first) < 0 || s.first.compareTo(cut.last) > 0) {
                    next.add(s);
                    continue;
                }
                BigInteger lo = s.first.max(cut.first);
                BigInteger hi = s.last.min(cut.last);
                removed = removed.add(hi.subtract(lo).add(BigInteger.ONE));
                if (s.first.compareTo(cut.first) < 0) {
                    next.add(new Span(s.v6, s.first, cut.first.subtract(BigInteger.ONE)));
                }
                if (s.last.compareTo(cut.last) > 0) {
                    next.add(new Span(s.v6, cut.last.add(BigInteger.ONE), s.last));
                }
            }
            if (removed.signum() > 0) {
                hits.add(new ExclusionHit(e, removed));
            }
            current = next;
        }
        BigInteger total = BigInteger.ZERO;
        List<AddressRange> out = new ArrayList<>();
        for (Span s : current) {
            total = total.add(s.count());
            out.add(s.toRange());
        }
        if (total.compareTo(BigInteger.valueOf(MAX_ADDRESSES)) > 0) {
            throw new InvalidInputException("the targets hold " + total + " addresses, more than aiscan can index ("
                    + MAX_ADDRESSES + "); split the scan or use smaller IPv6 prefixes");
        }
        return new TargetSet(out, requested, hits);
    }

    /** Number of addresses to probe. */
    public long size() {
        return size;
    }

    /** Number of distinct addresses the targets named before exclusions. */
    public BigInteger requested() {
        return requested;
    }

    public List<AddressRange> ranges() {
        return ranges;
    }

    public List<ExclusionHit> exclusionHits() {
        return hits;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The address at {@code index} (0-based) in ascending order. */
    public Address get(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index + " not in [0," + size + ")");
        }
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (cumulative[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return ranges.get(lo).first().plus(index - cumulative[lo]);
    }

    /** The index of an address ({@code get(indexOf(a)) == a}), or -1 if it is not a target. */
    public long indexOf(Address a) {
        int lo = 0;
        int hi = ranges.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ranges.get(mid).first().compareTo(a) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || !ranges.get(found).contains(a)) {
            return -1;
        }
        Address first = ranges.get(found).first();
        return cumulative[found] + (a.lo() - first.lo()); // within one range the offset fits in the low half
    }

    /** Whether an address is one of the targets. */
    public boolean contains(Address a) {
        for (AddressRange r : ranges) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static List<Span> merge(List<AddressRange> targets) {
        List<Span> spans = new ArrayList<>();
        for (AddressRange r : targets) {
            spans.add(Span.of(r));
        }
        spans.sort(Comparator.comparing((Span s) -> s.v6).thenComparing(s -> s.first));
        List<Span> out = new ArrayList<>();
        for (Span s : spans) {
            if (!out.isEmpty()) {
                Span last = out.get(out.size() - 1);
                if (last.v6 == s.v6 && s.first.compareTo(last.last.add(BigInteger.ONE)) <= 0) {
                    if (s.last.compareTo(last.last) > 0) {
                        out.set(out.size() - 1, new Span(s.v6, last.first, s.last));
                    }
                    continue;
                }
            }
            out.add(s);
        }
        return out;
    }

    private record Span(boolean v6, BigInteger first, BigInteger last) {
        static Span of(AddressRange r) {
            return new Span(r.isV6(), AddressRange.toBig(r.first()), AddressRange.toBig(r.last()));
        }

        BigInteger count() {
            return last.subtract(first).add(BigInteger.ONE);
        }

        AddressRange toRange() {
            return new AddressRange(toAddress(first), toAddress(last), "");
        }

        private Address toAddress(BigInteger v) {
            if (!v6) {
                return Address.v4(v.longValueExact());
            }
            return Address.v6(v.shiftRight(64).longValue(), v.longValue());
        }
    }
}
