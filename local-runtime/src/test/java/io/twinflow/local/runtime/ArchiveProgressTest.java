package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ArchiveProgressTest {

    private static final String SHARD_0 = "shardId-000000000000";
    private static final String SHARD_1 = "shardId-000000000001";
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private final InMemoryStream stream = new InMemoryStream(SHARD_0, SHARD_1);
    private final Map<String, byte[]> objects = new LinkedHashMap<>();

    private StreamArchiver archiver(ArchiveProgress progress, int bufferBytes) {
        PipelineSpec d = PipelineSpec.defaults();
        PipelineSpec spec = new PipelineSpec(d.prefix(), d.stream(), d.tables(), d.buckets(), d.queues(), d.streamMapping(),
                new PipelineSpec.Archive(Duration.ofSeconds(60), bufferBytes), d.schedules(), d.warehouse(), d.window());
        return new StreamArchiver(progress, progress, spec, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(10));
    }

    @Test
    void knowsTheLastStoredRecordOfEachShardEvenWhenAnObjectEndsInTheMiddleOfAPage() {
        List<StreamRecord> shard0 = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // A newline inside a record: objects are matched to records by bytes, not by lines.
            shard0.add(stream.put(SHARD_0, String.format("rec %02d\nsecond", i), NOW));
        }
        StreamRecord onlyOnShard1 = stream.put(SHARD_1, "x", NOW);
        ArchiveProgress progress = new ArchiveProgress(stream, objects::put, Map.of());
        int recordLineBytes = StreamArchiver.line(shard0.get(0)).length;
        // Five and a half lines: every object ends after its sixth record, so the 21 records end mid-object.
        StreamArchiver archiver = archiver(progress, recordLineBytes * 11 / 2);

        archiver.pollOnce();

        // Size-triggered objects end inside shard 0's page: what they hold, and no more, counts as archived.
        assertThat(objects).isNotEmpty();
        int stored = storedBytes(objects.values()) / recordLineBytes;
        assertThat(stored).isBetween(1, 19);
        assertThat(progress.archived()).containsExactly(Map.entry(SHARD_0, shard0.get(stored - 1).sequenceNumber()));

        archiver.close();
        assertThat(progress.archived()).containsOnly(Map.entry(SHARD_0, shard0.get(19).sequenceNumber()),
                Map.entry(SHARD_1, onlyOnShard1.sequenceNumber()));
    }

    @Test
    void aRestartedArchiverReadsOnlyWhatCameAfterTheLastStoredRecord() {
        StreamRecord archivedBefore = stream.put(SHARD_0, "old", NOW);
        stream.put(SHARD_0, "new", NOW);
        ArchiveProgress progress = new ArchiveProgress(stream, objects::put, Map.of(SHARD_0, archivedBefore.sequenceNumber()));
        StreamArchiver archiver = archiver(progress, 1024 * 1024);

        archiver.pollOnce();
        archiver.close();

        assertThat(objects.values()).singleElement().satisfies(body -> assertThat(records(body)).containsExactly("new"));
    }

    @Test
    void readsTheUncompressedSizeFromTheGzipTrailer() {
        byte[] line = StreamArchiver.line(stream.put(SHARD_0, "a".repeat(70_000), NOW));
        byte[] body = StreamArchiver.gzip(List.of(line));
        assertThat(ArchiveProgress.uncompressedSize(body)).isEqualTo(line.length).isGreaterThan(70_000);
    }

    private static int storedBytes(Iterable<byte[]> bodies) {
        int bytes = 0;
        for (byte[] body : bodies) {
            bytes += gunzip(body).getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    /** The records of an archive object, as text. */
    private static List<String> records(byte[] body) {
        return gunzip(body).lines().map(l -> {
            ArchiveLine.Read read = ArchiveLine.read(l.getBytes(StandardCharsets.UTF_8), NOW);
            return new String(((ArchiveLine.Record) read).record().data(), StandardCharsets.UTF_8);
        }).toList();
    }

    private static String gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
