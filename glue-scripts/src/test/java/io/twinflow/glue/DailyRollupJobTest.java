package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DailyRollupJobTest {

    @Test
    void everyCoreGetsAPartitionOfTheDaysEventsAfterTheShuffle() {
        // 200,000 events fit one file of 500,000, but two cores would leave one idle with one partition.
        assertThat(DailyRollupJob.partitions(200_000, 500_000, 2)).isEqualTo(2);
        assertThat(DailyRollupJob.partitions(1_000_000, 500_000, 36)).isEqualTo(36);
    }

    @Test
    void noPartitionHoldsMoreThanAboutEventsPerFileWhateverTheCores() {
        assertThat(DailyRollupJob.partitions(1_000_001, 500_000, 2)).isEqualTo(3);
        assertThat(DailyRollupJob.partitions(5_000_000, 500_000, 1)).isEqualTo(10);
    }

    @Test
    void aDayWithFewerEventsThanCoresGetsNoEmptyPartitionsAndAnEmptyDayOne() {
        assertThat(DailyRollupJob.partitions(3, 500_000, 36)).isEqualTo(3);
        assertThat(DailyRollupJob.partitions(0, 500_000, 36)).isEqualTo(1);
    }
}
