package io.twinflow.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.testing.AdversarialRecords;
import io.twinflow.core.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The decoder-level half of the agreement promise, as a property over generated adversarial records:
 * for any record a producer can send, the verdict the stream gives the record's bytes equals the
 * verdict the batch path gives the archive line the record became (framing and arrival time
 * included), and judging never throws or leaks unprintable text into a rejection's detail. The seeds
 * are printed; {@code -Dtwinflow.seed=N} replays them.
 */
class FramedVerdictPropertyTest {

    private static final EventDecoder DECODER = new EventDecoder();
    private static final List<byte[]> CORPUS = AdversarialRecords.smallCorpusRecords();

    @TestFactory
    Stream<DynamicTest> theStreamAndTheArchiveGiveEveryRecordTheSameVerdict() {
        return Seeds.of("FramedVerdictPropertyTest", 20).boxed().map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            AdversarialRecords producer = new AdversarialRecords(seed, Instant.parse("2026-11-24T23:50:00Z"),
                    DECODER.limits().maxLateness(), DECODER.limits().maxFutureSkew(), CORPUS);
            Instant objectTime = Instant.parse("2026-11-25T00:30:00Z");
            long sequence = 1;
            for (AdversarialRecords.Put put : producer.next(1_000)) {
                DecodeResult onStream = DECODER.decode(put.data(), put.arrival());

                byte[] line = ArchiveLine.encode(put.data(), put.arrival(), "shardId-000000000000", Long.toString(sequence++));
                ArchiveLine.Read read = ArchiveLine.read(Arrays.copyOf(line, line.length - 1), objectTime);
                ArchivedRecord archived = ((ArchiveLine.Record) read).record();
                DecodeResult inBatch = DECODER.decode(archived.data(), archived.arrival());

                assertThat(inBatch).as("seed %d, record %s", seed, new String(put.data(), StandardCharsets.UTF_8))
                        .isEqualTo(onStream);
                if (onStream instanceof DecodeResult.Rejected rejected) {
                    assertThat(rejected.detail()).matches("[\\x20-\\x7e]{1,512}");
                }
            }
        }));
    }
}
