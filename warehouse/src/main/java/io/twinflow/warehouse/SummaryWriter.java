package io.twinflow.warehouse;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The rollup's view of the warehouse: it writes a day's summaries and learns which days need them
 * again. Every operation is one transaction and safe to repeat.
 */
public interface SummaryWriter {

    /**
     * Replaces the daily and hourly summaries of one event-time day with these rows in one
     * transaction, so a rerun of the rollup overwrites its day instead of adding to it.
     *
     * @param daily one row per device, each starting at {@code dt}'s midnight UTC
     * @param hourly one row per device and hour of {@code dt}
     */
    default void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly) {
        replaceDaySummaries(dt, daily, hourly, Optional.empty());
    }

    /**
     * Like {@link #replaceDaySummaries(LocalDate, List, List)}, and in the same transaction deletes the
     * rollup requests of {@code dt} made no later than {@code requestsUpTo}: the moment the rollup
     * listed the raw objects it read. A request made after that (a load that committed while the
     * rollup ran) stays, so that day is rolled up again.
     */
    default void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Instant requestsUpTo) {
        replaceDaySummaries(dt, daily, hourly, Optional.of(requestsUpTo));
    }

    /** The two above in one: with {@code requestsUpTo} empty, the rollup requests stay as they are. */
    void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Optional<Instant> requestsUpTo);

    /**
     * The event days with a pending rollup request, oldest first: days that received new rows after
     * their summaries may have been written (late events, objects loaded late).
     */
    List<LocalDate> pendingRollupDays();
}
