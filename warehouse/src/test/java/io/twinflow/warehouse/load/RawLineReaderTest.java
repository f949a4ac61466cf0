package io.twinflow.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RawLineReaderTest {

    private static List<RawLineReader.RawLine> read(InputStream in, int maxKept) throws IOException {
        RawLineReader reader = new RawLineReader(in, maxKept);
        List<RawLineReader.RawLine> lines = new ArrayList<>();
        RawLineReader.RawLine line;
        while ((line = reader.next()) != null) {
            lines.add(line);
        }
        return lines;
    }

    private static List<String> texts(List<RawLineReader.RawLine> lines) {
        return lines.stream().map(l -> new String(l.kept(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void splitsOnNewlinesKeepsEmptyLinesAndTheLastLineWithoutNewline() throws IOException {
        List<RawLineReader.RawLine> lines = read(new ByteArrayInputStream("a\n\nbc\r\nd".getBytes(StandardCharsets.UTF_8)), 100);

        assertThat(texts(lines)).containsExactly("a", "", "bc", "d");
        assertThat(lines).extracting(RawLineReader.RawLine::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(lines.get(2).fullLength()).isEqualTo(2);
    }

    @Test
    void aFinalNewlineDoesNotMakeAnExtraLineAndAnEmptyStreamHasNone() throws IOException {
        assertThat(texts(read(new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)), 10))).containsExactly("x");
        assertThat(read(new ByteArrayInputStream(new byte[0]), 10)).isEmpty();
    }

    @Test
    void longLinesAreCutToTheLimitButMeasuredInFull() throws IOException {
        String longLine = "y".repeat(200_000);
        List<RawLineReader.RawLine> lines = read(new ByteArrayInputStream((longLine + "\nz").getBytes(StandardCharsets.UTF_8)), 1000);

        assertThat(lines.get(0).kept()).hasSize(1000);
        assertThat(lines.get(0).fullLength()).isEqualTo(200_000);
        assertThat(lines.get(0).truncated()).isTrue();
        assertThat(texts(lines).get(1)).isEqualTo("z");
        assertThat(lines.get(1).truncated()).isFalse();
    }

    @Test
    void linesSpanningReadBoundariesArriveWhole() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append("line-").append(i).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };

        List<String> lines = texts(read(trickle, 100));

        assertThat(lines).hasSize(5000);
        assertThat(lines.get(4321)).isEqualTo("line-4321");
    }

    @Test
    void withOneByteAboveTheRecordLimitARecordOfExactlyTheLimitPlusACarriageReturnIsKeptWhole() throws IOException {
        // Kept limit 101 = a record limit of 100 plus one.
        List<RawLineReader.RawLine> lines = read(new ByteArrayInputStream(
                ("z".repeat(100) + "\r\n" + "y".repeat(101) + "\r\n").getBytes(StandardCharsets.UTF_8)), 101);

        assertThat(lines.get(0).kept()).hasSize(100);
        assertThat(lines.get(0).truncated()).isFalse();
        // One byte over the record limit: truncated, and still longer than the limit, so too large.
        assertThat(lines.get(1).truncated()).isTrue();
        assertThat(lines.get(1).kept()).hasSize(101);
        assertThat(lines.get(1).fullLength()).isEqualTo(102);
    }

    @Test
    void gzipIsRecognisedByItsMagicNumberAndPlainBytesAreReadAsTheyAre() throws IOException {
        byte[] invalidUtf8 = {(byte) 0xc3, (byte) 0x28, '\n'};
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(invalidUtf8);
        }
        assertThat(read(RawLineReader.gunzipIfNeeded(new ByteArrayInputStream(zipped.toByteArray())), 100).get(0).kept())
                .containsExactly((byte) 0xc3, (byte) 0x28);
        assertThat(read(RawLineReader.gunzipIfNeeded(new ByteArrayInputStream(invalidUtf8)), 100).get(0).kept())
                .containsExactly((byte) 0xc3, (byte) 0x28);
    }
}
