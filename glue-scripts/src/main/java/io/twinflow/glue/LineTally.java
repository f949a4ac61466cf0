package io.twinflow.glue;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of lines by what became of them, gathered while decoding and merged across partitions into
 * the run's {@link LineCounts}. Valid events count for the day of their event time; rejected lines,
 * which have no trustworthy event time, for their object's arrival day ({@code dt=} partition), so that
 * each bad line is counted by exactly one day's run.
 */
final class LineTally implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String day;
    private long valid;
    private long validOtherDays;
    private final TreeMap<String, Long> quarantined = new TreeMap<>();
    private long quarantinedOtherDays;

    /** @param day the run's day as YYYY-MM-DD */
    LineTally(String day) {
        this.day = day;
    }

    /** Counts one decoded line; true when it is a valid copy of the day's events. */
    boolean add(DecodedLine line) {
        if (line.getReason() == null) {
            if (day.equals(line.getEventDate())) {
                valid++;
                return true;
            }
            validOtherDays++;
        } else if (day.equals(line.getArrivalDate())) {
            quarantined.merge(line.getReason(), 1L, Long::sum);
        } else {
            quarantinedOtherDays++;
        }
        return false;
    }

    void merge(LineTally other) {
        valid += other.valid;
        validOtherDays += other.validOtherDays;
        other.quarantined.forEach((reason, lines) -> quarantined.merge(reason, lines, Long::sum));
        quarantinedOtherDays += other.quarantinedOtherDays;
    }

    /** The counts; whether a valid copy is then a duplicate or {@code WINDOW_FULL} is the admission's verdict. */
    LineCounts counts() {
        long read = valid + validOtherDays + quarantinedOtherDays + quarantined.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> reasons = Collections.unmodifiableSortedMap(new TreeMap<>(quarantined));
        return new LineCounts(read, valid, validOtherDays, reasons, quarantinedOtherDays);
    }
}
