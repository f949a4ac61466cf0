package io.twinflow.local.tradeoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreshnessTest {

    private static final PipelineSpec SPEC = PipelineSpec.defaults();

    /*
     * Buffers: 60 s (framer) + 60 s (bucket) = 2 min. The loader fires at minute 5 of every hour. An event put at
     * minute m is in S3 at m + 2, so it waits for :05 when m ≤ 3 (5 − m minutes) and for the next hour's :05
     * otherwise (65 − m): every wait from 2 to 61 minutes, once an hour, 168 times in the week's 10,080 samples.
     * p50 is sample 5,040 (⌈0.5 × 10,080⌉), the 30th value: 31 min; p99 sample 9,980, the 60th: 61 min. Plus the
     * loader's measured 1,000 ms.
     */
    @Test
    void theEventsTableWaitsForTheBuffersAndTheNextHourlyLoad() {
        Freshness.Distribution d = Freshness.eventsTable(SPEC, 1000);

        assertThat(d.sortedMs()).hasSize(10_080);
        assertThat(d.p50()).isEqualTo(31 * 60_000 + 1000);
        assertThat(d.p99()).isEqualTo(61 * 60_000 + 1000);
        assertThat(d.sortedMs().get(0)).isEqualTo(2 * 60_000 + 1000);
    }

    /*
     * The rollup fires at 03:30 and covers the day before. An event put u minutes into its day waits for the next
     * day's 03:30: 27 h 30 min − u, every value from 3 h 31 min to 27 h 30 min, 7 times in the week. p50 is sample
     * 5,040, value 720 (⌈5,040 / 7⌉): 211 + 719 = 930 min; p99 sample 9,980, value 1,426: 211 + 1,425 = 1,636 min.
     */
    @Test
    void theDailySummariesWaitForTheRollupOfTheDayAfter() {
        Freshness.Distribution d = Freshness.dailySummaries(SPEC, 20_000);

        assertThat(d.p50()).isEqualTo(930 * 60_000 + 20_000);
        assertThat(d.p99()).isEqualTo(1636 * 60_000 + 20_000);
    }

    @Test
    void streamingFreshnessIsTheMeasuredLatenciesSorted() {
        Freshness.Distribution d = Freshness.streaming(List.of(900L, 100L, 500L, 300L));

        assertThat(d.sortedMs()).containsExactly(100L, 300L, 500L, 900L);
        assertThat(d.p50()).isEqualTo(300);
        assertThat(d.p99()).isEqualTo(900);
        assertThat(d.parts()).singleElement().satisfies(p -> assertThat(p.get("basis")).isEqualTo("measured"));
    }
}
