package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.testing.AdversarialRecords;
import io.twinflow.core.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The scanner's promise as a property: for any bytes, the decoder that tries {@link RecordScanner} first
 * gives the same verdict (the same event, field for field, or the same reason and detail) as the
 * decoder that reads everything with Jackson. The records are generated well-formed in the devices'
 * shape and in every near variant of it (other whitespace, number forms, escapes, field types, orders,
 * duplicates, unknown and nested fields, limits), then mutated byte by byte, plus hostile ones (random
 * bytes, BOMs, invalid UTF-8, deep nesting, huge strings and numbers) and the adversarial producer's
 * records. The seeds are printed; {@code -Dtwinflow.seed=N} replays them.
 */
class RecordScannerAgreementTest {

    private static final Instant ARRIVAL = Instant.parse("2026-11-24T10:15:31Z");
    /** Small limits as well, so the size and metric-count bounds are crossed by ordinary records. */
    private static final List<DecoderLimits> LIMITS = List.of(DecoderLimits.defaults(),
            new DecoderLimits(300, 3, Duration.ofMinutes(5), 3, Duration.ofDays(2)));
    private static final List<EventDecoder> WITH_SCANNER = LIMITS.stream().map(l -> new EventDecoder(l, true)).toList();
    private static final List<EventDecoder> JACKSON_ONLY = LIMITS.stream().map(l -> new EventDecoder(l, false)).toList();

    private static final String[] METRIC_NAMES = {"temperature", "humidity", "battery", "pressure", "co2", "a", "X_1",
        "m".repeat(64), "m".repeat(65), "", "a.b", "caf\u00e9", "t\\u0065mp", "sp ace", "temperature"};
    private static final String[] NUMBERS = {"0", "-0", "-0.0", "0.0", "1", "-1", "21.37", "0.87", "1013.2", "52.52001",
        "-180", "180", "90.0", "90.00001", "-90.000001", "180.0000000001", "123456789012345", "1234567890123456",
        "0.123456789012345", "0.1234567890123456", "99999999999999.9", "1e3", "1E-3", "1.5e2", "1e100", "1e101", "1e-100",
        "1e-101", "4.9e-324", "1e400", "-1e400", "00", "01", "-01", "1.", ".5", "+1", "- 1", "1.2.3", "0x10", "NaN", "-NaN",
        "Infinity", "-Infinity", "+Infinity", "\"NaN\"", "\"Infinity\"", "\"5\"", "null", "true", "false", "[]", "[1]", "{}",
        "{\"a\":1}", "123456789012345678901234567890", "9007199254740993", "2147483647", "2147483648", "-2147483648",
        "999999999", "1000000000", "1.0000000000000002", "0.000000000000001", "1e", "1e+", "-", "nul", "nulll", "1_000"};
    private static final String[] STRINGS = {"sensor-0042", "0b7e6a52-3c1f-4e0a-9f5e-2f6c1d9a7b11", "", " ", "a ", "a\tb",
        "a\\tb", "a\\u0000b", "\\ud800", "\\ud83d\\ude00", "\u00e9t\u00e9", "\\u00e9", "quote\\\"d", "back\\\\slash",
        "\u007f", "a/b", "a\\/b", "x".repeat(128), "x".repeat(129), "x".repeat(5000), "a:b.c_d-e", "a b", "\u2028"};
    private static final String[] TIMES = {"2026-11-24T10:15:30.123Z", "2026-11-24T10:15:30Z", "2026-11-24T10:15:30.123456789Z",
        "2026-11-24T11:15:30.123+01:00", "2026-11-24T10:15:30.1234567891Z", "2026-11-24 10:15:30Z", "2026-02-30T10:15:30Z",
        "2026-11-24T10:25:30Z", "2026-11-20T10:15:30Z", "1969-12-31T23:59:59Z", "2026-11-24T10:15:60Z", "not a time",
        "2026-11-24T10:15:30.123z", "+2026-11-24T10:15:30Z", "2026-11-24T10:15:30.Z"};
    private static final String[] WHITESPACE = {"", "", "", "", " ", "  ", "\n", "\r\n", "\t", "\u000b", "\f", "\u00a0", "/**/"};

    @TestFactory
    Stream<DynamicTest> bothReadersGiveEveryRecordTheSameVerdict() {
        return Seeds.of("RecordScannerAgreementTest", 8).boxed().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            Generator generator = new Generator(random);
            Tally tally = new Tally();
            for (int i = 0; i < 3_000; i++) {
                String record = generator.record();
                byte[] data = record.getBytes(StandardCharsets.UTF_8);
                tally.check(seed, data);
                tally.check(seed, mutate(random, data));
                tally.check(seed, mutate(random, mutate(random, data)));
                if (i % 8 == 0) {
                    tally.check(seed, hostile(random, generator));
                }
            }
            AdversarialRecords producer = new AdversarialRecords(seed, ARRIVAL, DecoderLimits.DEFAULT_MAX_LATENESS,
                    DecoderLimits.DEFAULT_MAX_FUTURE_SKEW, AdversarialRecords.smallCorpusRecords());
            for (AdversarialRecords.Put put : producer.next(2_000)) {
                tally.check(seed, put.data());
            }
            // Not vacuous: the scanner read a good share of the records, valid ones and rejected ones alike.
            assertThat(tally.scanned).isGreaterThan(tally.total / 20);
            assertThat(tally.scannedValid).isGreaterThan(100);
            assertThat(tally.scannedReasons).isNotEmpty();
        }));
    }

    /**
     * Not left to chance (a random seed may draw none of one kind): for each reason the devices' own
     * shape can earn, a record of that shape which the scanner reads, not Jackson, and judges as Jackson does.
     */
    @Test
    void theScannerItselfRejectsTheDevicesShapeForEachReasonItCanEarn() {
        String uuid = "0b7e6a52-3c1f-4e0a-9f5e-2f6c1d9a7b11";
        Map<ReasonCode, String> records = new EnumMap<>(ReasonCode.class);
        records.put(ReasonCode.MISSING_FIELD, "{\"schemaVersion\":1,\"eventId\":\"" + uuid + "\",\"deviceId\":\"sensor-1\","
                + "\"ts\":\"2026-11-24T10:15:30Z\"}");
        records.put(ReasonCode.BAD_TIMESTAMP, device("1", uuid, "sensor-1", "2026-02-30T10:15:30Z", "52.5"));
        records.put(ReasonCode.BAD_LOCATION, device("1", uuid, "sensor-1", "2026-11-24T10:15:30Z", "90.00001"));
        records.put(ReasonCode.UNSUPPORTED_SCHEMA, device("2", uuid, "sensor-1", "2026-11-24T10:15:30Z", "52.5"));
        records.put(ReasonCode.BAD_EVENT_ID, device("1", "", "sensor-1", "2026-11-24T10:15:30Z", "52.5"));
        records.put(ReasonCode.BAD_DEVICE_ID, device("1", uuid, "a b", "2026-11-24T10:15:30Z", "52.5"));
        records.forEach((reason, record) -> {
            byte[] data = record.getBytes(StandardCharsets.UTF_8);
            assertThat(RecordScanner.scan(data, DecoderLimits.defaults(), new EventFields())).as(record).isTrue();
            DecodeResult withScanner = new EventDecoder(DecoderLimits.defaults(), true).decode(data, ARRIVAL);
            assertThat(withScanner).as(record).isEqualTo(new EventDecoder(DecoderLimits.defaults(), false).decode(data, ARRIVAL));
            assertThat(withScanner).as(record).isInstanceOfSatisfying(DecodeResult.Rejected.class,
                    rejected -> assertThat(rejected.reason()).isEqualTo(reason));
        });
    }

    private static String device(String schemaVersion, String eventId, String deviceId, String ts, String lat) {
        return "{\"schemaVersion\":" + schemaVersion + ",\"eventId\":\"" + eventId + "\",\"deviceId\":\"" + deviceId + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":21.37},\"location\":{\"lat\":" + lat + ",\"lon\":13.4}}";
    }

    @Test
    void theDevicesShapeIsReadByTheScannerAndDecodesAsWithJackson() {
        byte[] data = ("{\"schemaVersion\":1,\"eventId\":\"0b7e6a52-3c1f-4e0a-9f5e-2f6c1d9a7b11\",\"deviceId\":\"sensor-0042\","
                + "\"ts\":\"2026-11-24T10:15:30.123Z\",\"metrics\":{\"temperature\":21.37,\"humidity\":45.1,\"battery\":0.8712},"
                + "\"location\":{\"lat\":52.52001,\"lon\":13.40495}}").getBytes(StandardCharsets.UTF_8);
        assertThat(RecordScanner.scan(data, DecoderLimits.defaults(), new EventFields())).isTrue();
        assertThat(new EventDecoder().decode(data, ARRIVAL)).isInstanceOf(DecodeResult.Valid.class)
                .isEqualTo(new EventDecoder(DecoderLimits.defaults(), false).decode(data, ARRIVAL));
    }

    /**
     * Records in the devices' shape. A plain record has only what the scanner reads (its values may still
     * break the rules); the others have, now and then, one of the near variants it must refuse or judge alike.
     */
    private static final class Generator {
        private final SplittableRandom r;
        private boolean plain;

        Generator(SplittableRandom r) {
            this.r = r;
        }

        String record() {
            plain = r.nextBoolean();
            List<String> fields = new ArrayList<>();
            fields.add(member("schemaVersion", odd(8) ? pick(r, NUMBERS) : "1"));
            fields.add(member("eventId", quoted(odd(8) ? pick(r, STRINGS) : new UUID(r.nextLong(), r.nextLong()).toString())));
            fields.add(member("deviceId", odd(8) ? oddValue() : quoted("sensor-" + r.nextInt(10_000))));
            fields.add(member("ts", odd(6) ? oddValue() : quoted(pick(r, TIMES))));
            if (r.nextInt(15) != 0) {
                fields.add(member("metrics", odd(15) ? oddValue() : metrics()));
            }
            if (r.nextInt(4) != 0) {
                fields.add(member("location", r.nextInt(20) == 0 ? "null" : odd(10) ? oddValue() : location()));
            }
            if (odd(6)) {
                fields.add(member(pick(r, new String[] {"firmware", "extra", "schemaVersion", "ts", "metrics", "location", "eventI\\u0064"}),
                        oddValue()));
            }
            shuffleSometimes(fields);
            return ws() + "{" + ws() + String.join("," + ws(), fields) + ws() + "}" + ws();
        }

        private boolean odd(int oneIn) {
            return !plain && r.nextInt(oneIn) == 0;
        }

        private String metrics() {
            int n = r.nextInt(20) == 0 ? r.nextInt(60) : 1 + r.nextInt(5);
            List<String> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = odd(10) ? pick(r, METRIC_NAMES) : "m" + i;
                members.add(member(name, odd(8) ? pick(r, NUMBERS) : decimal()));
            }
            return "{" + ws() + String.join("," + ws(), members) + ws() + "}";
        }

        private String location() {
            List<String> members = new ArrayList<>();
            members.add(member("lat", odd(10) ? pick(r, NUMBERS) : decimal()));
            members.add(member("lon", odd(10) ? pick(r, NUMBERS) : decimal()));
            if (odd(10)) {
                members.add(member(pick(r, new String[] {"lat", "lon", "alt"}), decimal()));
            }
            if (odd(15)) {
                members.remove(r.nextInt(members.size()));
            }
            shuffleSometimes(members);
            return "{" + ws() + String.join("," + ws(), members) + ws() + "}";
        }

        /** A plain decimal as devices print them; not plain, also past the scanner's 15-digit bound. */
        private String decimal() {
            String sign = r.nextInt(3) == 0 ? "-" : "";
            String whole = r.nextInt(4) == 0 ? "0" : Long.toString(r.nextLong(1, 1_000_000_000_000L) / (long) Math.pow(10, r.nextInt(13)));
            if (r.nextInt(4) == 0) {
                return sign + whole;
            }
            StringBuilder fraction = new StringBuilder();
            for (int i = 1 + r.nextInt(Math.max(1, (plain ? 15 : 18) - whole.length())); i > 0; i--) {
                fraction.append((char) ('0' + r.nextInt(10)));
            }
            return sign + whole + "." + fraction;
        }

        private String oddValue() {
            return switch (r.nextInt(4)) {
                case 0 -> pick(r, NUMBERS);
                case 1 -> quoted(pick(r, STRINGS));
                case 2 -> quoted(pick(r, TIMES));
                default -> "{\"a\":[1,{\"b\":" + pick(r, NUMBERS) + "}],\"c\":" + "[".repeat(r.nextInt(20)) + "]".repeat(r.nextInt(20)) + "}";
            };
        }

        private String member(String name, String value) {
            return quoted(name) + ws() + ":" + ws() + value;
        }

        /** JSON's own whitespace when plain; else also what JSON does not allow between tokens. */
        private String ws() {
            if (r.nextInt(4) != 0) {
                return "";
            }
            return plain ? pick(r, new String[] {" ", "  ", "\n", "\r\n", "\t"}) : pick(r, WHITESPACE);
        }

        private void shuffleSometimes(List<String> list) {
            if (r.nextInt(3) == 0) {
                for (int i = list.size() - 1; i > 0; i--) {
                    list.set(i, list.set(r.nextInt(i + 1), list.get(i)));
                }
            }
        }
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    private static <T> T pick(SplittableRandom r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    /** One small damage: a byte changed, inserted, removed or doubled, a cut, a BOM, or a stretch repeated. */
    private static byte[] mutate(SplittableRandom r, byte[] data) {
        if (data.length == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        int at = r.nextInt(data.length);
        byte[] interesting = {'"', '\\', '{', '}', '[', ']', ':', ',', '-', '.', 'e', '0', '9', ' ', 0, (byte) 0x80, (byte) 0xc3,
            (byte) 0xff, '\n', 'n', 'N'};
        return switch (r.nextInt(8)) {
            case 0 -> {
                byte[] copy = data.clone();
                copy[at] = r.nextBoolean() ? (byte) r.nextInt(256) : interesting[r.nextInt(interesting.length)];
                yield copy;
            }
            case 1 -> splice(data, at, at, new byte[] {r.nextBoolean() ? (byte) r.nextInt(256) : interesting[r.nextInt(interesting.length)]});
            case 2 -> splice(data, at, at + 1, new byte[0]);
            case 3 -> Arrays.copyOf(data, at);
            case 4 -> splice(data, 0, 0, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
            case 5 -> {
                int to = Math.min(data.length, at + 1 + r.nextInt(40));
                yield splice(data, at, at, Arrays.copyOfRange(data, at, to));
            }
            case 6 -> splice(data, at, at, " \t\n\r".substring(r.nextInt(4)).getBytes(StandardCharsets.US_ASCII));
            default -> splice(data, at, Math.min(data.length, at + 1 + r.nextInt(10)), new byte[0]);
        };
    }

    private static byte[] hostile(SplittableRandom r, Generator generator) {
        return switch (r.nextInt(7)) {
            case 0 -> {
                byte[] random = new byte[r.nextInt(200)];
                r.nextBytes(random);
                yield random;
            }
            case 1 -> ("{\"a\":" .repeat(r.nextInt(40)) + "1" + "}".repeat(r.nextInt(40))).getBytes(StandardCharsets.UTF_8);
            case 2 -> ("{\"schemaVersion\":1,\"eventId\":\"" + "x".repeat(r.nextInt(70_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"metrics\":{\"a\":" + "9".repeat(1 + r.nextInt(2_000)) + "." + "9".repeat(r.nextInt(2_000)) + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> new byte[] {(byte) 0xfe, (byte) 0xff, 0, '{', 0, '}'};
            case 5 -> pick(r, new String[] {"", " ", "{", "}", "[]", "\"x\"", "1", "null", "{}", "{} {}", "{}x", "{\"\":1}", "{,}",
                "{\"ts\"}", "{\"ts\":}", "{\"metrics\":{,}}", "{\"location\":{\"lat\":1,\"lon\":2,}}"}).getBytes(StandardCharsets.UTF_8);
            default -> generator.record().getBytes(StandardCharsets.UTF_16LE);
        };
    }

    private static byte[] splice(byte[] data, int from, int to, byte[] insert) {
        byte[] out = new byte[data.length - (to - from) + insert.length];
        System.arraycopy(data, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(data, to, out, from + insert.length, data.length - to);
        return out;
    }

    /** Compares the two decoders on a record, under each set of limits, and counts what the scanner read. */
    private static final class Tally {
        int total;
        int scanned;
        int scannedValid;
        final Set<ReasonCode> scannedReasons = EnumSet.noneOf(ReasonCode.class);

        void check(long seed, byte[] data) {
            for (int l = 0; l < LIMITS.size(); l++) {
                DecoderLimits limits = LIMITS.get(l);
                DecodeResult withScanner = WITH_SCANNER.get(l).decode(data, ARRIVAL);
                DecodeResult withJackson = JACKSON_ONLY.get(l).decode(data, ARRIVAL);
                assertThat(withScanner).as(() -> "seed " + seed + ", limits " + limits + ", record " + HexFormat.of().formatHex(data))
                        .isEqualTo(withJackson);
                total++;
                if (data.length <= limits.maxRecordBytes() && RecordScanner.scan(data, limits, new EventFields())) {
                    scanned++;
                    if (withScanner instanceof DecodeResult.Rejected rejected) {
                        scannedReasons.add(rejected.reason());
                    } else {
                        scannedValid++;
                    }
                }
            }
        }
    }
}
