package io.twinflow.local.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchiveReplayTest {

    private static String deviceOf(String record) {
        return ArchiveReplay.deviceId(record.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordsDeviceIsItsTextDeviceIdAndARecordWithoutOneIsNoDevices() {
        assertThat(deviceOf("{\"deviceId\":\"sensor-7\",\"ts\":\"2026-11-28T10:00:00Z\"}")).isEqualTo("sensor-7");
        assertThat(deviceOf("{\"deviceId\":7}")).isNull();
        assertThat(deviceOf("{\"ts\":\"2026-11-28T10:00:00Z\"}")).isNull();
        assertThat(deviceOf("not json at all")).isNull();
        assertThat(deviceOf("[1, 2]")).isNull();
    }
}
