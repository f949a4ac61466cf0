package io.twinflow.warehouse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgBinaryCopyTest {

    private static final List<PgBinaryCopy.Type> ALL = List.of(PgBinaryCopy.Type.INT8, PgBinaryCopy.Type.INT2, PgBinaryCopy.Type.FLOAT8,
            PgBinaryCopy.Type.BOOL, PgBinaryCopy.Type.DATE, PgBinaryCopy.Type.TIMESTAMPTZ, PgBinaryCopy.Type.TEXT, PgBinaryCopy.Type.TEXT);

    @Test
    void writesTheSignatureEachFieldBigEndianWithItsLengthNullsAsMinusOneAndTheTrailer() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PgBinaryCopy copy = new PgBinaryCopy(out, ALL);

        copy.number(7).number(-2).number(1.5).bool(true).date(LocalDate.of(2000, 1, 2))
                .timestamp(Instant.parse("1999-12-31T23:59:59.000001999Z")).string("é\"").string(null);
        copy.endRecord();
        copy.finish();

        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        byte[] signature = new byte[11];
        b.get(signature);
        assertThat(signature).isEqualTo(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        assertThat(b.getInt()).as("flags").isZero();
        assertThat(b.getInt()).as("header extension").isZero();
        assertThat(b.getShort()).as("fields").isEqualTo((short) 8);
        assertThat(b.getInt()).isEqualTo(8);
        assertThat(b.getLong()).isEqualTo(7);
        assertThat(b.getInt()).isEqualTo(2);
        assertThat(b.getShort()).isEqualTo((short) -2);
        assertThat(b.getInt()).isEqualTo(8);
        assertThat(b.getDouble()).isEqualTo(1.5);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.get()).isEqualTo((byte) 1);
        assertThat(b.getInt()).isEqualTo(4);
        assertThat(b.getInt()).as("days since 2000-01-01").isEqualTo(1);
        assertThat(b.getInt()).isEqualTo(8);
        assertThat(b.getLong()).as("microseconds since 2000-01-01, nanoseconds dropped").isEqualTo(-999_999L);
        byte[] text = "é\"".getBytes(StandardCharsets.UTF_8);
        assertThat(b.getInt()).isEqualTo(text.length);
        byte[] read = new byte[text.length];
        b.get(read);
        assertThat(read).isEqualTo(text);
        assertThat(b.getInt()).as("NULL").isEqualTo(-1);
        assertThat(b.getShort()).as("trailer").isEqualTo((short) -1);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void aFieldOfTheWrongTypeOrCountOrASmallintOutOfRangeIsRefusedRatherThanMisread() throws IOException {
        PgBinaryCopy copy = new PgBinaryCopy(new ByteArrayOutputStream(), List.of(PgBinaryCopy.Type.INT2, PgBinaryCopy.Type.TEXT));

        assertThatThrownBy(() -> copy.number(40_000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SMALLINT");
        PgBinaryCopy other = new PgBinaryCopy(new ByteArrayOutputStream(), List.of(PgBinaryCopy.Type.INT2, PgBinaryCopy.Type.TEXT));
        assertThatThrownBy(() -> other.string("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("INT2, not TEXT");
        PgBinaryCopy short1 = new PgBinaryCopy(new ByteArrayOutputStream(), List.of(PgBinaryCopy.Type.INT2, PgBinaryCopy.Type.TEXT));
        short1.number(1);
        assertThatThrownBy(short1::endRecord).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 fields");
        short1.nothing();
        assertThatThrownBy(short1::nothing).isInstanceOf(IllegalStateException.class).hasMessageContaining("more fields");
    }

    @Test
    void recordsAreFlushedInChunksAndAllReachTheStreamByFinish() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PgBinaryCopy copy = new PgBinaryCopy(out, List.of(PgBinaryCopy.Type.TEXT));
        char[] chars = new char[1000];
        Arrays.fill(chars, 'x');
        String value = new String(chars);
        for (int i = 0; i < 200; i++) {
            copy.string(value);
            copy.endRecord();
        }
        assertThat(out.size()).as("flushed before the end").isPositive();

        copy.finish();

        assertThat(out.size()).isEqualTo(11 + 8 + 200 * (2 + 4 + 1000) + 2);
    }
}
