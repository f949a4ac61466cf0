package io.twinflow.warehouse;

import io.twinflow.core.archive.ArchiveLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/** Raw archive lines the adapters' tests write into raw objects. */
public final class RawLines {

    private RawLines() {
    }

    /** One event as a producer sends it, with the three common metrics. */
    public static String event(String id, String device, Instant ts, double temperature, double humidity, double battery) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":" + temperature + ",\"humidity\":" + humidity + ",\"battery\":" + battery + "}}";
    }

    /** One archive envelope line, without its LF (the tests' object writers add it). */
    public static byte[] envelope(String record, Instant arrival, String shard, String sequence) {
        byte[] line = ArchiveLine.encode(record.getBytes(StandardCharsets.UTF_8), arrival, shard, sequence);
        return Arrays.copyOf(line, line.length - 1);
    }
}
