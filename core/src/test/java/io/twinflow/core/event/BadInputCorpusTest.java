package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.testing.BadInputCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The shared bad-input corpus ({@code events/bad-input}, see events/README.md) decodes to the reason
 * codes its {@code expected.json} promises, and names every reason code at least once.
 */
class BadInputCorpusTest {

    /** The corpus is written against this arrival time (records carry ts 2026-11-24T10:15:30.123Z). */
    static final Instant REFERENCE_TIME = Instant.parse("2026-11-24T10:16:00Z");

    private static Path dir;
    private static Map<String, ReasonCode> expected;

    @BeforeAll
    static void readExpectations() {
        dir = BadInputCorpus.dir();
        expected = BadInputCorpus.expected();
    }

    @TestFactory
    Stream<DynamicTest> eachRecordDecodesToItsExpectedReason() {
        EventDecoder decoder = new EventDecoder();
        return expected.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            DecodeResult result = decoder.decode(BadInputCorpus.bytes(entry.getKey()), REFERENCE_TIME);
            assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
            assertThat(((DecodeResult.Rejected) result).reason()).as(result.toString()).isEqualTo(entry.getValue());
        }));
    }

    @Test
    void corpusCoversEveryReasonCode() {
        // Judged by the window's capacity, the archive reader and the stores, not by the decoder on one record.
        Set<ReasonCode> covered = EnumSet.of(ReasonCode.WINDOW_FULL, ReasonCode.BAD_ARCHIVE_LINE, ReasonCode.STORE_REJECTED);
        covered.addAll(expected.values());
        assertThat(EnumSet.complementOf(EnumSet.copyOf(covered))).as("reason codes without a corpus record").isEmpty();
    }

    @Test
    void everyFileIsListedAndEveryListedRecordExists() throws IOException {
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("expected.json"))
                    .map(n -> n.endsWith(BadInputCorpus.SPEC_SUFFIX) ? n.substring(0, n.length() - BadInputCorpus.SPEC_SUFFIX.length()) : n)
                    .forEach(onDisk::add);
        }
        assertThat(onDisk).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    @Test
    void namesFollowTheNumberedSlugPatternWithoutGapsOrRepeats() {
        List<Integer> numbers = new ArrayList<>();
        for (String name : expected.keySet()) {
            assertThat(name).matches("[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*\\.bin");
            numbers.add(Integer.parseInt(name.substring(0, 2)));
        }
        assertThat(numbers).hasSizeGreaterThanOrEqualTo(30);
        assertThat(numbers).isSorted().doesNotHaveDuplicates().startsWith(1).endsWith(numbers.size());
    }

    @Test
    void theLargeRecordIsExactlyOneMebibyteAndOtherwiseAValidEvent() {
        String name = expected.keySet().stream().filter(n -> n.contains("mebibyte")).findFirst().orElseThrow();
        byte[] data = BadInputCorpus.bytes(name);
        assertThat(data).hasSize(1024 * 1024);

        // With a size limit it fits under, the same bytes are a valid event: the size is the only fault.
        EventDecoder roomy = new EventDecoder(DecoderLimits.defaults().withMaxRecordBytes(2 * 1024 * 1024));
        assertThat(roomy.decode(data, REFERENCE_TIME)).isInstanceOf(DecodeResult.Valid.class);
    }

    @Test
    void verdictsOtherThanTheTimeRulesHoldWhateverTheArrival() {
        EventDecoder decoder = new EventDecoder();
        Set<ReasonCode> timeRules = EnumSet.of(ReasonCode.FUTURE_TIMESTAMP, ReasonCode.TOO_LATE);
        for (Instant reference : List.of(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2031-06-01T00:00:00Z"))) {
            expected.forEach((name, reason) -> {
                ReasonCode actual = ((DecodeResult.Rejected) decoder.decode(BadInputCorpus.bytes(name), reference)).reason();
                if (timeRules.contains(reason)) {
                    assertThat(actual).as(name + " at " + reference).isIn(timeRules);
                } else {
                    assertThat(actual).as(name + " at " + reference).isEqualTo(reason);
                }
            });
        }
    }

    @Test
    void theCorpusVerdictsHoldForAnyArrivalWithinTheLatenessBoundOfTheBaseTimestamp() {
        // Tests elsewhere decode the corpus with the arrival times of events/kinesis/mixed-batch.json.
        EventDecoder decoder = new EventDecoder();
        Instant base = Instant.parse("2026-11-24T10:15:30.123Z");
        for (Instant reference : List.of(base, base.plus(decoder.limits().maxLateness()))) {
            expected.forEach((name, reason) -> assertThat(
                    ((DecodeResult.Rejected) decoder.decode(BadInputCorpus.bytes(name), reference)).reason())
                    .as(name + " at " + reference).isEqualTo(reason));
        }
    }
}
