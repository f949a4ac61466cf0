package io.twinflow.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.twinflow.core.event.TelemetryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Partial aggregates computed anywhere (one Lambda batch, one Spark partition) must merge into the same
 * totals as aggregating everything at once. All data is drawn from seeded generators, so a failure
 * reproduces.
 */
class AggregateMergeTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:15:00Z");
    private static final String[] METRICS = {"battery", "humidity", "pressure", "temperature"};
    private static final double RELATIVE = 1e-12;
    private static final int ROUNDS = 200;

    /** Events carrying a random subset (never empty) of {@link #METRICS}, values from {@code value}. */
    private static List<TelemetryEvent> events(Random random, int n, DoubleSupplier value) {
        List<TelemetryEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Double> metrics = new TreeMap<>();
            for (String name : METRICS) {
                if (random.nextInt(4) != 0) {
                    metrics.put(name, value.getAsDouble());
                }
            }
            if (metrics.isEmpty()) {
                metrics.put(METRICS[random.nextInt(METRICS.length)], value.getAsDouble());
            }
            events.add(TelemetryEvent.of("e-" + i, "sensor-0042", T0.plusMillis(i), metrics));
        }
        return events;
    }

    /** Small integers: every partial sum is exact in a double, so any order gives identical sums. */
    private static List<TelemetryEvent> integerEvents(Random random, int n) {
        return events(random, n, () -> random.nextInt(-1000, 1001));
    }

    /**
     * Arbitrary positive doubles over several magnitudes. Positive, because with cancellation (a sum near
     * zero from large terms of both signs) no relative bound on the rounding error exists.
     */
    private static List<TelemetryEvent> doubleEvents(Random random, int n) {
        return events(random, n, () -> random.nextDouble() * Math.pow(10, random.nextInt(-3, 4)));
    }

    /** Aggregating one event after the other, the reference for everything else. */
    private static WindowAggregate allAtOnce(List<TelemetryEvent> events) {
        WindowAggregate total = WindowAggregate.EMPTY;
        for (TelemetryEvent e : events) {
            total = total.merge(WindowAggregate.of(e));
        }
        return total;
    }

    /** Splits the events into 1..8 contiguous random parts, aggregates each, and merges them shuffled. */
    private static WindowAggregate inRandomParts(Random random, List<TelemetryEvent> events) {
        List<WindowAggregate> parts = new ArrayList<>();
        int from = 0;
        int partCount = 1 + random.nextInt(8);
        for (int p = 0; p < partCount && from < events.size(); p++) {
            int to = p == partCount - 1 ? events.size() : from + random.nextInt(events.size() - from + 1);
            WindowAggregate.Builder builder = WindowAggregate.builder();
            events.subList(from, to).forEach(builder::add);
            parts.add(builder.build());
            from = to;
        }
        Collections.shuffle(parts, random);
        WindowAggregate merged = WindowAggregate.EMPTY;
        for (WindowAggregate part : parts) {
            merged = random.nextBoolean() ? merged.merge(part) : part.merge(merged);
        }
        return merged;
    }

    /** Counts, mins and maxes exactly equal; sums equal within {@link #RELATIVE}. */
    private static void assertSameUpToSumRounding(WindowAggregate actual, WindowAggregate expected) {
        assertThat(actual.eventCount()).isEqualTo(expected.eventCount());
        assertThat(actual.metrics().keySet()).isEqualTo(expected.metrics().keySet());
        expected.metrics().forEach((name, e) -> {
            MetricAggregate a = actual.metrics().get(name);
            assertThat(a.count()).as(name + " count").isEqualTo(e.count());
            assertThat(a.min()).as(name + " min").isEqualTo(e.min());
            assertThat(a.max()).as(name + " max").isEqualTo(e.max());
            assertThat(a.sum()).as(name + " sum").isCloseTo(e.sum(), within(RELATIVE * Math.abs(e.sum())));
        });
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void mergingPartialAggregatesEqualsAggregatingAllAtOnceExactlyForIntegerData() {
        Random random = new Random(1);
        for (int round = 0; round < ROUNDS; round++) {
            List<TelemetryEvent> events = integerEvents(random, 1 + random.nextInt(300));
            assertThat(inRandomParts(random, events)).isEqualTo(allAtOnce(events));
        }
    }

    @Test
    void mergingPartialAggregatesOfArbitraryDoublesDiffersOnlyInTheLastBitsOfSums() {
        Random random = new Random(2);
        for (int round = 0; round < ROUNDS; round++) {
            List<TelemetryEvent> events = doubleEvents(random, 1 + random.nextInt(300));
            assertSameUpToSumRounding(inRandomParts(random, events), allAtOnce(events));
        }
    }

    @Test
    void mergeIsAssociativeExactlyForIntegerData() {
        Random random = new Random(3);
        for (int round = 0; round < ROUNDS; round++) {
            WindowAggregate a = allAtOnce(integerEvents(random, 1 + random.nextInt(20)));
            WindowAggregate b = allAtOnce(integerEvents(random, 1 + random.nextInt(20)));
            WindowAggregate c = allAtOnce(integerEvents(random, 1 + random.nextInt(20)));
            assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        }
    }

    @Test
    void mergeIsAssociativeUpToRoundingForArbitraryDoubles() {
        Random random = new Random(4);
        for (int round = 0; round < ROUNDS; round++) {
            WindowAggregate a = allAtOnce(doubleEvents(random, 1 + random.nextInt(20)));
            WindowAggregate b = allAtOnce(doubleEvents(random, 1 + random.nextInt(20)));
            WindowAggregate c = allAtOnce(doubleEvents(random, 1 + random.nextInt(20)));
            assertSameUpToSumRounding(a.merge(b).merge(c), a.merge(b.merge(c)));
        }
    }

    @Test
    void floatingPointSumsAreNotAssociativeWhichIsWhySumsGetATolerance() {
        // (0.1 + 0.2) + 0.3 = 0.6000000000000001 but 0.1 + (0.2 + 0.3) = 0.6: the grouping of the
        // additions, i.e. how events fell into batches or partitions, shows in the last bit. Exact
        // equality of sums between streaming and batch would therefore be a false alarm.
        MetricAggregate a = MetricAggregate.of(0.1);
        MetricAggregate b = MetricAggregate.of(0.2);
        MetricAggregate c = MetricAggregate.of(0.3);

        MetricAggregate left = a.merge(b).merge(c);
        MetricAggregate right = a.merge(b.merge(c));

        assertThat(left.sum()).isNotEqualTo(right.sum());
        assertThat(left.sum()).isCloseTo(right.sum(), within(RELATIVE * Math.abs(right.sum())));
        assertThat(left.count()).isEqualTo(right.count());
        assertThat(left.min()).isEqualTo(right.min());
        assertThat(left.max()).isEqualTo(right.max());
    }

    @Test
    void mergeIsCommutativeExactlyEvenForArbitraryDoubles() {
        // A single IEEE 754 addition is commutative (x + y == y + x), so swapping two partials is exact.
        Random random = new Random(5);
        for (int round = 0; round < ROUNDS; round++) {
            WindowAggregate a = allAtOnce(doubleEvents(random, 1 + random.nextInt(20)));
            WindowAggregate b = allAtOnce(doubleEvents(random, 1 + random.nextInt(20)));
            assertThat(a.merge(b)).isEqualTo(b.merge(a));
        }
    }

    @Test
    void emptyIsTheIdentityOfMerge() {
        Random random = new Random(6);
        for (int round = 0; round < 50; round++) {
            WindowAggregate a = allAtOnce(doubleEvents(random, 1 + random.nextInt(20)));
            assertThat(WindowAggregate.EMPTY.merge(a)).isEqualTo(a);
            assertThat(a.merge(WindowAggregate.EMPTY)).isEqualTo(a);
        }
        assertThat(WindowAggregate.EMPTY.merge(WindowAggregate.EMPTY)).isEqualTo(WindowAggregate.EMPTY);
        assertThat(WindowAggregate.EMPTY.eventCount()).isZero();
        assertThat(WindowAggregate.EMPTY.metrics()).isEmpty();
    }

    @Test
    void builderMatchesMergingEventByEventExactly() {
        // Both add the values in the same order, so even the double sums agree to the bit.
        Random random = new Random(7);
        for (int round = 0; round < ROUNDS; round++) {
            List<TelemetryEvent> events = doubleEvents(random, random.nextInt(200));
            WindowAggregate.Builder builder = WindowAggregate.builder();
            events.forEach(builder::add);

            assertThat(builder.eventCount()).isEqualTo(events.size());
            assertThat(builder.build()).isEqualTo(allAtOnce(events));
        }
    }

    @Test
    void anEmptyBuilderBuildsEmpty() {
        assertThat(WindowAggregate.builder().build()).isEqualTo(WindowAggregate.EMPTY);
    }

    @Test
    void anAggregateCountsEventsAndEachMetricSeparately() {
        TelemetryEvent both = TelemetryEvent.of("a", "d", T0, Map.of("temperature", 20.0, "battery", 0.5));
        TelemetryEvent onlyTemperature = TelemetryEvent.of("b", "d", T0, Map.of("temperature", 30.0));

        WindowAggregate aggregate = WindowAggregate.of(both).merge(WindowAggregate.of(onlyTemperature));

        assertThat(aggregate.eventCount()).isEqualTo(2);
        assertThat(aggregate.metrics().get("temperature")).isEqualTo(new MetricAggregate(2, 50.0, 20.0, 30.0));
        assertThat(aggregate.metrics().get("temperature").avg()).isEqualTo(25.0);
        assertThat(aggregate.metrics().get("battery")).isEqualTo(new MetricAggregate(1, 0.5, 0.5, 0.5));
    }

    @Test
    void metricAggregateAddEqualsMergingASingleValue() {
        Random random = new Random(8);
        MetricAggregate viaAdd = MetricAggregate.of(random.nextGaussian());
        MetricAggregate viaMerge = viaAdd;
        for (int i = 0; i < 1000; i++) {
            double v = random.nextGaussian() * 100;
            viaAdd = viaAdd.add(v);
            viaMerge = viaMerge.merge(MetricAggregate.of(v));
        }
        assertThat(viaAdd).isEqualTo(viaMerge);
        assertThat(viaAdd.count()).isEqualTo(1001);
    }

    @Test
    void anAggregateOfNoValuesIsRejected() {
        assertThatThrownBy(() -> new MetricAggregate(0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowAggregate(-1, new TreeMap<>())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aggregatesAreImmutable() {
        WindowAggregate aggregate = WindowAggregate.of(TelemetryEvent.of("a", "d", T0, Map.of("temperature", 20.0)));
        assertThatThrownBy(() -> aggregate.metrics().put("x", MetricAggregate.of(1)))
                .isInstanceOf(UnsupportedOperationException.class);
        // Merged and built aggregates keep the map they filled without a copy: still read-only, and a later
        // merge leaves both inputs as they were.
        WindowAggregate other = WindowAggregate.builder().add(TelemetryEvent.of("b", "d", T0, Map.of("temperature", 22.0))).build();
        WindowAggregate merged = aggregate.merge(other);
        assertThatThrownBy(() -> other.metrics().put("x", MetricAggregate.of(1))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> merged.metrics().put("x", MetricAggregate.of(1))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(merged.merge(other).metrics().get("temperature").count()).isEqualTo(3);
        assertThat(aggregate.metrics().get("temperature").count()).isEqualTo(1);
        assertThat(merged.metrics().get("temperature")).isEqualTo(new MetricAggregate(2, 42.0, 20.0, 22.0));
    }
}
