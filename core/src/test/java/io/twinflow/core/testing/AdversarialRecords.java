package io.twinflow.core.testing;

import io.twinflow.core.event.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generator of stream records that a careless or hostile producer could send, for differential tests
 * of the two paths: valid events with unusual but legal values, producer retries (the same bytes again),
 * re-stamped retries (same eventId, another time), eventIds reused across devices, pretty-printed JSON
 * (line breaks inside one record), escapes no store keeps (NUL, lone surrogates), numbers at and past
 * every store's limits, late and very late and future times (also exactly at the bounds), mutations of
 * valid bytes (flipped, cut, spliced) and the bad-input corpus.
 *
 * <p>Deterministic for a seed: a failing case is replayed from the seed its test prints. Arrival times
 * grow by a few milliseconds per record from {@code start}; event times are chosen relative to each
 * record's arrival, so the lateness and skew boundaries are hit exactly.
 */
public final class AdversarialRecords {

    /** One record as a producer puts it on the stream, with the time the stream received it. */
    public record Put(String partitionKey, byte[] data, Instant arrival) {
    }

    private static final String[] METRIC_NAMES = {"temperature", "humidity", "battery", "pressure", "co2", "rssi", "v_1", "X"};
    private static final String[] ODD_NUMBERS = {
        "0", "-0", "-0.0", "0e0", "1e100", "-1e100", "1e-100", "1E5", "123456789012345678901234567890",
        "0.1", "1.7976931348623157e308", "1e101", "1e-101", "4.9e-324", "NaN", "Infinity", "-Infinity", "1e400",
        "9007199254740993", "2.2250738585072014E-308", "-1e-100", "1.0000000000000002", "\"5\"", "null", "true", "[1]", "{}"
    };
    private static final String[] ODD_IDS = {
        "abc\\u0000def", "abc\\ud800", "\\udc00x", "trailing ", " leading", "tab\\tin", "\\u00e9t\\u00e9", "\\ud83d\\ude00",
        "\\ufffe", "line\\nbreak", "quote\\\"d", "back\\\\slash", "\\u001f", "\\u007f", "\\u0085", "",
        "x".repeat(128), "x".repeat(129), "\\u00e9".repeat(128), "a,b", "'; DROP TABLE events; --", "%s%n"
    };

    private final SplittableRandom random;
    private final Instant start;
    private final Duration maxLateness;
    private final Duration maxFutureSkew;
    private final List<byte[]> corpus;
    private final List<String> devices = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private Instant clock;
    private long ids;

    private record Sent(String partitionKey, byte[] data, String deviceId, String eventId) {
    }

    /**
     * @param corpus small records of the bad-input corpus to mix in (may be empty)
     */
    public AdversarialRecords(long seed, Instant start, Duration maxLateness, Duration maxFutureSkew, List<byte[]> corpus) {
        this.random = new SplittableRandom(seed);
        this.start = start;
        this.clock = start;
        this.maxLateness = maxLateness;
        this.maxFutureSkew = maxFutureSkew;
        this.corpus = List.copyOf(corpus);
        int fleet = 3 + random.nextInt(10);
        for (int i = 0; i < fleet; i++) {
            devices.add(i % 4 == 3 ? "dev." + i + ":x_y-z" : "dev-" + i);
        }
    }

    public Instant start() {
        return start;
    }

    /** The next {@code n} records. */
    public List<Put> next(int n) {
        List<Put> puts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            clock = clock.plusMillis(random.nextInt(20));
            puts.add(one());
        }
        return puts;
    }

    private Put one() {
        int kind = random.nextInt(100);
        if (kind < 40 || sent.isEmpty()) {
            return send(valid(false));
        }
        if (kind < 48) {
            Sent again = sent.get(random.nextInt(sent.size()));
            return new Put(again.partitionKey(), again.data(), clock); // producer retry: same bytes
        }
        if (kind < 55) {
            return send(restamped());
        }
        if (kind < 59) {
            return send(reusedIdOnAnotherDevice());
        }
        if (kind < 64) {
            return send(valid(true));
        }
        if (kind < 72) {
            return send(oddValues());
        }
        if (kind < 78) {
            return send(oddIds());
        }
        if (kind < 86) {
            return send(timed());
        }
        if (kind < 95 || corpus.isEmpty()) {
            return send(mutated());
        }
        byte[] bad = corpus.get(random.nextInt(corpus.size()));
        return new Put(device(), bad, clock);
    }

    private Put send(Sent record) {
        sent.add(record);
        if (sent.size() > 5_000) {
            sent.remove(random.nextInt(sent.size()));
        }
        return new Put(record.partitionKey(), record.data(), clock);
    }

    private String device() {
        return devices.get(random.nextInt(devices.size()));
    }

    private String eventId() {
        return "e-" + Long.toString(ids++, 36) + "-" + Integer.toHexString(random.nextInt());
    }

    /** An event time a little before arrival (most), or seconds to hours late. */
    private Instant usualTs() {
        int r = random.nextInt(10);
        long backMillis = r < 7 ? random.nextLong(30_000) : r < 9 ? random.nextLong(3_600_000) : random.nextLong(36 * 3_600_000L);
        return clock.minusMillis(backMillis);
    }

    private Sent valid(boolean pretty) {
        String device = device();
        String id = eventId();
        Instant ts = usualTs();
        StringBuilder metrics = new StringBuilder();
        int count = 1 + random.nextInt(random.nextInt(10) == 0 ? 50 : 4);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                metrics.append(pretty ? ",\n    " : ",");
            }
            String name = i < METRIC_NAMES.length ? METRIC_NAMES[i] : "m" + i;
            metrics.append('"').append(name).append("\":").append(number());
        }
        String location = random.nextInt(3) == 0 ? "" : (pretty ? ",\r\n  " : ",")
                + "\"location\":{\"lat\":" + (random.nextDouble() * 180 - 90) + ",\"lon\":" + (random.nextDouble() * 360 - 180) + "}";
        String nl = pretty ? "\n  " : "";
        String json = "{" + nl + "\"schemaVersion\":1," + nl + "\"eventId\":\"" + id + "\"," + nl + "\"deviceId\":\"" + device + "\","
                + nl + "\"ts\":\"" + ts + "\"," + nl + "\"metrics\":{" + metrics + "}" + location
                + (random.nextInt(8) == 0 ? ",\"unknown\":{\"nested\":[1,2,{\"x\":null}]}" : "") + (pretty ? "\n}\n" : "}");
        // Now and then a producer keys a record by something else than its device: the device's events
        // then arrive on more than one shard.
        String partitionKey = random.nextInt(20) == 0 ? "key-" + random.nextInt(1_000) : device;
        return new Sent(partitionKey, bytes(json), device, id);
    }

    private String number() {
        int r = random.nextInt(10);
        if (r < 6) {
            return Double.toString(Math.round(random.nextGaussian() * 2_000) / 100.0);
        }
        if (r < 8) {
            return Long.toString(random.nextLong(-1_000_000, 1_000_000));
        }
        return Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-90, 90)));
    }

    private static String json(String device, String id, Instant ts, String metrics) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts + "\",\"metrics\":{" + metrics + "}}";
    }

    /** The same device and eventId again with another time (same minute, next minute, or far off) and maybe other values. */
    private Sent restamped() {
        Sent earlier = sent.get(random.nextInt(sent.size()));
        if (earlier.eventId() == null) {
            return valid(false);
        }
        Instant ts = usualTs();
        return new Sent(earlier.partitionKey(), bytes(json(earlier.deviceId(), earlier.eventId(), ts, "\"temperature\":" + number())),
                earlier.deviceId(), earlier.eventId());
    }

    private Sent reusedIdOnAnotherDevice() {
        Sent earlier = sent.get(random.nextInt(sent.size()));
        if (earlier.eventId() == null) {
            return valid(false);
        }
        String device = device();
        return new Sent(device, bytes(json(device, earlier.eventId(), usualTs(), "\"humidity\":" + number())), device, earlier.eventId());
    }

    private Sent oddValues() {
        String device = device();
        String id = eventId();
        String value = ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)];
        String metrics = "\"temperature\":" + value + (random.nextBoolean() ? ",\"battery\":0.5" : "");
        String json = json(device, id, usualTs(), metrics);
        if (random.nextInt(3) == 0) {
            json = json.substring(0, json.length() - 1) + ",\"location\":{\"lat\":" + ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]
                    + ",\"lon\":" + (random.nextBoolean() ? "13.4" : ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]) + "}}";
        }
        return new Sent(device, bytes(json), device, id);
    }

    private Sent oddIds() {
        String device = device();
        String odd = ODD_IDS[random.nextInt(ODD_IDS.length)];
        boolean inDevice = random.nextInt(4) == 0;
        String json = json(inDevice ? odd : device, inDevice ? eventId() : odd, usualTs(), "\"temperature\":1.5");
        return new Sent(device, bytes(json), inDevice ? null : device, null);
    }

    /** Times at and around the lateness and skew bounds, and across day boundaries. */
    private Sent timed() {
        String device = device();
        String id = eventId();
        Instant ts = switch (random.nextInt(8)) {
            case 0 -> clock.minus(maxLateness);
            case 1 -> clock.minus(maxLateness).minusMillis(1);
            case 2 -> clock.plus(maxFutureSkew);
            case 3 -> clock.plus(maxFutureSkew).plusMillis(1);
            case 4 -> clock.minus(maxLateness).minusMillis(random.nextLong(1, 30L * 24 * 3_600_000));
            case 5 -> clock.minus(maxLateness).plusMillis(random.nextLong(1, 3_600_000));
            case 6 -> clock.truncatedTo(ChronoUnit.DAYS).minusNanos(random.nextInt(1_000_000) + 1);
            default -> clock.plusMillis(random.nextLong(1, maxFutureSkew.toMillis()));
        };
        String text = random.nextInt(5) == 0 ? ts.toString().replace("Z", "+00:00") : ts.toString();
        return new Sent(device, bytes(json(device, id, Instant.EPOCH, "\"temperature\":2.5").replace(Instant.EPOCH.toString(), text)), device, id);
    }

    private Sent mutated() {
        Sent base = valid(random.nextBoolean());
        byte[] b = base.data().clone();
        byte[] out = switch (random.nextInt(11)) {
            case 9 -> bytes(new String(b, StandardCharsets.UTF_8).replace("{\"schemaVersion\"",
                    "{\"pad\":\"" + "p".repeat(60_000 + random.nextInt(10_000)) + "\",\"schemaVersion\""));
            case 10 -> {
                int depth = 10 + random.nextInt(20);
                yield bytes(new String(b, StandardCharsets.UTF_8).replace("{\"schemaVersion\"",
                        "{\"deep\":" + "[".repeat(depth) + "1" + "]".repeat(depth) + ",\"schemaVersion\""));
            }
            case 0 -> flip(b);
            case 1 -> Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> insert(b, new byte[] {0});
            case 3 -> insert(b, new byte[] {'\n'});
            case 4 -> insert(b, new byte[] {(byte) 0xC3});
            case 5 -> bytes(new String(b, StandardCharsets.UTF_8).replace("\"schemaVersion\":1",
                    "\"schemaVersion\":" + (random.nextBoolean() ? "2" : "1,\"schemaVersion\":1")));
            case 6 -> bytes("[" + new String(b, StandardCharsets.UTF_8) + "]");
            case 7 -> bytes(new String(b, StandardCharsets.UTF_8) + (random.nextBoolean() ? "\n" + new String(b, StandardCharsets.UTF_8) : " x"));
            default -> bytes(new String(b, StandardCharsets.UTF_8).replace("\"deviceId\"", "\"deviceID\""));
        };
        return new Sent(base.partitionKey(), out, null, null);
    }

    private byte[] flip(byte[] b) {
        if (b.length > 0) {
            b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private byte[] insert(byte[] b, byte[] extra) {
        int at = random.nextInt(b.length + 1);
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The small records of the corpus (the large ones are generated from recipes and would dominate run time). */
    public static List<byte[]> smallCorpusRecords() {
        List<byte[]> small = new ArrayList<>();
        for (Map.Entry<String, ReasonCode> e : BadInputCorpus.expected().entrySet()) {
            byte[] data = BadInputCorpus.bytes(e.getKey());
            if (data.length <= 4096) {
                small.add(data);
            }
        }
        return small;
    }
}
