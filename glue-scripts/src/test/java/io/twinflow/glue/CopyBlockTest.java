package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.junit.jupiter.api.Test;

/** The shuffle's hand-written packing of day copies. */
class CopyBlockTest {

    @Test
    void everyFieldOfEveryCopySurvivesABlockWhateverItsCharactersAndOptionalParts() {
        List<DayCopy> copies = List.of(
                DayCopies.copy("d-1", "e1", "raw/dt=2026-11-23/hour=10/a.gz", "shardId-000000000001",
                        "49612345678901234567890123456789012345678901234567890123",
                        Map.of("temperature", 21.5, "humidity", -0.0), 52.52, 13.4),
                DayCopies.copy("d-1", "é€𝄞-id", "raw/dt=2026-11-23/hour=10/a.gz", null, null, Map.of("temperature", Double.MAX_VALUE), null, null),
                DayCopies.copy("d-2", "x".repeat(128), "raw/dt=2026-11-24/hour=00/b.gz", "shardId-000000000001", "7",
                        Map.of("battery", Double.MIN_VALUE, "temperature", 1e300), -90.0, 180.0));
        CopyBlock.Writer writer = new CopyBlock.Writer();
        copies.forEach(c -> c.writeTo(writer));

        List<DayCopy> read = new ArrayList<>();
        CopyBlock.Reader reader = new CopyBlock.Reader(writer.take(), new HashMap<>());
        while (reader.hasNext()) {
            read.add(DayCopy.readFrom(reader));
        }

        assertThat(read).hasSize(3);
        for (int i = 0; i < copies.size(); i++) {
            assertSame(read.get(i), copies.get(i));
        }
        assertThat(writer.size()).as("take() starts an empty block").isZero();
    }

    @Test
    void aRepeatedStringIsOneInstanceAcrossAllTheBlocksOfAPartition() {
        Map<String, String> instances = new HashMap<>();
        List<DayCopy> read = new ArrayList<>();
        for (int block = 0; block < 2; block++) {
            CopyBlock.Writer writer = new CopyBlock.Writer();
            DayCopies.copy("d-1", "e" + block, "raw/a.gz", "shardId-0", "1", Map.of("temperature", 1.0), null, null).writeTo(writer);
            CopyBlock.Reader reader = new CopyBlock.Reader(writer.take(), instances);
            read.add(DayCopy.readFrom(reader));
        }
        assertThat(read.get(0).deviceId()).isSameAs(read.get(1).deviceId());
        assertThat(read.get(0).objectPath()).isSameAs(read.get(1).objectPath());
        assertThat(read.get(0).shardId()).isSameAs(read.get(1).shardId());
    }

    @Test
    void javaSerializationOfAJudgedCopyKeepsItsVerdict() throws IOException, ClassNotFoundException {
        DayCopy copy = DayCopies.copy("d-1", "e1", "raw/a.gz", "shardId-0", "1", Map.of("t", 1.0), 1.0, 2.0);
        copy.verdict(DayCopy.Verdict.WINDOW_FULL);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(copy);
        }
        DayCopy read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = (DayCopy) in.readObject();
        }
        assertSame(read, copy);
        assertThat(read.verdict()).isEqualTo(DayCopy.Verdict.WINDOW_FULL);
    }

    @Test
    void aDevicesPartitionIsTheOneSparksHashPartitionerGivesItsId() {
        for (int partitions : new int[] {1, 2, 3, 7}) {
            HashPartitioner spark = new HashPartitioner(partitions);
            for (String device : List.of("d-1", "sensor-0042", "a", "zzzzzzzzzzzzzzzzzzzzzzz", "Aa", "BB")) {
                int partition = CopySplitter.partitionOf(device, partitions);
                assertThat(partition).isEqualTo(spark.getPartition(device));
                assertThat(spark.getPartition(partition)).as("the block's key keeps its partition").isEqualTo(partition);
            }
        }
    }

    private static void assertSame(DayCopy read, DayCopy written) {
        assertThat(read.deviceId()).isEqualTo(written.deviceId());
        assertThat(read.eventId()).isEqualTo(written.eventId());
        assertThat(read.ts()).isEqualTo(written.ts());
        assertThat(read.schemaVersion()).isEqualTo(written.schemaVersion());
        assertThat(read.metrics()).containsExactlyEntriesOf(written.metrics());
        assertThat(read.lat()).isEqualTo(written.lat());
        assertThat(read.lon()).isEqualTo(written.lon());
        assertThat(read.objectPath()).isEqualTo(written.objectPath());
        assertThat(read.objectTime()).isEqualTo(written.objectTime());
        assertThat(read.lineNo()).isEqualTo(written.lineNo());
        assertThat(read.arrival()).isEqualTo(written.arrival());
        assertThat(read.shardId()).isEqualTo(written.shardId());
        assertThat(read.sequenceNumber()).isEqualTo(written.sequenceNumber());
        assertThat(read.verdict()).isEqualTo(written.verdict());
        assertThat(DayCopy.BY_DEVICE_WINDOW_AND_STREAM_ORDER.compare(read, written)).isZero();
    }
}
