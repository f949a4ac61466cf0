package io.twinflow.glue;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Day copies for the tests of their packing and their curated rows. */
final class DayCopies {

    private DayCopies() {
    }

    /** A valid copy with nanosecond times; {@code shard} and {@code sequence} null for a plain line, {@code lat} and {@code lon} for none. */
    static DayCopy copy(String device, String eventId, String path, String shard, String sequence, Map<String, Double> metrics,
                        Double lat, Double lon) {
        DecodedLine line = new DecodedLine();
        line.setDeviceId(device);
        line.setEventId(eventId);
        line.setTs(Instant.parse("2026-11-23T10:15:30.123456789Z"));
        line.setWindowStart(Instant.parse("2026-11-23T10:15:00Z"));
        line.setSchemaVersion(1);
        line.setMetrics(new TreeMap<>(metrics));
        line.setLat(lat);
        line.setLon(lon);
        line.setObjectPath(path);
        line.setObjectTime(Instant.parse("2026-11-23T10:20:00.5Z"));
        line.setLineNo(Long.MAX_VALUE - 1);
        line.setArrival(Instant.parse("2026-11-23T10:15:31.000999999Z"));
        line.setShardId(shard);
        line.setSequenceNumber(sequence);
        return DayCopy.of(line);
    }
}
