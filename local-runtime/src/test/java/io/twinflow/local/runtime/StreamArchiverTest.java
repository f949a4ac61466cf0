package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.ArchivedRecord;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.testing.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class StreamArchiverTest {

    private final InMemoryStream stream = new InMemoryStream("shardId-000000000000", "shardId-000000000001");
    private final Map<String, byte[]> objects = new LinkedHashMap<>();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T09:59:30Z"));

    private StreamArchiver archiver(int bufferBytes, Duration interval) {
        PipelineSpec d = PipelineSpec.defaults();
        PipelineSpec spec = new PipelineSpec(d.prefix(), d.stream(), d.tables(), d.buckets(), d.queues(), d.streamMapping(),
                new PipelineSpec.Archive(interval, bufferBytes), d.schedules(), d.warehouse(), d.window());
        return new StreamArchiver(stream, objects::put, spec, clock, Duration.ofMillis(10));
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /** Reads an object as the batch path does: LF-separated lines, each an envelope. */
    private static List<ArchivedRecord> records(byte[] body) throws IOException {
        byte[] text = gunzip(body);
        assertThat(text[text.length - 1]).isEqualTo((byte) '\n');
        List<ArchivedRecord> records = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                byte[] line = Arrays.copyOfRange(text, start, i);
                assertThat(ArchiveLine.isEnvelope(line)).isTrue();
                records.add(((ArchiveLine.Record) ArchiveLine.read(line, Instant.EPOCH)).record());
                start = i + 1;
            }
        }
        return records;
    }

    private static List<String> payloads(List<ArchivedRecord> records) {
        return records.stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void objectHoldsOneEnvelopePerRecordWithItsArrivalAndPositionUnderTheOldestArrivalHour() throws IOException {
        StreamArchiver archiver = archiver(1024 * 1024, Duration.ofSeconds(60));
        StreamRecord first = stream.put("shardId-000000000000", "{\"a\":1}", Instant.parse("2026-11-24T09:59:58Z"));
        StreamRecord second = stream.put("shardId-000000000001", "not json at all", Instant.parse("2026-11-24T10:00:01Z"));
        archiver.pollOnce();
        assertThat(objects).isEmpty();

        clock.advance(Duration.ofSeconds(60));
        archiver.pollOnce();

        assertThat(objects).hasSize(1);
        String key = objects.keySet().iterator().next();
        assertThat(key).startsWith("raw/dt=2026-11-24/hour=09/twinflow-telemetry-").endsWith(".json.gz");
        List<ArchivedRecord> records = records(objects.get(key));
        assertThat(payloads(records)).containsExactly("{\"a\":1}", "not json at all");
        assertThat(records).extracting(ArchivedRecord::arrival)
                .containsExactly(first.approximateArrival(), second.approximateArrival());
        assertThat(records).extracting(ArchivedRecord::shardId).containsExactly(first.shardId(), second.shardId());
        assertThat(records).extracting(ArchivedRecord::sequenceNumber)
                .containsExactly(first.sequenceNumber(), second.sequenceNumber());
        assertThat(archiver.recordsArchived()).isEqualTo(2);
    }

    @Test
    void flushesWhenTheBufferReachesItsSizeAndNamesSortInWriteOrder() throws IOException {
        StreamArchiver archiver = archiver(100, Duration.ofSeconds(60));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String payload = "{\"n\":" + i + ",\"pad\":\"xxxxxxxxxx\"}";
            sent.add(payload);
            stream.put("shardId-000000000000", payload, clock.instant());
        }
        archiver.pollOnce();
        int flushedBySize = objects.size();
        archiver.close();

        assertThat(flushedBySize).isGreaterThan(3);
        List<String> keys = new ArrayList<>(objects.keySet());
        assertThat(keys).isSorted().doesNotHaveDuplicates();
        List<String> all = new ArrayList<>();
        for (String key : keys) {
            all.addAll(payloads(records(objects.get(key))));
        }
        assertThat(all).isEqualTo(sent);
    }

    @Test
    void intervalAboveSixtySecondsIsCappedLocally() {
        StreamArchiver archiver = archiver(1024 * 1024, Duration.ofSeconds(300));
        stream.put("shardId-000000000000", "{}", clock.instant());
        archiver.pollOnce();
        clock.advance(Duration.ofSeconds(59));
        archiver.pollOnce();
        assertThat(objects).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        archiver.pollOnce();
        assertThat(objects).hasSize(1);
    }

    @Test
    void closingWritesWhatIsBuffered() throws IOException {
        StreamArchiver archiver = archiver(1024 * 1024, Duration.ofSeconds(60));
        stream.put("shardId-000000000001", "{\"last\":true}", clock.instant());
        archiver.pollOnce();
        archiver.close();
        assertThat(objects).hasSize(1);
        assertThat(payloads(records(objects.values().iterator().next()))).containsExactly("{\"last\":true}");
    }

    @Test
    void arbitraryRecordBytesReadBackExactlyAsPut() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<StreamRecord> put = new ArrayList<>();
        put.add(record(0, new byte[0]));
        put.add(record(1, "{\n  \"pretty\": true\r\n}".getBytes(StandardCharsets.UTF_8)));
        put.add(record(2, new byte[] {'\r'}));
        put.add(record(3, new byte[] {ArchiveLine.RS, 't', 'f', '1', '\t', '\n'}));
        for (int i = 4; i < 500; i++) {
            byte[] data = new byte[random.nextInt(400)];
            random.nextBytes(data);
            put.add(record(i, data));
        }
        StreamArchiver archiver = new StreamArchiver(new FixedShard(put), objects::put, PipelineSpec.defaults(), clock,
                Duration.ofMillis(10));

        archiver.pollOnce();
        archiver.close();

        List<ArchivedRecord> read = new ArrayList<>();
        for (byte[] body : objects.values()) {
            read.addAll(records(body));
        }
        assertThat(read).hasSize(put.size());
        for (int i = 0; i < put.size(); i++) {
            assertThat(read.get(i).data()).as("record %d, seed %d", i, seed).isEqualTo(put.get(i).data());
            assertThat(read.get(i).sequenceNumber()).isEqualTo(put.get(i).sequenceNumber());
            assertThat(read.get(i).arrival()).isEqualTo(put.get(i).approximateArrival());
        }
    }

    private StreamRecord record(int i, byte[] data) {
        return new StreamRecord("shardId-000000000000", String.valueOf(49_000_000_000L + i), "pk", data, clock.instant().plusMillis(i));
    }

    /** One shard holding the given records (any bytes, which the string-based in-memory stream cannot put). */
    private record FixedShard(List<StreamRecord> records) implements ShardReader {
        @Override
        public List<String> shardIds() {
            return List.of("shardId-000000000000");
        }

        @Override
        public String iteratorAtOldest(String shardId) {
            return "0";
        }

        @Override
        public String iteratorAfter(String shardId, String sequenceNumber) {
            throw new UnsupportedOperationException("the test never resumes");
        }

        @Override
        public Page read(String shardId, String iterator, int limit) {
            int from = Integer.parseInt(iterator);
            int to = Math.min(records.size(), from + limit);
            return new Page(records.subList(from, to), String.valueOf(to));
        }
    }
}
