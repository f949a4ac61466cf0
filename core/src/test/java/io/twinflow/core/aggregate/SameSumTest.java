package io.twinflow.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SameSumTest {

    private static double sum(List<Double> values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    @Test
    void largeValuesThatCancelGiveOrderDependentSumsThatStillCountAsTheSame() {
        List<Double> values = List.of(1e100, 3.9e39, -1e100, 2.0);
        double oneOrder = sum(values);
        double otherOrder = sum(List.of(1e100, -1e100, 3.9e39, 2.0));

        assertThat(oneOrder).isNotEqualTo(otherOrder);
        assertThat(MetricAggregate.sameSum(oneOrder, otherOrder, 4, -1e100, 1e100)).isTrue();
    }

    @Test
    void anyShuffleOfManyOrdinaryValuesIsTheSameSum() {
        Random random = new Random(3);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            values.add(random.nextGaussian() * Math.pow(10, random.nextInt(-20, 20)));
        }
        double min = Collections.min(values);
        double max = Collections.max(values);
        double first = sum(values);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(values, random);
            assertThat(MetricAggregate.sameSum(first, sum(values), values.size(), min, max)).isTrue();
        }
    }

    @Test
    void aMissingOrExtraValueIsADifferentSum() {
        assertThat(MetricAggregate.sameSum(100.0, 101.5, 50, 0.5, 3.0)).isFalse();
        assertThat(MetricAggregate.sameSum(1e6, 1e6 + 1, 1_000, 999, 1_001)).isFalse();
        assertThat(MetricAggregate.sameSum(21.5, 21.5, 1, 21.5, 21.5)).isTrue();
    }
}
