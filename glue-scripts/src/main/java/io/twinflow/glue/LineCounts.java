package io.twinflow.glue;

import io.twinflow.core.event.ReasonCode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The collected {@link DailyRollup#lineCounts}: how many lines were read and what became of them.
 *
 * @param valid valid copies of the day's events that the window capacity admitted (counted or duplicate)
 * @param quarantined rejected lines that arrived on the day, by reason code, plus the day's
 *     {@code WINDOW_FULL} copies (they have a trustworthy event time, so they count for its day)
 * @param quarantinedOtherDays rejected lines in the neighbouring days' objects (their own runs count them)
 */
public record LineCounts(long read, long valid, long validOtherDays, Map<String, Long> quarantined,
                         long quarantinedOtherDays) {

    public static LineCounts of(List<Row> rows) {
        long valid = 0;
        long validOtherDays = 0;
        long quarantinedOtherDays = 0;
        long read = 0;
        TreeMap<String, Long> quarantined = new TreeMap<>();
        for (Row row : rows) {
            String category = row.getString(row.fieldIndex("category"));
            long lines = row.getLong(row.fieldIndex("lines"));
            read += lines;
            switch (category) {
                case DailyRollup.VALID -> valid += lines;
                case DailyRollup.VALID_OTHER_DAY -> validOtherDays += lines;
                case DailyRollup.QUARANTINED -> quarantined.merge(row.getString(row.fieldIndex("reason")), lines, Long::sum);
                case DailyRollup.QUARANTINED_OTHER_DAY -> quarantinedOtherDays += lines;
                default -> throw new IllegalArgumentException("unknown line category " + category);
            }
        }
        return new LineCounts(read, valid, validOtherDays, Collections.unmodifiableSortedMap(quarantined), quarantinedOtherDays);
    }

    /**
     * These counts after {@link DailyRollup#dayCopies} rejected {@code windowFull} of the day's valid
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
