package io.twinflow.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.event.EventDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StagedLineTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private static RawLineReader.RawLine line(long no, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new RawLineReader.RawLine(no, bytes, bytes.length);
    }

    @Test
    void aValidEventBecomesItsColumnsWithTheRejectionColumnsEmpty() {
        StagedLine staged = new StagedLine(new EventDecoder(), 65535);

        String csv = staged.toCsv(line(3, "{\"schemaVersion\":1,\"eventId\":\"e\\\"1\",\"deviceId\":\"d-1\","
                + "\"ts\":\"2026-11-24T10:15:30.5Z\",\"metrics\":{\"battery\":0.5,\"co2\":400},\"location\":{\"lat\":1.5,\"lon\":-2}}"), NOW);

        assertThat(csv).isEqualTo("3,\"e\"\"1\",\"d-1\",2026-11-24 10:15:30.500000+00,2026-11-24,1,,,0.5,"
                + "\"{\"\"battery\"\":0.5,\"\"co2\"\":400.0}\",2,1.5,-2.0,,,,,,\n");
        assertThat(staged.valid()).isEqualTo(1);
        assertThat(staged.rejected()).isZero();
    }

    @Test
    void aRejectedLineKeepsReasonDetailAndPayloadOnOneCsvLine() {
        StagedLine staged = new StagedLine(new EventDecoder(), 65535);

        String csv = staged.toCsv(line(7, "{\"a\":"), NOW);

        assertThat(csv).startsWith("7,,,,,,,,,,,,,\"INVALID_JSON\",\"").endsWith(",\"{\"\"a\"\":\",\"utf8\",5,false\n");
        assertThat(csv.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(staged.rejected()).isEqualTo(1);
    }

    @Test
    void aTruncatedLineIsTooLargeWithoutBeingDecoded() {
        StagedLine staged = new StagedLine(new EventDecoder(), 65535);

        String csv = staged.toCsv(new RawLineReader.RawLine(1, "{".getBytes(StandardCharsets.UTF_8), 10_000_000), NOW);

        assertThat(csv).contains("\"RECORD_TOO_LARGE\"", "10000000,true\n");
    }

    @Test
    void payloadsThatAreNotTextAreStoredAsBase64AndCutToTheColumn() {
        StagedLine staged = new StagedLine(new EventDecoder(), 8);

        assertThat(staged.payload(new RawLineReader.RawLine(1, new byte[] {'a', 0, 'b'}, 3)))
                .isEqualTo(new StagedLine.Payload("YQBi", "base64", false));
        assertThat(staged.payload(new RawLineReader.RawLine(1, new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7}, 8)))
                .isEqualTo(new StagedLine.Payload("/wECAwQF", "base64", true));
        assertThat(staged.payload(line(1, "ääääää"))).isEqualTo(new StagedLine.Payload("ääää", "utf8", true));
    }

    @Test
    void truncationNeverSplitsACharacter() {
        assertThat(StagedLine.truncateUtf8("a€b", 3)).isEqualTo("a");
        assertThat(StagedLine.truncateUtf8("a€b", 4)).isEqualTo("a€");
        assertThat(StagedLine.truncateUtf8("a😀", 4)).isEqualTo("a");
    }

    @Test
    void metricsJsonIsSortedAndNeedsNoEscaping() {
        assertThat(StagedLine.metricsJson(new TreeMap<>(Map.of("b", 1.0, "a", -0.25)))).isEqualTo("{\"a\":-0.25,\"b\":1.0}");
    }
}
