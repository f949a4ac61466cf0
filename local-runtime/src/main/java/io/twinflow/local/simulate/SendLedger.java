package io.twinflow.local.simulate;

import io.twinflow.core.event.ReasonCode;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact account of what a simulation put into the stream: only records the stream acknowledged
 * count. Every acknowledged record is exactly one of a new valid event, a duplicate, or a bad record.
 */
public final class SendLedger {

    private long uniqueValid;
    private long duplicates;
    private long late;
    private long anomalies;
    private long notPut;
    private final EnumMap<ReasonCode, Long> bad = new EnumMap<>(ReasonCode.class);

    synchronized void acknowledged(PlannedRecord r) {
        switch (r.kind()) {
            case VALID -> {
                uniqueValid++;
                if (r.late()) {
                    late++;
                }
                if (r.anomaly() != null) {
                    anomalies++;
                }
            }
            case DUPLICATE -> duplicates++;
            case BAD -> bad.merge(r.expectedReason(), 1L, Long::sum);
            default -> throw new IllegalStateException(r.kind().name());
        }
    }

    synchronized void refused() {
        notPut++;
    }

    /** Records the stream accepted. */
    public synchronized long sent() {
        return uniqueValid + duplicates + badTotal();
    }

    public synchronized long uniqueValid() {
        return uniqueValid;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long late() {
        return late;
    }

    public synchronized long anomalies() {
        return anomalies;
    }

    /** Records given up on after every retry: not in the stream, so not counted as sent. */
    public synchronized long notPut() {
        return notPut;
    }

    public synchronized long badTotal() {
        return bad.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Map<ReasonCode, Long> badByReason() {
        return new EnumMap<>(bad);
    }

    /** The account as a JSON-friendly map (stable key order). */
    public synchronized Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", sent());
        m.put("uniqueValid", uniqueValid);
        m.put("duplicates", duplicates);
        m.put("bad", badTotal());
        Map<String, Long> byReason = new LinkedHashMap<>();
        bad.forEach((k, v) -> byReason.put(k.name(), v));
        m.put("badByReason", byReason);
        m.put("late", late);
        m.put("anomalies", anomalies);
        m.put("notPut", notPut);
        return m;
    }
}
