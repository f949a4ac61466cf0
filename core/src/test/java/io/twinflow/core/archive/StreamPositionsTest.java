package io.twinflow.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamPositionsTest {

    @Test
    void compareOrdersSequenceNumbersAsTheirPaddedFormsDo() {
        List<String> cases = List.of("0", "00", "7", "007", "9", "10", "0010", "49", "50", "1".repeat(56), "9".repeat(56),
                "0".repeat(55) + "1", "49590338271490256608559692538361571095921575989136588898");
        for (String a : cases) {
            for (String b : cases) {
                assertThat(Integer.signum(StreamPositions.compareSequenceNumbers(a, b)))
                        .as(a + " vs " + b)
                        .isEqualTo(Integer.signum(StreamPositions.padded(a).compareTo(StreamPositions.padded(b))));
            }
        }
        Random random = new Random(18);
        for (int n = 0; n < 10_000; n++) {
            String a = digits(random);
            String b = random.nextInt(4) == 0 ? "0".repeat(random.nextInt(3)) + a : digits(random);
            if (a.length() <= 56 && b.length() <= 56) {
                assertThat(Integer.signum(StreamPositions.compareSequenceNumbers(a, b)))
                        .isEqualTo(Integer.signum(StreamPositions.padded(a).compareTo(StreamPositions.padded(b))));
            }
        }
    }

    @Test
    void comparePositionsOrdersThemAsTheirKeysDoEvenWhenOneShardIdStartsTheOther() {
        List<String> shards = List.of("shardId-000000000000", "shardId-000000000001", "s", "s-1", "s/1", "s0", "t", "orders-3", "orders-12");
        List<String> sequences = List.of("0", "7", "007", "10", "49590338271490256608559692538361571095921575989136588898");
        for (String shardA : shards) {
            for (String shardB : shards) {
                for (String a : sequences) {
                    for (String b : sequences) {
                        assertThat(Integer.signum(StreamPositions.compare(shardA, a, shardB, b)))
                                .as(shardA + "/" + a + " vs " + shardB + "/" + b)
                                .isEqualTo(Integer.signum(StreamPositions.key(shardA, a).compareTo(StreamPositions.key(shardB, b))));
                    }
                }
            }
        }
    }

    @Test
    void compareRejectsWhatIsNotASequenceNumber() {
        assertThatThrownBy(() -> StreamPositions.compareSequenceNumbers("1", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamPositions.compareSequenceNumbers("", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String digits(Random random) {
        StringBuilder s = new StringBuilder();
        int length = 1 + random.nextInt(56);
        for (int i = 0; i < length; i++) {
            s.append((char) ('0' + random.nextInt(random.nextBoolean() ? 2 : 10)));
        }
        return s.toString();
    }
}
