package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RawLinesTest {

    @Test
    void splitsOnNewlineOnlyDropsTrailingCarriageReturnAndKeepsAnUnterminatedLastLine() {
        List<RawLines.Line> lines = read("a\r\nb\rc\n\nlast".getBytes(StandardCharsets.UTF_8), 100);

        assertThat(lines).extracting(l -> new String(l.bytes(), StandardCharsets.UTF_8))
                .containsExactly("a", "b\rc", "", "last");
        assertThat(lines).extracting(RawLines.Line::number).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aTrailingNewlineDoesNotMakeAnEmptyLastLine() {
        assertThat(read("x\ny\n".getBytes(StandardCharsets.UTF_8), 100)).hasSize(2);
        assertThat(read(new byte[0], 100)).isEmpty();
    }

    @Test
    void aLineLongerThanTheLimitKeepsOnlyItsLengthEvenAcrossReadChunks() {
        String longLine = "x".repeat(200_000);
        List<RawLines.Line> lines = read(gzip(longLine + "\n" + "y".repeat(10) + "\r\n"), 100);

        assertThat(lines.get(0).bytes()).isNull();
        assertThat(lines.get(0).length()).isEqualTo(200_000);
        assertThat(lines.get(1).bytes()).hasSize(10);
    }

    @Test
    void aLineOfExactlyTheLimitPlusACarriageReturnIsKept() {
        List<RawLines.Line> lines = read(("z".repeat(100) + "\r\n").getBytes(StandardCharsets.UTF_8), 100);

        assertThat(lines.get(0).bytes()).hasSize(100);
    }

    @Test
    void gzipIsRecognisedByItsMagicNumberAndPlainBytesAreReadAsTheyAre() {
        byte[] invalidUtf8 = {(byte) 0xc3, (byte) 0x28, '\n'};
        assertThat(read(gzip(new String(invalidUtf8, StandardCharsets.ISO_8859_1)), 100).get(0).bytes())
                .containsExactly((byte) 0xc3, (byte) 0x28);
        assertThat(read(invalidUtf8, 100).get(0).bytes()).containsExactly((byte) 0xc3, (byte) 0x28);
    }

    private static List<RawLines.Line> read(byte[] object, int keepAtMost) {
        List<RawLines.Line> lines = new ArrayList<>();
        RawLines.of(object, keepAtMost).forEachRemaining(lines::add);
        return lines;
    }

    private static byte[] gzip(String latin1) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(latin1.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
