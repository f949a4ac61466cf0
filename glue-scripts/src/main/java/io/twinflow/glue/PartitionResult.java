package io.twinflow.glue;

import java.io.Serializable;
import java.util.List;

/**
 * What one partition of the day's copies adds to the run's report, besides its copies: the lines
 * tallied on the way in (all of them land in partition 0, null elsewhere), its {@code WINDOW_FULL}
 * copies and its devices' summaries.
 *
 * @param partition the partition's index: a task run twice (a retry, a speculative copy) reports twice
 */
record PartitionResult(int partition, LineTally tally, long windowFull, List<SummaryRow> summaries) implements Serializable {
}
