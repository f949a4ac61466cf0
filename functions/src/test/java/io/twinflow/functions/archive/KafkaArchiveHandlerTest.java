package io.twinflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.ArchivedRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class KafkaArchiveHandlerTest {

    private static KafkaEvent sample() throws IOException {
        try (InputStream in = KafkaArchiveHandlerTest.class.getResourceAsStream("/kafka-event.json")) {
            return LambdaEventSerializers.serializerFor(KafkaEvent.class, KafkaArchiveHandlerTest.class.getClassLoader()).fromJson(in);
        }
    }

    private static Map<String, byte[]> archive(KafkaEvent event) {
        Map<String, byte[]> objects = new TreeMap<>();
        new KafkaArchiveHandler(objects::put, "raw/").handleRequest(event, null);
        return objects;
    }

    /** The envelope lines of one object, read back as the loader reads them. */
    private static List<ArchivedRecord> lines(byte[] gzipBody) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipBody))) {
            in.transferTo(plain);
        }
        byte[] bytes = plain.toByteArray();
        List<ArchivedRecord> records = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                ArchiveLine.Read read = ArchiveLine.read(Arrays.copyOfRange(bytes, start, i), Instant.EPOCH);
                assertThat(read).isInstanceOf(ArchiveLine.Record.class);
                records.add(((ArchiveLine.Record) read).record());
                start = i + 1;
            }
        }
        assertThat(start).as("every line ends in LF").isEqualTo(bytes.length);
        return records;
    }

    @Test
    void eachPartitionBecomesOneObjectUnderTheRawHourOfItsOldestRecordNamedByItsOffsetRange() throws IOException {
        Map<String, byte[]> objects = archive(sample());

        // 1764065730400 ms is 2025-11-25T10:15:30.4Z.
        assertThat(objects).containsOnlyKeys(
                "raw/dt=2025-11-25/hour=10/kafka-twinflow-telemetry-0-00000000000000000003-00000000000000000003.json.gz",
                "raw/dt=2025-11-25/hour=10/kafka-twinflow-telemetry-1-00000000000000000007-00000000000000000008.json.gz");
    }

    @Test
    void theObjectHoldsEachRecordsExactBytesInOffsetOrderWithTopicPartitionOffsetAndTimestamp() throws IOException {
        Map<String, byte[]> objects = archive(sample());

        List<ArchivedRecord> partition1 = lines(objects.get(
                "raw/dt=2025-11-25/hour=10/kafka-twinflow-telemetry-1-00000000000000000007-00000000000000000008.json.gz"));
        assertThat(partition1).extracting(ArchivedRecord::sequenceNumber).containsExactly("7", "8");
        assertThat(partition1).extracting(ArchivedRecord::shardId).containsOnly("twinflow-telemetry-1");
        assertThat(partition1.get(0).arrival()).isEqualTo(Instant.ofEpochMilli(1764065730400L));
        assertThat(new String(partition1.get(0).data(), StandardCharsets.UTF_8)).contains("\"eventId\":\"e-1\"");

        // An unreadable record is archived all the same: the loader judges and quarantines it like the stream-processor did.
        List<ArchivedRecord> partition0 = lines(objects.get(
                "raw/dt=2025-11-25/hour=10/kafka-twinflow-telemetry-0-00000000000000000003-00000000000000000003.json.gz"));
        assertThat(partition0).singleElement().satisfies(r -> assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo("not json"));
    }

    @Test
    void aRetriedBatchRewritesTheSameObjectsWithTheSameBytes() throws IOException {
        Map<String, byte[]> first = archive(sample());
        Map<String, byte[]> retried = archive(sample());

        assertThat(retried.keySet()).isEqualTo(first.keySet());
        first.forEach((key, body) -> assertThat(retried.get(key)).as(key).isEqualTo(body));
    }

    @Test
    void aFailedPutFailsTheInvocationSoTheMappingRetriesTheWholeBatch() {
        KafkaArchiveHandler handler = new KafkaArchiveHandler((key, body) -> {
            throw new IllegalStateException("S3 unavailable");
        }, "raw/");

        assertThatThrownBy(() -> handler.handleRequest(sample(), null)).hasMessageContaining("S3 unavailable");
    }

    @Test
    void anEmptyBatchWritesNothing() {
        assertThat(archive(new KafkaEvent())).isEmpty();
        assertThat(archive(null)).isEmpty();
    }
}
