package io.twinflow.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiveTablesTest {

    private static final String[] IDS = {"a", "b", "ab", "", "z\uD83D\uDE00", "z\uFF5E", "z\uE000", "Z", "a#", "a\u0000"};

    @Test
    void compareOrderAgreesWithTheUtf8ByteOrderOfTheOrderKeyThatDynamoDbCompares() {
        Random random = new Random(11);
        Instant base = Instant.parse("2026-11-24T10:15:30.123456789Z");
        for (int i = 0; i < 20_000; i++) {
            Instant tsA = base.plusNanos(random.nextInt(3));
            Instant tsB = base.plusNanos(random.nextInt(3));
            String idA = IDS[random.nextInt(IDS.length)] + IDS[random.nextInt(IDS.length)];
            String idB = IDS[random.nextInt(IDS.length)] + IDS[random.nextInt(IDS.length)];
            int expected = Integer.signum(Arrays.compareUnsigned(
                    LiveTables.orderKey(tsA, idA).getBytes(StandardCharsets.UTF_8),
                    LiveTables.orderKey(tsB, idB).getBytes(StandardCharsets.UTF_8)));
            assertThat(Integer.signum(LiveTables.compareOrder(tsA, idA, tsB, idB)))
                    .as("%s %s vs %s %s", tsA, idA, tsB, idB).isEqualTo(expected);
        }
    }

    @Test
    void windowKeysAreFixedWidthSoStringOrderIsTimeOrder() {
        assertThat(LiveTables.windowKey(Instant.parse("2026-11-24T10:15:00Z"))).isEqualTo("2026-11-24T10:15:00Z");
        assertThat(LiveTables.windowKey(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(LiveTables.orderKey(Instant.parse("2026-11-24T10:15:00Z"), "e"))
                .isEqualTo("2026-11-24T10:15:00.000000000Z#e");
    }
}
