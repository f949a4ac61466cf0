package io.twinflow.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.window.Windows;
import io.twinflow.warehouse.LoadRules;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class StagedLineTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final String VALID = "{\"schemaVersion\":1,\"eventId\":\"e\\\"1\",\"deviceId\":\"d-1\","
            + "\"ts\":\"2026-11-24T10:15:30.5Z\",\"metrics\":{\"battery\":0.5,\"co2\":400},\"location\":{\"lat\":1.5,\"lon\":-2}}";

    private static RawLineReader.RawLine line(long no, String text) {
        return line(no, text.getBytes(StandardCharsets.UTF_8));
    }

    private static RawLineReader.RawLine line(long no, byte[] bytes) {
        return new RawLineReader.RawLine(no, bytes, bytes.length);
    }

    private static byte[] envelope(String record, Instant arrival, String shard, String sequence) {
        byte[] line = ArchiveLine.encode(record.getBytes(StandardCharsets.UTF_8), arrival, shard, sequence);
        return Arrays.copyOf(line, line.length - 1);
    }

    @Test
    void aValidEventBecomesItsColumnsAndWindowWithTheRejectionColumnsEmptyAndItsPayloadKept() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 65535);

        String csv = staged.toCsv(line(3, VALID), NOW);

        assertThat(csv).isEqualTo("3,\"e\"\"1\",\"d-1\",2026-11-24 10:15:30.500000+00,2026-11-24,2026-11-24 10:15:00.000000+00,1,,,0.5,"
                + "\"{\"\"battery\"\":0.5,\"\"co2\"\":400.0}\",2,1.5,-2.0,,,,,,\"" + VALID.replace("\"", "\"\"") + "\",\"utf8\","
                + VALID.length() + ",false\n");
        assertThat(staged.valid()).isEqualTo(1);
        assertThat(staged.rejected()).isZero();
    }

    @Test
    void withoutValidPayloadsAValidLineLeavesThePayloadColumnsEmptyAndARejectedLineKeepsItsPayload() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 65535, false);

        assertThat(staged.toCsv(line(3, VALID), NOW)).isEqualTo("3,\"e\"\"1\",\"d-1\",2026-11-24 10:15:30.500000+00,2026-11-24,"
                + "2026-11-24 10:15:00.000000+00,1,,,0.5,\"{\"\"battery\"\":0.5,\"\"co2\"\":400.0}\",2,1.5,-2.0,,,,,,,,,\n");
        assertThat(staged.toCsv(line(4, "{not json"), NOW)).contains("\"{not json\",\"utf8\",9,false");
        assertThat(staged.valid()).isEqualTo(1);
        assertThat(staged.rejected()).isEqualTo(1);
    }

    @Test
    void aWholeGzipObjectIsStagedOneRecordPerLineWithTheLimitsTheCallerGave() throws IOException {
        StagedLine staged = new StagedLine(LoadRules.of(DecoderLimits.defaults().withMaxFutureSkew(Duration.ofHours(3)),
                new Windows(Windows.DEFAULT_SIZE)), 65535);
        Instant lastModified = Instant.parse("2026-11-24T08:00:00Z");
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(object)) {
            gzip.write((VALID + "\nnot json\n").getBytes(StandardCharsets.UTF_8));
        }
        StringWriter csv = new StringWriter();

        staged.writeObject(new ByteArrayInputStream(object.toByteArray()), lastModified, csv);

        // 10:15 is 2h15m after the object landed: inside the caller's 3 h skew, past the default's.
        assertThat(csv.toString().split("\n")).hasSize(2).satisfies(records -> {
            assertThat(records[0]).startsWith("1,\"e\"\"1\",").doesNotContain("FUTURE_TIMESTAMP");
            assertThat(records[1]).startsWith("2,").contains("\"INVALID_JSON\"");
        });
        assertThat(staged.valid()).isEqualTo(1);
        assertThat(staged.rejected()).isEqualTo(1);
        assertThat(new StagedLine(LoadRules.defaults(), 65535).toCsv(line(1, VALID), lastModified)).contains("FUTURE_TIMESTAMP");
    }

    @Test
    void anEnvelopeGivesTheStreamPositionAndTheArrivalTheRecordIsJudgedAgainst() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 65535);
        Instant arrival = Instant.parse("2026-11-24T10:15:31Z");

        String valid = staged.toCsv(line(1, envelope(VALID, arrival, "shardId-000000000002", "42")), NOW.plusSeconds(86_400 * 30));
        String future = staged.toCsv(line(2, envelope(VALID, arrival.minusSeconds(3600), "shardId-000000000002", "43")), NOW);

        assertThat(valid).contains(",\"shardId-000000000002\",\"42\",\"shardId-000000000002/" + "0".repeat(54) + "42\",,,");
        assertThat(future).contains("\"FUTURE_TIMESTAMP\"");
    }

    @Test
    void aPrettyPrintedEventArchivedAsBase64IsOneValidLineAndItsPayloadStaysOnOneCsvLine() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 65535);
        String pretty = VALID.replace(",", ",\n  ");

        String csv = staged.toCsv(line(1, envelope(pretty, Instant.parse("2026-11-24T10:15:31Z"), "s", "1")), NOW);

        assertThat(staged.valid()).isEqualTo(1);
        assertThat(csv).contains(",\"base64\",").endsWith(",false\n");
        assertThat(csv.indexOf('\n')).isEqualTo(csv.length() - 1);
        assertThat(csv.indexOf('\r')).isEqualTo(-1);
    }

    @Test
    void malformedEnvelopesAndUnstorableShardIdsAreBadArchiveLinesWithTheLineAsPayload() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 65535);
        // Written by hand: the encoder refuses such a shard id, but an archive line may claim anything.
        byte[] badShard = ("\u001etf1\t" + NOW.toEpochMilli() + "\tshard\u0000x\t1\tr\t" + VALID).getBytes(StandardCharsets.UTF_8);

        String malformed = staged.toCsv(line(1, "\u001etf1\tsoon\ts\t1\tr\t{}"), NOW);
        String shard = staged.toCsv(line(2, badShard), NOW);

        assertThat(malformed).contains(",,,\"BAD_ARCHIVE_LINE\",\"archive envelope's arrival time is not epoch milliseconds\",\"")
                .contains(",\"utf8\",");
        assertThat(shard).contains("\"BAD_ARCHIVE_LINE\"").contains("shard id").contains(",\"base64\",").doesNotContain("\u0000");
        assertThat(staged.rejected()).isEqualTo(2);
    }

    @Test
    void aRejectedLineKeepsReasonDetailAndPayloadOnOneCsvLine() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 65535);

        String csv = staged.toCsv(line(7, "{\"a\":"), NOW);

        assertThat(csv).startsWith("7,,,,,,,,,,,,,,,,,\"INVALID_JSON\",\"").endsWith(",\"{\"\"a\"\":\",\"utf8\",5,false\n");
        assertThat(csv.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(staged.rejected()).isEqualTo(1);
    }

    @Test
    void aTruncatedLineIsTooLargeWithoutBeingDecoded() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 65535);

        String csv = staged.toCsv(new RawLineReader.RawLine(1, "{".getBytes(StandardCharsets.UTF_8), 10_000_000), NOW);

        assertThat(csv).contains("\"RECORD_TOO_LARGE\"", "10000000,true\n");
    }

    @Test
    void theReaderKeepsEnoughOfALineForTheBase64EnvelopeOfTheLargestAcceptedRecord() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 65535);
        int limit = LoadRules.defaults().limits().maxRecordBytes();

        assertThat(staged.maxKeptBytes()).isGreaterThan(limit / 3 * 4 + 100);
    }

    @Test
    void payloadsThatAreNotPlainTextAreStoredAsBase64AndCutToTheColumn() {
        StagedLine staged = new StagedLine(LoadRules.defaults(), 8);

        assertThat(staged.payload(line(1, new byte[] {'a', 0, 'b'})))
                .isEqualTo(new StagedLine.Payload("YQBi", "base64", 3, false));
        assertThat(staged.payload(line(1, new byte[] {'a', '\r', 'b'})))
                .isEqualTo(new StagedLine.Payload("YQ1i", "base64", 3, false));
        assertThat(staged.payload(line(1, new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7})))
                .isEqualTo(new StagedLine.Payload("/wECAwQF", "base64", 8, true));
        assertThat(staged.payload(line(1, "ääääää"))).isEqualTo(new StagedLine.Payload("ääää", "utf8", 12, true));
    }

    @Test
    void truncationNeverSplitsACharacter() {
        assertThat(StagingText.truncateUtf8("a€b", 3)).isEqualTo("a");
        assertThat(StagingText.truncateUtf8("a€b", 4)).isEqualTo("a€");
        assertThat(StagingText.truncateUtf8("a😀", 4)).isEqualTo("a");
    }

    @Test
    void notesBecomePrintableAsciiWithinTheirBytes() {
        assertThat(StagingText.printable("a\u0000b\n\ud800é", 100)).isEqualTo("a\\u0000b\\u000a\\ud800\\u00e9");
        assertThat(StagingText.printable("é".repeat(50), 13)).isEqualTo("\\u00e9\\u00e9");
        assertThat(StagingText.isStorable("a😀", 5)).isTrue();
        assertThat(StagingText.isStorable("a😀", 4)).isFalse();
        assertThat(StagingText.isStorable("a\ud800", 100)).isFalse();
        assertThat(StagingText.isStorable("a\u0000", 100)).isFalse();
    }

    @Test
    void metricsJsonIsSortedAndNeedsNoEscaping() {
        assertThat(StagedLine.metricsJson(new TreeMap<>(Map.of("b", 1.0, "a", -0.25)))).isEqualTo("{\"a\":-0.25,\"b\":1.0}");
    }
}
