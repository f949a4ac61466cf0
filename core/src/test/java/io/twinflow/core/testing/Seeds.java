package io.twinflow.core.testing;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Seeds for randomized tests. Each build draws new ones, so the generated inputs keep changing, and
 * prints them: {@code -Dtwinflow.seed=N} replays a failing try exactly (every try of that test then
 * uses the seeds derived from N, in the same order).
 */
public final class Seeds {

    public static final String PROPERTY = "twinflow.seed";

    private Seeds() {
    }

    /** {@code tries} seeds derived from {@code -Dtwinflow.seed} when given, from the clock otherwise. */
    public static LongStream of(String test, int tries) {
        Long fixed = Long.getLong(PROPERTY);
        long base = fixed != null ? fixed : System.nanoTime() ^ Double.doubleToLongBits(Math.random());
        System.out.printf("%s: -D%s=%d replays these tries%n", test, PROPERTY, base);
        SplittableRandom random = new SplittableRandom(base);
        return LongStream.generate(random::nextLong).limit(tries);
    }
}
