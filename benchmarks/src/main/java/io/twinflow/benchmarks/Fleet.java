package io.twinflow.benchmarks;

import io.twinflow.functions.stream.StreamRecord;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * A deterministic fleet of devices producing schema-v1 records as they would arrive on one shard:
 * every device reports every {@code interval}, each with its own 3 to 5 metrics and a fixed location
 * with GPS jitter: 190 to 265 bytes of JSON, 245 on average. Every benchmark feeds the same records to
 * the code under test and to its baseline.
 */
public final class Fleet {

    /** Every device has these; some add the optional ones, so metric maps differ in size. */
    private static final String[] ALWAYS = {"temperature", "humidity", "battery"};
    private static final String[] OPTIONAL = {"pressure", "co2"};
    /** A realistic Kinesis sequence number: 56 digits, so comparisons cannot cheat with longs. */
    private static final BigInteger FIRST_SEQUENCE = new BigInteger("49654320000000000000000000000000000000000000000000000000");

    private final List<Device> devices = new ArrayList<>();
    private final Duration interval;
    private final Random random;

    private record Device(String id, int metricCount, double baseTemp, double lat, double lon) {
    }

    public Fleet(int deviceCount, Duration interval, long seed) {
        this.interval = interval;
        this.random = new Random(seed);
        for (int i = 0; i < deviceCount; i++) {
            devices.add(new Device(String.format(Locale.ROOT, "sensor-%04d", i), 3 + random.nextInt(OPTIONAL.length + 1),
                    15 + random.nextDouble() * 10, 35 + random.nextDouble() * 25, -10 + random.nextDouble() * 40));
        }
    }

    public static double averageBytes(List<StreamRecord> records) {
        return records.stream().mapToInt(r -> r.data().length).average().orElse(0);
    }

    /**
     * Every report of every device from {@code start} for {@code span} of event time, in arrival order.
     * Devices are spread over the interval, and a record arrives 50-250 ms after its event time.
     */
    public List<StreamRecord> records(Instant start, Duration span, String shardId) {
        long intervalMillis = interval.toMillis();
        long ticks = span.toMillis() / intervalMillis;
        List<StreamRecord> records = new ArrayList<>((int) (ticks * devices.size()));
        BigInteger sequence = FIRST_SEQUENCE;
        for (long tick = 0; tick < ticks; tick++) {
            for (int d = 0; d < devices.size(); d++) {
                Device device = devices.get(d);
                Instant ts = start.plusMillis(tick * intervalMillis + d * intervalMillis / devices.size());
                byte[] json = json(device, ts);
                records.add(new StreamRecord(shardId, sequence.toString(), device.id(),
                        ts.plusMillis(50 + random.nextInt(200)), json));
                sequence = sequence.add(BigInteger.valueOf(1 + random.nextInt(1_000)));
            }
        }
        return records;
    }

    private byte[] json(Device device, Instant ts) {
        StringBuilder s = new StringBuilder(256)
                .append("{\"schemaVersion\":1,\"eventId\":\"").append(new UUID(random.nextLong(), random.nextLong()))
                .append("\",\"deviceId\":\"").append(device.id())
                .append("\",\"ts\":\"").append(ts)
                .append("\",\"metrics\":{");
        for (int m = 0; m < device.metricCount(); m++) {
            String name = m < ALWAYS.length ? ALWAYS[m] : OPTIONAL[m - ALWAYS.length];
            s.append(m == 0 ? "" : ",").append('"').append(name).append("\":").append(reading(name, device));
        }
        s.append("},\"location\":{\"lat\":").append(round(device.lat() + random.nextGaussian() * 1e-4, 5))
                .append(",\"lon\":").append(round(device.lon() + random.nextGaussian() * 1e-4, 5))
                .append("}}");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private double reading(String metric, Device device) {
        return switch (metric) {
            case "temperature" -> round(device.baseTemp() + random.nextGaussian(), 2);
            case "humidity" -> round(45 + random.nextGaussian() * 5, 1);
            case "battery" -> round(0.5 + random.nextDouble() * 0.5, 4);
            case "pressure" -> round(1013 + random.nextGaussian() * 4, 1);
            default -> round(420 + random.nextGaussian() * 30, 0);
        };
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Splits records into batches of at most {@code size}, as the event source mapping delivers them. */
    public static List<List<StreamRecord>> batches(List<StreamRecord> records, int size) {
        List<List<StreamRecord>> batches = new ArrayList<>();
        for (int from = 0; from < records.size(); from += size) {
            batches.add(records.subList(from, Math.min(records.size(), from + size)));
        }
        return batches;
    }

    /**
     * The batches the pipeline's event source mappings deliver: each record goes to the shard Kinesis
     * gives its partition key (the MD5 of the key as a 128-bit number, in shards splitting the hash range
     * evenly, as a stream created with {@code shards} shards has them), and each shard's mapping cuts a
     * batch when it holds {@code batchSize} records or its first record has waited {@code batchingWindow}
     * (by arrival time). Batches come out in the order their first records arrived, shards interleaved.
     */
    public static List<List<StreamRecord>> pipelineBatches(List<StreamRecord> records, int shards, int batchSize,
                                                           Duration batchingWindow) {
        List<List<StreamRecord>> byShard = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            byShard.add(new ArrayList<>());
        }
        for (StreamRecord r : records) {
            int shard = shardOf(r.partitionKey(), shards);
            byShard.get(shard).add(new StreamRecord(String.format(Locale.ROOT, "shardId-%012d", shard), r.sequenceNumber(),
                    r.partitionKey(), r.arrivalTime(), r.data()));
        }
        List<List<StreamRecord>> batches = new ArrayList<>();
        for (List<StreamRecord> shard : byShard) {
            int from = 0;
            while (from < shard.size()) {
                Instant cut = shard.get(from).arrivalTime().plus(batchingWindow);
                int to = from + 1;
                while (to < shard.size() && to - from < batchSize && shard.get(to).arrivalTime().isBefore(cut)) {
                    to++;
                }
                batches.add(shard.subList(from, to));
                from = to;
            }
        }
        batches.sort(Comparator.comparing(batch -> batch.get(0).arrivalTime()));
        return batches;
    }

    /** The shard Kinesis puts a partition key on, of {@code shards} that split the 128-bit hash range evenly. */
    static int shardOf(String partitionKey, int shards) {
        try {
            BigInteger hash = new BigInteger(1, MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8)));
            return hash.multiply(BigInteger.valueOf(shards)).shiftRight(128).intValueExact();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** How many (device, batch) pairs the batches hold: each costs the stream processor a window and a state write. */
    public static long deviceBatchPairs(List<List<StreamRecord>> batches) {
        return batches.stream().mapToLong(batch -> batch.stream().map(StreamRecord::partitionKey).distinct().count()).sum();
    }
}
