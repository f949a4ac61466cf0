package io.twinflow.glue;

import io.twinflow.core.event.ReasonCode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The collected {@link RolledUpDay#lines()}: how many lines were read and what became of them.
 *
 * @param valid valid copies of the day's events that the window capacity admitted (counted or duplicate)
 * @param quarantined rejected lines that arrived on the day, by reason code, plus the day's
 *     {@code WINDOW_FULL} copies (they have a trustworthy event time, so they count for its day)
 * @param quarantinedOtherDays rejected lines in the neighbouring days' objects (their own runs count them)
 */
public record LineCounts(long read, long valid, long validOtherDays, Map<String, Long> quarantined,
                         long quarantinedOtherDays) {

    /**
     * These counts after the window admission rejected {@code windowFull} of the day's valid
     * copies as {@code WINDOW_FULL}: they move from valid to quarantined.
     */
    public LineCounts withWindowFull(long windowFull) {
        if (windowFull == 0) {
            return this;
        }
        TreeMap<String, Long> moved = new TreeMap<>(quarantined);
        moved.merge(ReasonCode.WINDOW_FULL.name(), windowFull, Long::sum);
        return new LineCounts(read, valid - windowFull, validOtherDays, Collections.unmodifiableSortedMap(moved), quarantinedOtherDays);
    }

    public long quarantinedTotal() {
        return quarantined.values().stream().mapToLong(Long::longValue).sum();
    }
}
