package io.twinflow.functions.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class S3QuarantineSinkTest {

    private final S3QuarantineSink sink = new S3QuarantineSink(null, "bucket", "quarantine/", null);

    @Test
    void anObjectReadsBackAsTheRecordItWasWrittenFromByteForByte() throws Exception {
        byte[] payload = {'{', (byte) 0xff, 0, '}'};
        QuarantinedRecord record = new QuarantinedRecord("shardId-000000000001", "4959", "sensor-7",
                Instant.parse("2026-11-28T10:15:31.100Z"), "INVALID_JSON", "not parseable", payload);

        QuarantinedRecord read = S3QuarantineSink.fromJson(sink.toJson(record));

        assertThat(read).usingRecursiveComparison().isEqualTo(record);
        assertThat(S3QuarantineSink.key("quarantine/", read)).isEqualTo("quarantine/dt=2026-11-28/shard=shardId-000000000001/4959.json");
    }

    @Test
    void somethingElseIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> S3QuarantineSink.fromJson("{\"reason\":\"X\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a quarantine object");
    }
}
