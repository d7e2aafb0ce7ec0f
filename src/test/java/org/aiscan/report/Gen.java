package org.aiscan.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A value generator for property tests: a function of a seeded {@link Random}, so that a case is
 * repeated exactly from its seed. A small harness of our own (jqwik 1.10, the usual choice, asks
 * not to be used by AI coding agents; this project respects that), with the combinators the
 * writers' tests need and {@link #check} that runs the cases and names the failing seed.
 *
 * @param <T> what it generates
 */
@FunctionalInterface
interface Gen<T> {
    T next(Random r);

    default <U> Gen<U> map(Function<? super T, ? extends U> f) {
        return r -> f.apply(next(r));
    }

    default <U> Gen<U> flatMap(Function<? super T, Gen<U>> f) {
        return r -> f.apply(next(r)).next(r);
    }

    /** Null with probability {@code p}. */
    default Gen<T> orNull(double p) {
        return r -> r.nextDouble() < p ? null : next(r);
    }

    /** A list of 0 to {@code max} values. */
    default Gen<List<T>> list(int max) {
        return list(0, max);
    }

    default Gen<List<T>> list(int min, int max) {
        return r -> {
            int n = min + r.nextInt(max - min + 1);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(next(r));
            }
            return out;
        };
    }

    static <T> Gen<T> constant(T value) {
        return r -> value;
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(Arrays.asList(values));
    }

    static <T> Gen<T> of(List<T> values) {
        return r -> values.get(r.nextInt(values.size()));
    }

    static Gen<Integer> ints(int min, int max) {
        return r -> min + (int) (r.nextDouble() * ((long) max - min + 1));
    }

    static Gen<Long> longs(long min, long max) {
        return r -> min + (long) (r.nextDouble() * ((double) max - min));
    }

    static Gen<Long> anyLong() {
        return Random::nextLong;
    }

    static Gen<Boolean> bool() {
        return Random::nextBoolean;
    }

    /** One of the generators, each with its weight. */
    static <T> Gen<T> weighted(Map<Gen<T>, Integer> choices) {
        List<Gen<T>> gens = new ArrayList<>(choices.keySet());
        int[] weights = gens.stream().mapToInt(choices::get).toArray();
        int total = Arrays.stream(weights).sum();
        return r -> {
            int x = r.nextInt(total);
            for (int i = 0; i < weights.length; i++) {
                x -= weights[i];
                if (x < 0) {
                    return gens.get(i).next(r);
                }
            }
            throw new IllegalStateException();
        };
    }

    /** Weighted choice written inline: {@code weighted(3, a, 1, b)}. */
    @SuppressWarnings("unchecked")
    static <T> Gen<T> weighted(Object... weightThenGen) {
        Map<Gen<T>, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < weightThenGen.length; i += 2) {
            m.put((Gen<T>) weightThenGen[i + 1], (Integer) weightThenGen[i]);
        }
        return weighted(m);
    }

    /** Strings of 0 to {@code max} characters drawn by {@code chars}. */
    static Gen<String> string(Gen<Character> chars, int max) {
        return r -> {
            int n = r.nextInt(max + 1);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(chars.next(r));
            }
            return b.toString();
        };
    }

    static Gen<Character> chars(char from, char to) {
        return r -> (char) (from + r.nextInt(to - from + 1));
    }

    static Gen<Character> charsOf(String alphabet) {
        return r -> alphabet.charAt(r.nextInt(alphabet.length()));
    }

    static <A, B, R> Gen<R> zip(Gen<A> a, Gen<B> b, BiFunction<A, B, R> f) {
        return r -> f.apply(a.next(r), b.next(r));
    }

    /** A property over generated values. */
    @FunctionalInterface
    interface Property<T> {
        void check(T value) throws Exception;
    }

    /**
     * Runs {@code tries} cases, case i from seed {@code seed + i}; the first failure is rethrown
     * with the seed that repeats it ({@code -Daiscan.prop.seed=S -Daiscan.prop.tries=1}).
     */
    static <T> void check(int tries, long seed, Gen<T> gen, Property<T> property) throws Exception {
        long base = Long.getLong("aiscan.prop.seed", seed);
        int n = Integer.getInteger("aiscan.prop.tries", tries);
        for (int i = 0; i < n; i++) {
            long s = base + i;
            T value = gen.next(new Random(s));
            try {
                property.check(value);
            } catch (AssertionError | Exception e) {
                String shown = String.valueOf(value);
                throw new AssertionError("case " + i + " of " + n + " failed (repeat with -Daiscan.prop.seed=" + s
                        + " -Daiscan.prop.tries=1): " + e.getMessage() + "\n  case: " + (shown.length() > 4000 ? shown.substring(0, 4000) + "…" : shown), e);
            }
        }
    }
}
