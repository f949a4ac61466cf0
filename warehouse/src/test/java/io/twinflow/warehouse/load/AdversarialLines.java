package io.twinflow.warehouse.load;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.testing.BadInputCorpus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Raw archive lines meant to break a load: random bytes (NUL, CR, invalid UTF-8, 0x1E), envelopes that
 * are almost right, and events whose ids hold NUL and surrogate escapes, multi-byte text up to and past
 * the column widths, line breaks, odd numbers and times around the lateness and skew bounds. Never
 * contains LF: each element is one line as the reader hands it over.
 */
public final class AdversarialLines {

    /** eventIds as JSON string bodies: each is a problem for some store or for COPY. */
    private static final List<String> IDS = List.of(
            "\\u0000", "a\\u0000b", "\\ud800", "x\\udfffy", "\\ud83d\\ude00", "😀".repeat(128), "😀".repeat(129),
            "é".repeat(128), "€".repeat(128), "a\\r\\nb", "tab\\there", "\\u001f", "trailing ", "\\\\back\\\\slash",
            "quo\\\"te", "comma,id", "\\u2028", "\\ufffe", "\\uffff", "plain-id");
    private static final List<String> DEVICES = List.of("dev-1", "dev-2", "dev\\u0000x", "dev é", "d".repeat(129), "dev:1.a_b-c");
    private static final List<String> NUMBERS = List.of("1", "-0.0", "1e-100", "1e-101", "1e100", "12345678901234567890123456789012345678901",
            "0.000000000000000000000000000000000000001", "1E+2", "3.4028235E38");
    private static final List<String> SHARDS = List.of("shardId-000000000000", "shardId-000000000001", "shard\u0000x", "é",
            "s".repeat(200), "with space", "\u007f");

    private AdversarialLines() {
    }

    /**
     * @param now the time valid events are placed around, and the arrival their envelopes carry near it
     */
    public static List<byte[]> generate(long seed, int count, Instant now) {
        Random random = new Random(seed);
        List<byte[]> lines = new ArrayList<>(count);
        List<byte[]> earlier = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] line = switch (random.nextInt(9)) {
                case 0 -> randomBytes(random, 0);
                case 1 -> randomBytes(random, ArchiveLine.RS);
                case 2 -> odd(random, now, i);
                case 3 -> plain(event(random, now, i));
                case 4 -> earlier.isEmpty() ? plain(event(random, now, i)) : earlier.get(random.nextInt(earlier.size()));
                default -> envelope(event(random, now, i), random, now);
            };
            if (random.nextInt(4) == 0) {
                earlier.add(line);
            }
            lines.add(line);
        }
        return lines;
    }

    /** Every record of the bad-input corpus, framed as the archive frames stream records. */
    public static List<byte[]> corpus(Instant arrival) {
        List<byte[]> lines = new ArrayList<>();
        long sequence = 1;
        for (String name : BadInputCorpus.expected().keySet()) {
            lines.add(strip(ArchiveLine.encode(BadInputCorpus.bytes(name), arrival, "shardId-000000000000", Long.toString(sequence++))));
        }
        return lines;
    }

    private static byte[] randomBytes(Random random, int first) {
        int n = random.nextInt(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (first != 0) {
            out.write(first);
            out.writeBytes("tf1\t".getBytes(StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < n; i++) {
            int b = random.nextInt(8) == 0 ? new int[] {0, '\r', 0xC0, 0xED, 0xF4, 0xFF, '"', ',', '\t', 0x1E}[random.nextInt(10)] : random.nextInt(256);
            out.write(b == '\n' ? 0x0B : b);
        }
        return out.toByteArray();
    }

    /** Envelopes that are almost right: odd shard ids, arrival times no timestamp column holds. */
    private static byte[] odd(Random random, Instant now, int i) {
        String record = event(random, now, i).replace('\n', ' ');
        String shard = SHARDS.get(random.nextInt(SHARDS.size()));
        String arrival = switch (random.nextInt(4)) {
            case 0 -> "99999999999999999";
            case 1 -> "-1";
            case 2 -> "1e3";
            default -> Long.toString(now.toEpochMilli());
        };
        String line = "\u001etf1\t" + arrival + "\t" + shard + "\t" + (1 + random.nextInt(1000)) + "\tr\t" + record;
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON event; often valid, otherwise wrong in one of the ways above. May hold CR or LF. */
    private static String event(Random random, Instant now, int i) {
        String id = random.nextInt(3) == 0 ? IDS.get(random.nextInt(IDS.size())) : "ev-" + random.nextInt(Math.max(1, i / 2 + 1));
        String device = random.nextInt(4) == 0 ? DEVICES.get(random.nextInt(DEVICES.size())) : "dev-" + random.nextInt(5);
        long offsetSeconds = switch (random.nextInt(6)) {
            case 0 -> -3L * 86_400 - random.nextInt(1000);      // past the lateness bound
            case 1 -> 3_600L + random.nextInt(1000);             // past the future skew
            default -> -random.nextInt(7_200);
        };
        String ts = now.plusSeconds(offsetSeconds).toString();
        String value = NUMBERS.get(random.nextInt(NUMBERS.size()));
        String json = "{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":" + value + ",\"battery\":0.5},\"location\":{\"lat\":" + value + ",\"lon\":1}}";
        return random.nextInt(8) == 0 ? json.replace(",", ",\n  ") : json;
    }

    private static byte[] envelope(String record, Random random, Instant now) {
        Instant arrival = now.plusMillis(random.nextInt(60_000));
        String shard = random.nextBoolean() ? "shardId-000000000000" : "shardId-000000000001";
        return strip(ArchiveLine.encode(record.getBytes(StandardCharsets.UTF_8), arrival, shard, Long.toString(1 + random.nextInt(1_000_000))));
    }

    /** A record written as a plain line, as an archive without envelopes would hold it (its line breaks removed). */
    private static byte[] plain(String record) {
        return record.replace('\n', ' ').getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] strip(byte[] envelopeLine) {
        return Arrays.copyOf(envelopeLine, envelopeLine.length - 1);
    }
}
