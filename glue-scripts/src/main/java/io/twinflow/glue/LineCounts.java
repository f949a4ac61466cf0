package io.twinflow.glue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The collected {@link DailyRollup#lineCounts}: how many lines were read and what became of them.
 *
 * @param quarantined rejected lines that arrived on the day, by reason code
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

    public long quarantinedTotal() {
        return quarantined.values().stream().mapToLong(Long::longValue).sum();
    }
}
