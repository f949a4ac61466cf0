package io.twinflow.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.pipeline.PipelineSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class StreamArchiverTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-24T09:59:30Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final InMemoryStream stream = new InMemoryStream("shardId-000000000000", "shardId-000000000001");
    private final Map<String, byte[]> objects = new LinkedHashMap<>();
    private final ManualClock clock = new ManualClock();

    private StreamArchiver archiver(int bufferBytes, Duration interval) {
        PipelineSpec d = PipelineSpec.defaults();
        PipelineSpec spec = new PipelineSpec(d.prefix(), d.stream(), d.tables(), d.buckets(), d.queues(), d.streamMapping(),
                new PipelineSpec.Archive(interval, bufferBytes), d.schedules(), d.warehouse(), d.window());
        return new StreamArchiver(stream, objects::put, spec, clock, Duration.ofMillis(10));
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void objectHoldsEveryRecordsExactBytesOnItsOwnLineUnderTheOldestArrivalHour() throws IOException {
        StreamArchiver archiver = archiver(1024 * 1024, Duration.ofSeconds(60));
        stream.put("shardId-000000000000", "{\"a\":1}", Instant.parse("2026-11-24T09:59:58Z"));
        stream.put("shardId-000000000001", "not json at all", Instant.parse("2026-11-24T10:00:01Z"));
        archiver.pollOnce();
        assertThat(objects).isEmpty();

        clock.now = clock.now.plusSeconds(60);
        archiver.pollOnce();

        assertThat(objects).hasSize(1);
        String key = objects.keySet().iterator().next();
        assertThat(key).startsWith("raw/dt=2026-11-24/hour=09/twinflow-telemetry-").endsWith(".json.gz");
        assertThat(gunzip(objects.get(key))).isEqualTo("{\"a\":1}\nnot json at all\n");
        assertThat(archiver.recordsArchived()).isEqualTo(2);
    }

    @Test
    void flushesWhenTheBufferReachesItsSizeAndNamesSortInWriteOrder() throws IOException {
        StreamArchiver archiver = archiver(100, Duration.ofSeconds(60));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String payload = "{\"n\":" + i + ",\"pad\":\"xxxxxxxxxx\"}";
            sent.add(payload);
            stream.put("shardId-000000000000", payload, clock.now);
        }
        archiver.pollOnce();
        int flushedBySize = objects.size();
        archiver.close();

        assertThat(flushedBySize).isGreaterThan(3);
        List<String> keys = new ArrayList<>(objects.keySet());
        assertThat(keys).isSorted().doesNotHaveDuplicates();
        StringBuilder all = new StringBuilder();
        for (String key : keys) {
            all.append(gunzip(objects.get(key)));
        }
        assertThat(all.toString()).isEqualTo(String.join("\n", sent) + "\n");
    }

    @Test
    void intervalAboveSixtySecondsIsCappedLocally() {
        StreamArchiver archiver = archiver(1024 * 1024, Duration.ofSeconds(300));
        stream.put("shardId-000000000000", "{}", clock.now);
        archiver.pollOnce();
        clock.now = clock.now.plusSeconds(59);
        archiver.pollOnce();
        assertThat(objects).isEmpty();
        clock.now = clock.now.plusSeconds(1);
        archiver.pollOnce();
        assertThat(objects).hasSize(1);
    }

    @Test
    void closingWritesWhatIsBuffered() throws IOException {
        StreamArchiver archiver = archiver(1024 * 1024, Duration.ofSeconds(60));
        stream.put("shardId-000000000001", "{\"last\":true}", clock.now);
        archiver.pollOnce();
        archiver.close();
        assertThat(objects).hasSize(1);
        assertThat(gunzip(objects.values().iterator().next())).isEqualTo("{\"last\":true}\n");
    }
}
