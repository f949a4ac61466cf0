package io.twinflow.glue;

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
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A raw archive around one day, written by hand the way Firehose lays it out, with everything the
 * rollup must get right: late events in the next day's first hours, an event that arrives too late
 * for the rollup, events just outside the day on both sides, an object named for 23:00 of the day
 * before holding the day's first events, producer duplicates (one with different values), lines
 * shuffled out of time order, CRLF, and bad records of many kinds in this and neighbouring days.
 *
 * <p>It keeps a ledger of every line, from which {@link #expectedKept()} and the counts are derived
 * with plain loops, independently of the job and of core's aggregates.
 */
final class GeneratedDay {

    /** One valid event as the generator sent it. */
    record Event(String eventId, String deviceId, Instant ts, Map<String, Double> metrics) {
    }

    /** One line of an object: its bytes and either the event it carries or the reason it must be rejected. */
    record Line(byte[] bytes, Event event, String reason) {
    }

    static final Duration LATENESS = Duration.ofHours(3);
    private static final DateTimeFormatter PARTITION = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    final LocalDate day;
    final Instant dayStart;
    final Instant dayEnd;
    /** Object key (under the raw prefix) to its lines; a TreeMap, so iteration (and upload) is in key order. */
    final TreeMap<String, List<Line>> objects = new TreeMap<>();
    /** The event whose second copy carries different values: the first copy must win. */
    Event conflicted;
    private final Random random;
    private int nextId;

    GeneratedDay(LocalDate day, long seed) {
        this.day = day;
        this.dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        this.dayEnd = dayStart.plus(Duration.ofDays(1));
        this.random = new Random(seed);
        generate();
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
            add(arrivalPartition(e.ts()), valid(e));
        }
        add(partition(dayStart), valid(event("sensor-0003", dayStart.minusMillis(1))));
        add(partition(dayEnd), valid(event("sensor-0004", dayEnd)));
        // Late for the previous day, early for the next: neither belongs to this day.
        for (int i = 0; i < 5; i++) {
            add(partition(dayStart), valid(event("sensor-0005", dayStart.minusSeconds(60 + random.nextInt(3000)))));
            add(partition(dayEnd.plusSeconds(3600)), valid(event("sensor-0006", dayEnd.plusSeconds(random.nextInt(7000)))));
        }
        // Arrives after the lateness: the rollup does not read its hour.
        add(partition(dayEnd.plus(LATENESS)), valid(event("sensor-0007", dayEnd.minusSeconds(7200))));
        add(partition(dayEnd.plus(LATENESS)), bad("{\"broken", "INVALID_JSON"));

        // Producer retries: identical copies in other objects, one after midnight.
        for (int i = 0; i < 30; i++) {
            Event original = dayEvents.get(random.nextInt(dayEvents.size()));
            add(partition(original.ts().plusSeconds(random.nextInt(1800))), valid(original));
        }
        add(partition(dayEnd.plusSeconds(4000)), valid(dayEvents.get(0)));
        // Same eventId, different values, in an object that arrives later (and sorts later).
        conflicted = event("sensor-0008", dayStart.plusSeconds(10 * 3600 + 17));
        add(partition(conflicted.ts()), valid(conflicted));
        Map<String, Double> other = new TreeMap<>(conflicted.metrics());
        other.replaceAll((k, v) -> v + 1000);
        addTo(partition(conflicted.ts().plusSeconds(3600)) + "/zz-retry.json.gz",
                valid(new Event(conflicted.eventId(), conflicted.deviceId(), conflicted.ts(), other)));

        // A valid line ending in CRLF.
        Event crlf = event("sensor-0009", dayStart.plusSeconds(5 * 3600));
        byte[] crlfBytes = (json(crlf) + "\r").getBytes(StandardCharsets.UTF_8);
        add(partition(crlf.ts()), new Line(crlfBytes, crlf, null));

        // Bad records that arrived on the day, by the reason the Lambda gives them.
        Instant badHour = dayStart.plusSeconds(8 * 3600);
        add(partition(badHour), bad("{\"schemaVersion\":1,\"eventId\":\"trunc", "INVALID_JSON"));
        add(partition(badHour), bad("{\"schemaVersion\":1,\"eventId\":\"x\"} trailing", "INVALID_JSON"));
        add(partition(badHour), bad("", "INVALID_JSON"));
        add(partition(badHour), bad("[1,2,3]", "NOT_AN_OBJECT"));
        add(partition(badHour), bad("{\"schemaVersion\":1,\"eventId\":\"m1\",\"ts\":\"" + badHour + "\",\"metrics\":{\"t\":1}}", "MISSING_FIELD"));
        add(partition(badHour), bad("{\"schemaVersion\":1,\"eventId\":\"m2\",\"deviceId\":\"d\",\"ts\":\"" + badHour + "\"}", "MISSING_FIELD"));
        add(partition(badHour), bad(line("b1", "d", "yesterday", "{\"t\":1}"), "BAD_TIMESTAMP"));
        add(partition(badHour), bad(line("b2", "d", badHour.toString(), "{\"t\":NaN}"), "NON_FINITE_METRIC"));
        add(partition(badHour), bad(line("b3", "d", "2099-01-01T00:00:00Z", "{\"t\":1}"), "FUTURE_TIMESTAMP"));
        add(partition(badHour), bad(line("b4", "bad device!", badHour.toString(), "{\"t\":1}"), "BAD_DEVICE_ID"));
        add(partition(badHour), bad("{\"schemaVersion\":2,\"eventId\":\"b5\",\"deviceId\":\"d\",\"ts\":\"" + badHour + "\",\"metrics\":{\"t\":1}}",
                "UNSUPPORTED_SCHEMA"));
        add(partition(badHour), bad("{\"schemaVersion\":1,\"eventId\":\"b6\",\"eventId\":\"b7\",\"deviceId\":\"d\",\"ts\":\""
                + badHour + "\",\"metrics\":{\"t\":1}}", "DUPLICATE_KEY"));
        add(partition(badHour.plusSeconds(3600)), bad(line("b8", "d", badHour.toString(), "{\"t\":\"" + "x".repeat(70_000) + "\"}"),
                "RECORD_TOO_LARGE"));
        byte[] notUtf8 = line("b9", "d", badHour.toString(), "{\"t\":1}").getBytes(StandardCharsets.UTF_8);
        notUtf8[notUtf8.length / 2] = (byte) 0xff;
        add(partition(badHour.plusSeconds(7200)), new Line(notUtf8, null, "INVALID_UTF8"));
        // Bad records of the neighbouring days: their own runs count them.
        add(partition(dayStart.minusSeconds(60)), bad("\"just a string\"", "NOT_AN_OBJECT"));
        add(partition(dayEnd.plusSeconds(3600)), bad("{", "INVALID_JSON"));
        add(partition(dayEnd.plusSeconds(3600)), bad("}", "INVALID_JSON"));

        for (List<Line> lines : objects.values()) {
            Collections.shuffle(lines, random);
        }
    }

    /** Mostly the event's own hour; some of the last hour's arrive after midnight, some of the first before it. */
    private String arrivalPartition(Instant ts) {
        long hour = Duration.between(dayStart, ts).toHours();
        if (hour == 23 && random.nextInt(3) == 0) {
            return partition(dayEnd.plusSeconds(random.nextInt(3) * 3600L + random.nextInt(3600)));
        }
        if (hour == 0 && random.nextInt(5) == 0) {
            return partition(dayStart.minusSeconds(1));
        }
        return partition(ts);
    }

    private static String partition(Instant arrival) {
        return PARTITION.format(arrival);
    }

    private void add(String partition, Line line) {
        addTo(partition + "/twinflow-telemetry-" + random.nextInt(2) + ".json.gz", line);
    }

    private void addTo(String key, Line line) {
        objects.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
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

    private static Line valid(Event e) {
        return new Line(json(e).getBytes(StandardCharsets.UTF_8), e, null);
    }

    private static Line bad(String text, String reason) {
        return new Line(text.getBytes(StandardCharsets.UTF_8), null, reason);
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

    /** Is the object's hour partition one the rollup reads (23:00 the day before to midnight + lateness)? */
    boolean isRead(String key) {
        Instant hour = LocalDate.parse(key.substring(3, 13)).atStartOfDay(ZoneOffset.UTC).toInstant()
                .plus(Integer.parseInt(key.substring(19, 21)), ChronoUnit.HOURS);
        return !hour.isBefore(dayStart.minusSeconds(3600)) && hour.isBefore(dayEnd.plus(LATENESS));
    }

    boolean arrivedOnDay(String key) {
        return key.startsWith("dt=" + day + "/");
    }

    /** The lines of the objects the rollup reads, in arrival order (key order, then line order). */
    List<Line> readLines() {
        List<Line> lines = new ArrayList<>();
        objects.forEach((key, objectLines) -> {
            if (isRead(key)) {
                lines.addAll(objectLines);
            }
        });
        return lines;
    }

    boolean onDay(Event e) {
        return !e.ts().isBefore(dayStart) && e.ts().isBefore(dayEnd);
    }

    /** The day's events the rollup must keep: the first copy of every eventId to arrive. */
    Map<String, Event> expectedKept() {
        Map<String, Event> kept = new LinkedHashMap<>();
        for (Line line : readLines()) {
            if (line.event() != null && onDay(line.event())) {
                kept.putIfAbsent(line.event().eventId(), line.event());
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
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
