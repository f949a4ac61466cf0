package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time encoding check gives the byte-at-a-time verdict on every input. */
class EncodingCheckTest {

    /** The check as it was written before: one byte at a time. */
    private static RecordParser.Encoding byteByByte(byte[] data) {
        boolean ascii = true;
        boolean nul = false;
        for (byte b : data) {
            nul |= b == 0;
            ascii &= b >= 0;
        }
        if (!ascii) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
            } catch (CharacterCodingException e) {
                return RecordParser.Encoding.INVALID_UTF8;
            }
        }
        return nul ? RecordParser.Encoding.HAS_NUL : RecordParser.Encoding.VALID;
    }

    @Test
    void everySingleByteAtEveryPositionOfShortRecords() {
        for (int length = 1; length <= 24; length++) {
            for (int at = 0; at < length; at++) {
                for (int value = -128; value < 128; value++) {
                    byte[] data = new byte[length];
                    Arrays.fill(data, (byte) 'a');
                    data[at] = (byte) value;
                    assertThat(RecordParser.checkEncoding(data)).as("length %d, byte %d at %d", length, value, at)
                            .isEqualTo(byteByByte(data));
                }
            }
        }
    }

    @Test
    void randomRecordsMixingAsciiNulAndMultiByteText() {
        Random random = new Random(18);
        byte[] alphabet = ("{\"a\":1}\u00e9\u20ac\ud83d\ude00").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 50_000; i++) {
            byte[] data = new byte[random.nextInt(0, 70)];
            for (int j = 0; j < data.length; j++) {
                int pick = random.nextInt(100);
                data[j] = pick < 2 ? 0 : pick < 4 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            assertThat(RecordParser.checkEncoding(data)).as(Arrays.toString(data)).isEqualTo(byteByByte(data));
        }
    }

    @Test
    void emptyRecordIsValidText() {
        assertThat(RecordParser.checkEncoding(new byte[0])).isEqualTo(RecordParser.Encoding.VALID);
    }
}
