package io.twinflow.core.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdSetTest {

    @Test
    void ofSortsAndDropsDuplicates() {
        EventIdSet set = EventIdSet.of(5, -3, 5, Long.MIN_VALUE, 0, Long.MAX_VALUE, -3);

        assertThat(set.size()).isEqualTo(5);
        for (long h : new long[] {5, -3, Long.MIN_VALUE, 0, Long.MAX_VALUE}) {
            assertThat(set.contains(h)).as(Long.toString(h)).isTrue();
        }
        assertThat(set.contains(4)).isFalse();
        assertThat(set).isEqualTo(EventIdSet.of(Long.MAX_VALUE, 0, -3, 5, Long.MIN_VALUE));
    }

    @Test
    void ofDoesNotKeepTheCallersArray() {
        long[] hashes = {3, 1, 2};
        EventIdSet set = EventIdSet.of(hashes);
        hashes[0] = 99;
        assertThat(set.contains(3)).isTrue();
        assertThat(set.contains(99)).isFalse();
        assertThat(hashes).containsExactly(99, 1, 2);
    }

    @Test
    void bytesAreEightBigEndianBytesPerEntryInSignedOrder() {
        byte[] bytes = EventIdSet.of(1, -1).toBytes();

        assertThat(bytes).hasSize(16);
        // -1 sorts first (signed order) and is all ones; 1 is seven zero bytes and a one.
        assertThat(Arrays.copyOfRange(bytes, 0, 8)).containsOnly((byte) 0xFF);
        assertThat(Arrays.copyOfRange(bytes, 8, 16)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void bytesRoundTrip() {
        Random random = new Random(11);
        for (int round = 0; round < 100; round++) {
            long[] hashes = random.longs(random.nextInt(500)).toArray();
            EventIdSet set = EventIdSet.of(hashes);
            EventIdSet back = EventIdSet.fromBytes(set.toBytes());
            assertThat(back).isEqualTo(set).hasSameHashCodeAs(set);
            for (long h : hashes) {
                assertThat(back.contains(h)).isTrue();
            }
        }
        assertThat(EventIdSet.fromBytes(new byte[0])).isEqualTo(EventIdSet.EMPTY);
        assertThat(EventIdSet.EMPTY.toBytes()).isEmpty();
    }

    @Test
    void storedBytesThatAreNotAWholeNumberOfEntriesAreRejected() {
        assertThatThrownBy(() -> EventIdSet.fromBytes(new byte[12]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 8");
    }

    @Test
    void storedBytesThatAreUnsortedOrRepeatAreRejected() {
        byte[] unsorted = ByteBuffer.allocate(16).putLong(2).putLong(1).array();
        byte[] repeated = ByteBuffer.allocate(16).putLong(7).putLong(7).array();

        assertThatThrownBy(() -> EventIdSet.fromBytes(unsorted)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventIdSet.fromBytes(repeated)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withAddsOnlyTheFirstCountHashesAndLeavesTheOriginalAlone() {
        EventIdSet base = EventIdSet.of(10, 20);
        long[] scratch = {30, 10, 40, 50};

        EventIdSet grown = base.with(scratch, 3);

        assertThat(grown).isEqualTo(EventIdSet.of(10, 20, 30, 40));
        assertThat(grown.contains(50)).isFalse();
        assertThat(base).isEqualTo(EventIdSet.of(10, 20));
        assertThat(base.with(scratch, 0)).isSameAs(base);
    }

    @Test
    void withBehavesLikeASetUnion() {
        Random random = new Random(12);
        for (int round = 0; round < 100; round++) {
            // A narrow range makes overlaps between the two sides likely.
            long[] left = random.longs(random.nextInt(50), -40, 40).toArray();
            long[] right = random.longs(random.nextInt(50), -40, 40).toArray();
            Set<Long> union = new HashSet<>();
            Arrays.stream(left).forEach(union::add);
            Arrays.stream(right).forEach(union::add);

            EventIdSet set = EventIdSet.of(left).with(right, right.length);

            assertThat(set.size()).isEqualTo(union.size());
            assertThat(set).isEqualTo(EventIdSet.of(union.stream().mapToLong(Long::longValue).toArray()));
        }
    }

    // --- the packed (Elias-Fano) form ---------------------------------------------------------------

    @Test
    void packedFormRoundTripsRandomSetsOfEverySizeAndTheExtremes() {
        Random random = new Random(64);
        for (int size : new int[] {0, 1, 2, 3, 7, 8, 9, 60, 127, 128, 129, 600, 1_000, 4_096, 20_000}) {
            for (int round = 0; round < 5; round++) {
                long[] hashes = random.longs(size).toArray();
                if (round == 1 && size >= 5) {
                    // The extremes and neighbours of the sign flip the form applies.
                    long[] edges = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, Long.MAX_VALUE};
                    System.arraycopy(edges, 0, hashes, 0, edges.length);
                }
                if (round == 2) {
                    // Clustered values: long runs of equal high parts.
                    long base = random.nextLong();
                    for (int i = 0; i < size; i++) {
                        hashes[i] = base + random.nextInt(1 + 3 * size);
                    }
                }
                EventIdSet set = EventIdSet.of(hashes);

                assertThat(EventIdSet.fromPackedBytes(set.toPackedBytes())).as("size %d round %d", size, round).isEqualTo(set);
            }
        }
    }

    @Test
    void packedFormTakesAboutSevenBytesPerIdOfAOneMinuteWindowAtTenReportsASecond() {
        EventIdSet window = EventIdSet.of(new Random(1).longs(600).toArray());

        assertThat(window.toBytes()).hasSize(4_800);
        assertThat(window.toPackedBytes().length).isBetween(4_200, 4_300);
        assertThat(EventIdSet.EMPTY.toPackedBytes()).hasSize(4);
    }

    @Test
    void packedFormRefusesTruncatedPaddedOrUnsortedBytes() {
        byte[] packed = EventIdSet.of(new Random(2).longs(100).toArray()).toPackedBytes();

        assertThatThrownBy(() -> EventIdSet.fromPackedBytes(Arrays.copyOf(packed, packed.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventIdSet.fromPackedBytes(Arrays.copyOf(packed, packed.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventIdSet.fromPackedBytes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        // A count of 2 (62 low bits each, both 0), then two high parts of 0: the same value twice.
        byte[] twice = new byte[4 + (62 * 2 + 2 + 7) / 8];
        twice[3] = 2;
        int bit = 32 + 124;
        twice[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        twice[(bit + 1) / 8] |= (byte) (0x80 >>> ((bit + 1) % 8));
        assertThatThrownBy(() -> EventIdSet.fromPackedBytes(twice)).hasMessageContaining("not strictly sorted");
        // A count far beyond what the bytes could hold.
        assertThatThrownBy(() -> EventIdSet.fromPackedBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .hasMessageContaining("claims");
        // The last byte's padding must be zero: 1, 2 and 3 take 32 + 3 x 62 + 5 = 223 bits, one of padding.
        byte[] dirty = EventIdSet.of(1, 2, 3).toPackedBytes();
        assertThat(dirty).hasSize(28);
        dirty[dirty.length - 1] |= 1;
        assertThatThrownBy(() -> EventIdSet.fromPackedBytes(dirty)).hasMessageContaining("padding");
    }

    // --- EventIdHash: the function is frozen, stored fingerprints depend on it ------------------------

    private static final BigInteger MOD64 = BigInteger.ONE.shiftLeft(64);

    /** FNV-1a 64 written independently, in unsigned arbitrary-precision arithmetic. */
    private static long fnv1a64(byte[] data) {
        BigInteger h = new BigInteger("cbf29ce484222325", 16);
        BigInteger prime = new BigInteger("100000001b3", 16);
        for (byte b : data) {
            h = h.xor(BigInteger.valueOf(b & 0xff)).multiply(prime).mod(MOD64);
        }
        return h.longValue();
    }

    /** The MurmurHash3 64-bit finalizer (fmix64). */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    @Test
    void referenceFnvMatchesThePublishedTestVectors() {
        assertThat(fnv1a64(new byte[0])).isEqualTo(0xcbf29ce484222325L);
        assertThat(fnv1a64("a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(fnv1a64("foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x85944171f73967e8L);
    }

    @Test
    void eventIdHashIsFnv1aOfTheUtf8BytesThenFmix64() {
        for (String id : new String[] {"", "a", "foobar", "0b7e6a52-3c1f-4e0a-9f5e-2f6c1d9a7b11", "e".repeat(128),
            "événement-\uD83D\uDE80", "\u00ff\u0080", "ascii-first-then-\u00e9", "x\u007f\u0080", "unpaired-\uD800-surrogate"}) {
            assertThat(EventIdHash.of(id)).as(id).isEqualTo(fmix64(fnv1a64(id.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void similarIdsGetUnrelatedHashes() {
        Set<Long> hashes = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            hashes.add(EventIdHash.of("sensor-0042-" + i));
        }
        assertThat(hashes).hasSize(100_000);
        // Avalanche: ids one character apart differ in about half of the 64 bits.
        int bits = Long.bitCount(EventIdHash.of("event-1") ^ EventIdHash.of("event-2"));
        assertThat(bits).isBetween(16, 48);
    }

    @Test
    void withASetIsTheUnion() {
        EventIdSet union = EventIdSet.of(1, 5, 9).with(EventIdSet.of(-2, 5, 10));

        assertThat(union).isEqualTo(EventIdSet.of(-2, 1, 5, 9, 10));
        assertThat(EventIdSet.EMPTY.with(EventIdSet.of(3))).isEqualTo(EventIdSet.of(3));
        assertThat(EventIdSet.of(3).with(EventIdSet.EMPTY)).isEqualTo(EventIdSet.of(3));
    }

    @Test
    void theUnionOfManySetsIsTheirPairwiseUnion() {
        Random random = new Random(5);
        List<EventIdSet> sets = new ArrayList<>();
        EventIdSet folded = EventIdSet.EMPTY;
        for (int i = 0; i < 40; i++) {
            long[] ids = new long[random.nextInt(30)];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = random.nextInt(500) - 250; // overlapping sets
            }
            EventIdSet set = EventIdSet.of(ids);
            sets.add(set);
            folded = folded.with(set);
        }

        assertThat(EventIdSet.union(sets)).isEqualTo(folded);
        assertThat(EventIdSet.union(List.of())).isEqualTo(EventIdSet.EMPTY);
        assertThat(EventIdSet.union(List.of(EventIdSet.EMPTY, EventIdSet.of(4)))).isEqualTo(EventIdSet.of(4));
    }

    @Test
    void theDigestDependsOnTheContentOnly() {
        assertThat(EventIdSet.of(7, 1, 3).digest()).isEqualTo(EventIdSet.of(1, 3, 7, 3).digest());
        Set<Long> digests = new HashSet<>();
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            digests.add(EventIdSet.of(random.nextLong(), random.nextLong()).digest());
        }
        digests.add(EventIdSet.EMPTY.digest());
        digests.add(EventIdSet.of(0).digest());
        digests.add(EventIdSet.of(0, 1).digest());
        assertThat(digests).hasSize(2_003);
    }
}
