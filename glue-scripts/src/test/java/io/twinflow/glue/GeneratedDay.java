package io.twinflow.glue;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.StreamPositions;
import io.twinflow.core.event.DecoderLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A raw archive around one day, written by hand the way the archiver lays it out: one envelope line
 * per stream record ({@link ArchiveLine#encode}) with an explicit arrival time and stream position, in
 * the partition of its arrival hour, plus a few plain (pre-envelope) lines. It holds everything the
 * rollup must get right: late events that arrive days later within the lateness bound, one beyond it
 * ({@code TOO_LATE}) and one in an hour the rollup does not read, events just outside the day on both
 * sides, records that arrived before midnight with an event time after it, producer duplicates (one
 * with different values), re-stamped retries in the next minute (second events), two devices sharing
 * an eventId, a pretty-printed record, lines shuffled out of stream order within their objects, CRLF,
 * and bad records of many kinds in this and neighbouring days.
 *
 * <p>It keeps a ledger of every line, from which {@link #expectedKept()} and the counts are derived
 * with plain loops, independently of the job and of core's aggregates.
 */
final class GeneratedDay {

    /** One valid event as the generator sent it. */
    record Event(String eventId, String deviceId, Instant ts, Map<String, Double> metrics) {
        /** The identity the stream counts once: device, eventId and the start of its one-minute window. */
        String identity() {
            return identity(deviceId, eventId, ts);
        }

        static String identity(String deviceId, String eventId, Instant ts) {
            return deviceId + "|" + eventId + "|" + ts.truncatedTo(ChronoUnit.MINUTES);
        }
    }

    /**
     * One line of an object: the record's bytes, either the event it carries or the reason it must be
     * rejected, and for an envelope line its arrival and stream position (null for a plain line).
     */
    record Line(byte[] data, Event event, String reason, Instant arrival, String shardId, String sequenceNumber, boolean crlf) {
        boolean plain() {
            return arrival == null;
        }

        String position() {
            return plain() ? null : StreamPositions.key(shardId, sequenceNumber);
        }

        /** The line as the archive holds it, without its LF. */
        byte[] bytes() {
            if (plain()) {
                return data;
            }
            byte[] line = ArchiveLine.encode(data, arrival, shardId, sequenceNumber);
            return Arrays.copyOf(line, line.length - 1);
        }
    }

    static final Duration MAX_LATENESS = DecoderLimits.DEFAULT_MAX_LATENESS;
    private static final DateTimeFormatter PARTITION = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    /** 49 digits; seven more make a realistic 56-digit Kinesis sequence number. */
    private static final String SEQUENCE_BASE = "4959033827149025660855969253836157109592157598913";

    final LocalDate day;
    final Instant dayStart;
    final Instant dayEnd;
    /** Object key (under the raw prefix) to its lines; a TreeMap, so iteration (and upload) is in key order. */
    final TreeMap<String, List<Line>> objects = new TreeMap<>();
    /** The event whose second copy carries different values: the first copy must win. */
    Event conflicted;
    private final Random random;
    private final List<Map.Entry<String, Line>> pending = new ArrayList<>();
    private int nextId;

    GeneratedDay(LocalDate day, long seed) {
        this.day = day;
        this.dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        this.dayEnd = dayStart.plus(Duration.ofDays(1));
        this.random = new Random(seed);
        generate();
        assignStreamPositions();
    }

    private void generate() {
        List<Event> dayEvents = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            String device = String.format("sensor-%04d", d);
            int count = 40 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                dayEvents.add(event(device, dayStart.plusMillis(random.nextInt(86_400_000))));
            }
        }
        // The day's edges, on both sides.
        dayEvents.add(event("sensor-0001", dayStart));
        dayEvents.add(event("sensor-0002", dayEnd.minusMillis(1)));
        for (Event e : dayEvents) {
            arrive(arrival(e.ts()), e);
        }
        arrive(dayStart.plusSeconds(1), event("sensor-0003", dayStart.minusMillis(1)));
        arrive(dayEnd.plusSeconds(1), event("sensor-0004", dayEnd));
        // Late for the previous day, early for the next: neither belongs to this day.
        for (int i = 0; i < 5; i++) {
            arrive(dayStart.plusSeconds(random.nextInt(600)), event("sensor-0005", dayStart.minusSeconds(60 + random.nextInt(3000))));
            Event early = event("sensor-0006", dayEnd.plusSeconds(random.nextInt(7000)));
            arrive(early.ts().plusSeconds(random.nextInt(60)), early);
        }
        // Late but within the bound: an offline device uploading the next day, and one almost two days later.
        arrive(dayEnd.plus(Duration.ofHours(20)), event("sensor-0007", dayStart.plusSeconds(5 * 3600 + 11)));
        Event almostTooLate = event("sensor-0007", dayEnd.minusSeconds(7200));
        arrive(almostTooLate.ts().plus(MAX_LATENESS).minusSeconds(60), almostTooLate);
        // Beyond the bound: TOO_LATE, counted by its arrival day's run; and one in an hour no run of this day reads.
        Event tooLate = event("sensor-0007", dayEnd.minusSeconds(7200));
        Instant tooLateArrival = tooLate.ts().plus(MAX_LATENESS).plusSeconds(1800);
        add(tooLateArrival, null, new Line(json(tooLate).getBytes(StandardCharsets.UTF_8), null, "TOO_LATE", tooLateArrival,
                null, null, false));
        Event unread = event("sensor-0007", dayEnd.minusSeconds(3600));
        arrive(dayEnd.plus(MAX_LATENESS).plus(Duration.ofMinutes(70)), unread);

        // Producer retries: identical copies arriving later, one after midnight.
        for (int i = 0; i < 30; i++) {
            Event original = dayEvents.get(random.nextInt(dayEvents.size()));
            arrive(original.ts().plusSeconds(30 + random.nextInt(1800)), original);
        }
        arrive(dayEnd.plusSeconds(4000), dayEvents.get(0));
        // Re-stamped retries: same eventId, a time in the next minute. A second event, as the stream counts it.
        for (int i = 0; i < 3; i++) {
            Event original = event(String.format("sensor-%04d", i), dayStart.plusSeconds(3600 * (3 + i) + 50));
            arrive(original.ts().plusSeconds(1), original);
            Event restamped = new Event(original.eventId(), original.deviceId(), original.ts().plusSeconds(15), original.metrics());
            arrive(restamped.ts().plusSeconds(1), restamped);
        }
        // Two devices reusing one eventId: two events.
        Event shared = event("sensor-0001", dayStart.plusSeconds(7 * 3600));
        arrive(shared.ts().plusSeconds(2), shared);
        Event sharedElsewhere = new Event(shared.eventId(), "sensor-0002", shared.ts(), shared.metrics());
        arrive(sharedElsewhere.ts().plusSeconds(2), sharedElsewhere);
        // Same eventId, different values, in an object that arrives later (and sorts later).
        conflicted = event("sensor-0008", dayStart.plusSeconds(10 * 3600 + 17));
        arrive(conflicted.ts().plusSeconds(1), conflicted);
        Map<String, Double> other = new TreeMap<>(conflicted.metrics());
        other.replaceAll((k, v) -> v + 1000);
        add(conflicted.ts().plusSeconds(3600), "zz-retry.json.gz", envelope(
                new Event(conflicted.eventId(), conflicted.deviceId(), conflicted.ts(), other), conflicted.ts().plusSeconds(3600)));

        // A pretty-printed event: one stream record with line breaks, one envelope line, one event.
        Event pretty = event("sensor-0009", dayStart.plusSeconds(4 * 3600 + 7));
        byte[] prettyBytes = json(pretty).replace(",", ",\n  ").replace("{", "{\n  ").getBytes(StandardCharsets.UTF_8);
        add(pretty.ts().plusSeconds(1), null, new Line(prettyBytes, pretty, null, pretty.ts().plusSeconds(1), null, null, false));
        // A valid line ending in CRLF.
        Event crlf = event("sensor-0009", dayStart.plusSeconds(5 * 3600));
        add(crlf.ts().plusSeconds(1), null, new Line(json(crlf).getBytes(StandardCharsets.UTF_8), crlf, null, crlf.ts().plusSeconds(1),
                null, null, true));

        // Bad records that arrived on the day, by the reason the Lambda gives them.
        Instant badHour = dayStart.plusSeconds(8 * 3600);
        bad(badHour, "{\"schemaVersion\":1,\"eventId\":\"trunc", "INVALID_JSON");
        bad(badHour, "{\"schemaVersion\":1,\"eventId\":\"x\"} trailing", "INVALID_JSON");
        bad(badHour, "", "INVALID_JSON");
        bad(badHour, "[1,2,3]", "NOT_AN_OBJECT");
        bad(badHour, "{\"schemaVersion\":1,\"eventId\":\"m1\",\"ts\":\"" + badHour + "\",\"metrics\":{\"t\":1}}", "MISSING_FIELD");
        bad(badHour, "{\"schemaVersion\":1,\"eventId\":\"m2\",\"deviceId\":\"d\",\"ts\":\"" + badHour + "\"}", "MISSING_FIELD");
        bad(badHour, line("b1", "d", "yesterday", "{\"t\":1}"), "BAD_TIMESTAMP");
        bad(badHour, line("b2", "d", badHour.toString(), "{\"t\":NaN}"), "NON_FINITE_METRIC");
        bad(badHour, line("b3", "d", badHour.plusSeconds(301).toString(), "{\"t\":1}"), "FUTURE_TIMESTAMP");
        bad(badHour, line("b4", "bad device!", badHour.toString(), "{\"t\":1}"), "BAD_DEVICE_ID");
        bad(badHour, "{\"schemaVersion\":2,\"eventId\":\"b5\",\"deviceId\":\"d\",\"ts\":\"" + badHour + "\",\"metrics\":{\"t\":1}}",
                "UNSUPPORTED_SCHEMA");
        bad(badHour, "{\"schemaVersion\":1,\"eventId\":\"b6\",\"eventId\":\"b7\",\"deviceId\":\"d\",\"ts\":\""
                + badHour + "\",\"metrics\":{\"t\":1}}", "DUPLICATE_KEY");
        bad(badHour.plusSeconds(3600), line("b8", "d", badHour.toString(), "{\"t\":\"" + "x".repeat(70_000) + "\"}"), "RECORD_TOO_LARGE");
        byte[] notUtf8 = line("b9", "d", badHour.toString(), "{\"t\":1}").getBytes(StandardCharsets.UTF_8);
        notUtf8[notUtf8.length / 2] = (byte) 0xff;
        add(badHour.plusSeconds(7200), null, new Line(notUtf8, null, "INVALID_UTF8", badHour.plusSeconds(7200), null, null, false));
        // Plain lines, as the archive held them before envelopes: judged against the object's LastModified
        // (the upload, long after this day), so even a well-formed event of the day is TOO_LATE.
        add(badHour, null, new Line("[\"plain\"]".getBytes(StandardCharsets.UTF_8), null, "NOT_AN_OBJECT", null, null, null, false));
        Event plain = event("sensor-0001", badHour);
        add(badHour, null, new Line(json(plain).getBytes(StandardCharsets.UTF_8), null, "TOO_LATE", null, null, null, false));
        // Starts like an envelope but is not one.
        add(badHour, null, new Line("\u001etf1\t12345\tshardId-000000000000".getBytes(StandardCharsets.UTF_8), null,
                "BAD_ARCHIVE_LINE", null, null, null, false));
        // Bad records of the neighbouring days: their own runs count them.
        bad(dayStart.minusSeconds(60), "\"just a string\"", "NOT_AN_OBJECT");
        bad(dayEnd.plusSeconds(3600), "{", "INVALID_JSON");
        bad(dayEnd.plusSeconds(3600), "}", "INVALID_JSON");
    }

    /** Mostly within seconds of the event; some of the last hour's after midnight, some of the first before it. */
    private Instant arrival(Instant ts) {
        long hour = Duration.between(dayStart, ts).toHours();
        if (hour == 23 && random.nextInt(3) == 0) {
            return ts.plusSeconds(random.nextInt(3 * 3600));
        }
        if (hour == 0 && random.nextInt(5) == 0) {
            // A device clock ahead of the stream's, within the allowed skew.
            return ts.minusSeconds(random.nextInt(240));
        }
        return ts.plusMillis(random.nextInt(20_000));
    }

    private void arrive(Instant arrival, Event e) {
        add(arrival, null, envelope(e, arrival));
    }

    private void bad(Instant arrival, String text, String reason) {
        add(arrival, null, new Line(text.getBytes(StandardCharsets.UTF_8), null, reason, arrival, null, null, false));
    }

    private static Line envelope(Event e, Instant arrival) {
        return new Line(json(e).getBytes(StandardCharsets.UTF_8), e, null, arrival, null, null, false);
    }

    /** Into an object of the arrival hour's partition: a given name, or one of two Firehose-like ones. */
    private void add(Instant arrival, String name, Line line) {
        String key = PARTITION.format(arrival) + "/" + (name != null ? name : "twinflow-telemetry-" + random.nextInt(2) + ".json.gz");
        pending.add(Map.entry(key, line));
    }

    /**
     * Gives every envelope line its shard (by device, as the partition key does) and a sequence number
     * increasing with arrival in that shard, then files the lines into their objects, shuffled.
     */
    private void assignStreamPositions() {
        List<Map.Entry<String, Line>> byArrival = new ArrayList<>(pending);
        byArrival.sort(Comparator.comparing(e -> e.getValue().plain() ? Instant.EPOCH : e.getValue().arrival()));
        Map<String, Integer> sequences = new HashMap<>();
        for (Map.Entry<String, Line> entry : byArrival) {
            Line line = entry.getValue();
            if (!line.plain()) {
                String shard = "shardId-00000000000" + (line.event() == null ? 0 : Math.floorMod(line.event().deviceId().hashCode(), 2));
                int n = sequences.merge(shard, 1, Integer::sum);
                line = new Line(line.data(), line.event(), line.reason(), line.arrival(), shard,
                        SEQUENCE_BASE + String.format("%07d", n), line.crlf());
            }
            objects.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(line);
        }
        for (List<Line> lines : objects.values()) {
            Collections.shuffle(lines, random);
        }
    }

    private Event event(String device, Instant ts) {
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("temperature", Math.round((15 + random.nextGaussian() * 5) * 1000) / 1000.0);
        if (device.hashCode() % 2 == 0) {
            metrics.put("humidity", Math.round(random.nextDouble() * 100_000) / 1000.0);
        }
        if (random.nextBoolean()) {
            metrics.put("battery", random.nextDouble());
        }
        return new Event("evt-" + (nextId++) + "-" + Long.toHexString(random.nextLong()), device, ts, metrics);
    }

    static String json(Event e) {
        StringBuilder metrics = new StringBuilder("{");
        e.metrics().forEach((k, v) -> metrics.append(metrics.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return line(e.eventId(), e.deviceId(), e.ts().toString(), metrics.append('}').toString());
    }

    private static String line(String id, String device, String ts, String metrics) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":" + metrics + ",\"location\":{\"lat\":52.52,\"lon\":13.4},\"firmware\":\"1.2.3\"}";
    }

    /** Is the object's hour partition one the rollup reads (23:00 the day before to an hour past the lateness bound)? */
    boolean isRead(String key) {
        Instant hour = LocalDate.parse(key.substring(3, 13)).atStartOfDay(ZoneOffset.UTC).toInstant()
                .plus(Integer.parseInt(key.substring(19, 21)), ChronoUnit.HOURS);
        return !hour.isBefore(dayStart.minusSeconds(3600)) && hour.isBefore(dayEnd.plus(MAX_LATENESS).plusSeconds(3600));
    }

    boolean arrivedOnDay(String key) {
        return key.startsWith("dt=" + day + "/");
    }

    /** The lines of the objects the rollup reads, in stream order: plain lines first, then by stream position. */
    List<Line> readLines() {
        List<Line> lines = new ArrayList<>();
        objects.forEach((key, objectLines) -> {
            if (isRead(key)) {
                lines.addAll(objectLines);
            }
        });
        lines.sort(Comparator.comparing(Line::position, Comparator.nullsFirst(Comparator.naturalOrder())));
        return lines;
    }

    boolean onDay(Event e) {
        return !e.ts().isBefore(dayStart) && e.ts().isBefore(dayEnd);
    }

    /** The day's events the rollup must keep, by identity: the first copy in stream order of each. */
    Map<String, Event> expectedKept() {
        Map<String, Event> kept = new LinkedHashMap<>();
        for (Line line : readLines()) {
            if (line.event() != null && onDay(line.event())) {
                kept.putIfAbsent(line.event().identity(), line.event());
            }
        }
        return kept;
    }

    long validOnDay() {
        return readLines().stream().filter(l -> l.event() != null && onDay(l.event())).count();
    }

    long validOtherDays() {
        return readLines().stream().filter(l -> l.event() != null && !onDay(l.event())).count();
    }

    Map<String, Long> quarantinedOnDay() {
        Map<String, Long> byReason = new TreeMap<>();
        objects.forEach((key, lines) -> {
            if (isRead(key) && arrivedOnDay(key)) {
                lines.stream().filter(l -> l.reason() != null).forEach(l -> byReason.merge(l.reason(), 1L, Long::sum));
            }
        });
        return byReason;
    }

    long quarantinedOtherDays() {
        long n = 0;
        for (Map.Entry<String, List<Line>> o : objects.entrySet()) {
            if (isRead(o.getKey()) && !arrivedOnDay(o.getKey())) {
                n += o.getValue().stream().filter(l -> l.reason() != null).count();
            }
        }
        return n;
    }

    Set<String> readObjectKeys() {
        Set<String> keys = new HashSet<>();
        objects.keySet().stream().filter(this::isRead).forEach(keys::add);
        return keys;
    }

    static byte[] gzip(List<Line> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            for (Line line : lines) {
                gz.write(line.bytes());
                if (line.crlf()) {
                    gz.write('\r');
                }
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
