package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchInvokerTest {

    @Test
    void durationIsBilledInWholeMillisecondsRoundedUp() {
        assertThat(BatchInvoker.billedMillis(0)).isZero();
        assertThat(BatchInvoker.billedMillis(1)).isEqualTo(1);
        assertThat(BatchInvoker.billedMillis(1_000_000)).isEqualTo(1);
        assertThat(BatchInvoker.billedMillis(1_000_001)).isEqualTo(2);
        assertThat(BatchInvoker.billedMillis(84_300_000)).isEqualTo(85);
    }
}
