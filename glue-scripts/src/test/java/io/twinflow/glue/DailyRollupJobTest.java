package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DailyRollupJobTest {

    @Test
    void everyCoreGetsAPartitionOfTheDaysCopiesAfterTheShuffle() {
        // 10 MB of archive fits one partition, but two cores would leave one idle with one partition.
        assertThat(DailyRollupJob.partitions(10_000_000, 2)).isEqualTo(2);
        assertThat(DailyRollupJob.partitions(1_000_000_000, 36)).isEqualTo(36);
        assertThat(DailyRollupJob.partitions(0, 1)).isEqualTo(1);
    }

    @Test
    void noPartitionHoldsMoreThanAboutItsShareOfTheArchiveWhateverTheCores() {
        long share = DailyRollupJob.ARCHIVE_BYTES_PER_PARTITION;
        assertThat(DailyRollupJob.partitions(2 * share + 1, 2)).isEqualTo(3);
        assertThat(DailyRollupJob.partitions(10 * share, 1)).isEqualTo(10);
    }
}
