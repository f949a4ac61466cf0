package io.twinflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.ArchivedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArchiveFramerTest {

    private static final String SHARD = "shardId-000000000003";
    private static final Instant ARRIVAL = Instant.parse("2026-11-28T10:15:31.123Z");
    private static final Instant OBJECT_TIME = Instant.parse("2026-11-28T10:17:00Z");

    private static ArchiveFramer.Input input(int i, byte[] data) {
        return new ArchiveFramer.Input("record-" + i, data, SHARD, sequence(i), ARRIVAL.plusMillis(i));
    }

    /** 56 digits, the longest Kinesis sequence numbers, distinct per record. */
    private static String sequence(int i) {
        return "4959" + String.format("%052d", i);
    }

    private static ArchivedRecord readBack(byte[] line) {
        assertThat(line[line.length - 1]).as("an envelope ends in LF").isEqualTo((byte) '\n');
        byte[] withoutLf = Arrays.copyOf(line, line.length - 1);
        assertThat(withoutLf).as("one line: no LF inside").doesNotContain((byte) '\n');
        ArchiveLine.Read read = ArchiveLine.read(withoutLf, OBJECT_TIME);
        assertThat(read).isInstanceOf(ArchiveLine.Record.class);
        return ((ArchiveLine.Record) read).record();
    }

    @Test
    void everyRecordOfArbitraryBytesReadsBackExactlyWithItsArrivalAndPosition() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<byte[]> payloads = new ArrayList<>();
        payloads.add(new byte[0]);
        payloads.add("\n".getBytes(StandardCharsets.UTF_8));
        payloads.add("\r\n".getBytes(StandardCharsets.UTF_8));
        payloads.add("{\n  \"schemaVersion\": 1,\r\n  \"eventId\": \"e\"\n}".getBytes(StandardCharsets.UTF_8));
        payloads.add(new byte[] {ArchiveLine.RS, 't', 'f', '1', '\t'});
        payloads.add("tab\tinside\tand \u0000 nul".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 2_000; i++) {
            byte[] data = new byte[random.nextInt(i % 100 == 0 ? 70_000 : 300)];
            random.nextBytes(data);
            payloads.add(data);
        }
        List<ArchiveFramer.Input> inputs = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            inputs.add(input(i, payloads.get(i)));
        }

        ArchiveFramer.Framed framed = new ArchiveFramer().frame(inputs);

        assertThat(framed.failed()).isZero();
        assertThat(framed.records()).hasSize(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            ArchiveFramer.Output out = framed.records().get(i);
            assertThat(out.recordId()).isEqualTo("record-" + i);
            assertThat(out.result()).isEqualTo(ArchiveFramer.Result.Ok);
            ArchivedRecord record = readBack(out.data());
            assertThat(record.data()).as("record %d, seed %d", i, seed).isEqualTo(payloads.get(i));
            assertThat(record.arrival()).isEqualTo(ARRIVAL.plusMillis(i));
            assertThat(record.shardId()).isEqualTo(SHARD);
            assertThat(record.sequenceNumber()).isEqualTo(sequence(i));
        }
    }

    @Test
    void wellFormedEventStaysReadableAsItsBytesInTheEnvelope() {
        byte[] event = "{\"schemaVersion\":1,\"eventId\":\"e-1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] line = new ArchiveFramer().frame(List.of(input(1, event))).records().get(0).data();
        String text = new String(line, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\tr\t{\"schemaVersion\":1,\"eventId\":\"e-1\"}\n");
    }

    @Test
    void recordWithoutKinesisMetadataFailsProcessingAndIsNeverDropped() {
        List<ArchiveFramer.Input> inputs = List.of(
                input(0, "{}".getBytes(StandardCharsets.UTF_8)),
                new ArchiveFramer.Input("direct-put", "{}".getBytes(StandardCharsets.UTF_8), null, null, null),
                new ArchiveFramer.Input("bad-sequence", "{}".getBytes(StandardCharsets.UTF_8), SHARD, "49x", ARRIVAL),
                input(3, "{}".getBytes(StandardCharsets.UTF_8)));

        ArchiveFramer.Framed framed = new ArchiveFramer().frame(inputs);

        assertThat(framed.records()).extracting(ArchiveFramer.Output::recordId)
                .containsExactly("record-0", "direct-put", "bad-sequence", "record-3");
        assertThat(framed.records()).extracting(ArchiveFramer.Output::result).containsExactly(
                ArchiveFramer.Result.Ok, ArchiveFramer.Result.ProcessingFailed, ArchiveFramer.Result.ProcessingFailed,
                ArchiveFramer.Result.Ok);
        assertThat(framed.failed()).isEqualTo(2);
        assertThat(framed.records().get(1).failure()).contains("no Kinesis record metadata");
        assertThat(framed.records().get(2).failure()).contains("sequence number");
    }

    @Test
    void recordsBeyondTheResponseBudgetFailProcessingInsteadOfFailingTheInvocation() {
        List<ArchiveFramer.Input> inputs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            inputs.add(input(i, new byte[1_000]));
        }
        // Room for about four framed records and the failed stubs of the rest.
        ArchiveFramer framer = new ArchiveFramer(4 * 1_500 + 6 * 70);

        ArchiveFramer.Framed framed = framer.frame(inputs);

        assertThat(framed.records()).hasSize(10);
        long ok = framed.records().stream().filter(o -> o.result() == ArchiveFramer.Result.Ok).count();
        assertThat(ok).isBetween(1L, 9L);
        assertThat(framed.failed()).isEqualTo(10 - (int) ok);
        // The framed ones come first, in order; the rest are reported, not lost.
        for (int i = 0; i < 10; i++) {
            assertThat(framed.records().get(i).result())
                    .isEqualTo(i < ok ? ArchiveFramer.Result.Ok : ArchiveFramer.Result.ProcessingFailed);
        }
        long responseBytes = framed.records().stream()
                .mapToLong(o -> 56 + o.recordId().length() + ArchiveFramer.base64Length(o.data().length)).sum();
        assertThat(responseBytes).isLessThanOrEqualTo(4 * 1_500 + 6 * 70);
    }

    @Test
    void defaultBudgetKeepsAWholeBufferOfSmallestValidEventsUnderSixMegabytes() {
        // The processor buffers 1 MiB of input; a valid event is at least ~90 bytes.
        byte[] event = "{\"schemaVersion\":1,\"eventId\":\"a\",\"deviceId\":\"b\",\"ts\":\"2026-11-28T10:15:30Z\",\"metrics\":{\"t\":1}}"
                .getBytes(StandardCharsets.UTF_8);
        List<ArchiveFramer.Input> inputs = new ArrayList<>();
        for (int i = 0; (long) i * event.length < 1024 * 1024; i++) {
            inputs.add(new ArchiveFramer.Input("49546986683135544286507457936321625675700192471156785154" + i, event,
                    SHARD, sequence(i), ARRIVAL));
        }
        assertThat(new ArchiveFramer().frame(inputs).failed()).isZero();
    }
}
