package io.twinflow.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArchiveLineTest {

    private static final Instant ARRIVAL = Instant.parse("2026-11-24T10:15:31.100Z");
    private static final Instant OBJECT_TIME = Instant.parse("2026-11-24T10:16:30Z");
    private static final String SEQ = "49590338271490256608559692538361571095921575989136588898";

    private static ArchivedRecord roundTrip(byte[] data) {
        byte[] line = ArchiveLine.encode(data, ARRIVAL, "shardId-000000000001", SEQ);
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        byte[] withoutLf = Arrays.copyOf(line, line.length - 1);
        assertThat(withoutLf).doesNotContain((byte) '\n', (byte) '\r');
        ArchiveLine.Read read = ArchiveLine.read(withoutLf, OBJECT_TIME);
        assertThat(read).isInstanceOf(ArchiveLine.Record.class);
        return ((ArchiveLine.Record) read).record();
    }

    @Test
    void aSingleLineEventIsKeptReadableAndComesBackWithItsArrivalAndPosition() {
        byte[] event = "{\"schemaVersion\":1,\"eventId\":\"e\"}".getBytes(StandardCharsets.UTF_8);
        byte[] line = ArchiveLine.encode(event, ARRIVAL, "shardId-000000000001", SEQ);

        assertThat(new String(line, StandardCharsets.UTF_8)).endsWith("\tr\t{\"schemaVersion\":1,\"eventId\":\"e\"}\n");
        ArchivedRecord record = roundTrip(event);
        assertThat(record.data()).isEqualTo(event);
        assertThat(record.arrival()).isEqualTo(ARRIVAL);
        assertThat(record.shardId()).isEqualTo("shardId-000000000001");
        assertThat(record.sequenceNumber()).isEqualTo(SEQ);
        assertThat(record.position()).isEqualTo("shardId-000000000001/" + SEQ);
    }

    @Test
    void aPrettyPrintedRecordIsOneLineAndComesBackByteForByte() {
        byte[] pretty = "{\n  \"schemaVersion\": 1,\r\n  \"eventId\": \"e\"\n}\n".getBytes(StandardCharsets.UTF_8);

        assertThat(roundTrip(pretty).data()).isEqualTo(pretty);
    }

    @Test
    void anyBytesRoundTripExactly() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            assertThat(roundTrip(data).data()).as("case %d", i).isEqualTo(data);
        }
        assertThat(roundTrip(new byte[0]).data()).isEmpty();
    }

    @Test
    void aPlainLineIsOneRecordArrivedByTheObjectsTimeWithoutPosition() {
        byte[] plain = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        ArchivedRecord record = ((ArchiveLine.Record) ArchiveLine.read(plain, OBJECT_TIME)).record();

        assertThat(record.data()).isEqualTo(plain);
        assertThat(record.arrival()).isEqualTo(OBJECT_TIME);
        assertThat(record.hasPosition()).isFalse();
        assertThat(record.position()).isNull();
    }

    @Test
    void aBrokenEnvelopeIsReportedNotGuessedAt() {
        String[] broken = {
            "\u001e", "\u001etf2\t1\ts\t1\tr\tx", "\u001etf1\t1\ts\t1\tr", "\u001etf1\tx\ts\t1\tr\t{}",
            "\u001etf1\t1\t\t1\tr\t{}", "\u001etf1\t1\ts\t12a\tr\t{}", "\u001etf1\t1\ts\t1\tz\t{}", "\u001etf1\t1\ts\t1\tb\t%%%",
            "\u001etf1\t-1\ts\t1\tr\t{}", "\u001etf1\t253402300800000\ts\t1\tr\t{}", "\u001etf1\t1\ts x\t1\tr\t{}",
            "\u001etf1\t1\ts\u00e9\t1\tr\t{}", "\u001etf1\t1\t" + "s".repeat(129) + "\t1\tr\t{}"
        };
        for (String line : broken) {
            assertThat(ArchiveLine.read(line.getBytes(StandardCharsets.ISO_8859_1), OBJECT_TIME))
                    .as(line).isInstanceOf(ArchiveLine.Malformed.class);
        }
    }

    @Test
    void positionsSortInStreamOrderWhateverTheirLength() {
        assertThat(StreamPositions.key("s", "9").compareTo(StreamPositions.key("s", "10"))).isNegative();
        assertThat(StreamPositions.padded("1")).hasSize(56).endsWith("01");
        assertThatThrownBy(() -> StreamPositions.padded("1".repeat(57))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveLine.encode(new byte[0], ARRIVAL, "bad\tshard", "1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyRecordWithinTheLimitFitsTheLongestLineAndALongerLineHoldsATooLargeRecord() {
        int limit = 1_000;
        byte[] worst = new byte[limit];
        Arrays.fill(worst, (byte) '\n'); // base64: the longest form a record takes
        byte[] line = ArchiveLine.encode(worst, ARRIVAL, "s".repeat(ArchiveLine.MAX_SHARD_ID_LENGTH), "9".repeat(56));

        assertThat(line.length - 1).isLessThanOrEqualTo(ArchiveLine.longestLine(limit));
        assertThat(ArchiveLine.holdsTooLargeRecord(line.length - 1, limit)).isFalse();
        assertThat(ArchiveLine.holdsTooLargeRecord(ArchiveLine.longestLine(limit) + 1L, limit)).isTrue();
    }
}
