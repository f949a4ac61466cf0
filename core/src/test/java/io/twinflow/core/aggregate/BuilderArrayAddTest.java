package io.twinflow.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.event.TelemetryEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The batch rollup adds its copies' metrics as arrays, the stream processor adds events: both must give
 * the same bits for the same metrics in the same order, or a day's summary could differ from the
 * stream's in the last digit.
 */
class BuilderArrayAddTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:15:00Z");

    /** Finite values where rounding, signed zeros, subnormals and overflow to infinity in a sum show. */
    private static final double[] EDGES = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
        1e308, -1e308, 0.1, 0.2, 0.3, 1e-300, 1e16, 1.0, -1.0, 3.0e-5, 123456789.123456789,
    };

    @Test
    void arrayAddAndEventAddGiveBitIdenticalAggregatesOnManyMetricsRepeatedAcrossEvents() {
        Random random = new Random(18);
        String[] pool = new String[60];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = "m" + i;
        }
        for (int round = 0; round < 50; round++) {
            WindowAggregate.Builder byEvent = WindowAggregate.builder();
            WindowAggregate.Builder byArrays = WindowAggregate.builder();
            int events = 1 + random.nextInt(300);
            for (int e = 0; e < events; e++) {
                // Any subset of the pool (names recur across events in varying company), sometimes none.
                TreeMap<String, Double> metrics = new TreeMap<>();
                int count = random.nextInt(4) == 0 ? random.nextInt(pool.length + 1) : random.nextInt(4);
                for (int k = 0; k < count; k++) {
                    double v = random.nextBoolean()
                            ? EDGES[random.nextInt(EDGES.length)]
                            : random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30));
                    metrics.put(pool[random.nextInt(pool.length)], v);
                }
                byEvent.add(TelemetryEvent.of("e-" + e, "sensor-1", T0.plusMillis(e), metrics));
                byArrays.add(names(metrics), values(metrics));
            }
            assertBitIdentical(byArrays.build(), byEvent.build());
            assertThat(byArrays.eventCount()).isEqualTo(events);
        }
    }

    @Test
    void signedZerosAndOverflowKeepTheirBitsInBothAdds() {
        WindowAggregate.Builder byEvent = WindowAggregate.builder();
        WindowAggregate.Builder byArrays = WindowAggregate.builder();
        double[][] rows = {{-0.0, Double.MAX_VALUE}, {0.0, Double.MAX_VALUE}, {-0.0, -Double.MAX_VALUE}};
        for (double[] row : rows) {
            TreeMap<String, Double> metrics = new TreeMap<>(Map.of("a", row[0], "b", row[1]));
            byEvent.add(TelemetryEvent.of("e", "sensor-1", T0, metrics));
            byArrays.add(new String[] {"a", "b"}, row.clone());
        }
        WindowAggregate built = byArrays.build();
        assertBitIdentical(built, byEvent.build());
        // The sum of the signed zeros is +0.0 and min is -0.0; MAX + MAX overflows to infinity, then stays there.
        assertThat(Double.doubleToRawLongBits(built.metrics().get("a").min())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(built.metrics().get("b").sum()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void namesOutOfOrderRepeatedOrUnmatchedByValuesAreRefused() {
        WindowAggregate.Builder builder = WindowAggregate.builder();
        assertThatThrownBy(() -> builder.add(new String[] {"b", "a"}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b, a");
        assertThatThrownBy(() -> builder.add(new String[] {"a", "a"}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a, a");
        assertThatThrownBy(() -> builder.add(new String[] {"a"}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 metric names but 2 values");
        assertThat(builder.eventCount()).isZero();
        assertThat(builder.build()).isEqualTo(WindowAggregate.EMPTY);
    }

    private static void assertBitIdentical(WindowAggregate actual, WindowAggregate expected) {
        assertThat(actual.eventCount()).isEqualTo(expected.eventCount());
        assertThat(actual.metrics().keySet()).containsExactlyElementsOf(expected.metrics().keySet());
        expected.metrics().forEach((name, e) -> {
            MetricAggregate a = actual.metrics().get(name);
            assertThat(a.count()).as(name).isEqualTo(e.count());
            assertThat(bits(a.sum(), a.min(), a.max())).as(name).containsExactly(bits(e.sum(), e.min(), e.max()));
        });
    }

    private static long[] bits(double... values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    private static String[] names(TreeMap<String, Double> metrics) {
        return metrics.keySet().toArray(new String[0]);
    }

    private static double[] values(TreeMap<String, Double> metrics) {
        return metrics.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
