package io.twinflow.local.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.core.event.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Makes plausible device telemetry: each device has its own climate (a daily temperature cycle with a
 * phase set by its longitude, humidity that falls as it warms, a battery that drains), Gaussian noise,
 * and rare anomalies — an overheating spike or a battery dip — chosen to cross the default alert rules
 * (temperature &gt; 50, battery &lt; 0.1). Normal readings stay clear of both thresholds so every alert
 * can be traced to an anomaly. Deterministic for a given seed.
 */
public final class TelemetryGenerator {

    /** The share of new events that are anomalies. */
    static final double ANOMALY_RATE = 0.002;

    /** The kinds of bad records produced, each with the reason the decoder must give. */
    static final List<ReasonCode> BAD_KINDS = List.of(ReasonCode.INVALID_JSON, ReasonCode.MISSING_FIELD,
            ReasonCode.BAD_TIMESTAMP, ReasonCode.FUTURE_TIMESTAMP, ReasonCode.NON_FINITE_METRIC,
            ReasonCode.UNSUPPORTED_SCHEMA, ReasonCode.BAD_DEVICE_ID, ReasonCode.NOT_AN_OBJECT, ReasonCode.INVALID_UTF8);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Random random;
    private final Device[] devices;
    private final double lateRatio;
    private int nextDevice;

    private static final class Device {
        final String id;
        final double baseTemp;
        final double amplitude;
        final double phase;
        final double lat;
        final double lon;
        double battery;

        Device(String id, Random r) {
            this.id = id;
            this.baseTemp = 17 + r.nextDouble() * 7;
            this.amplitude = 2 + r.nextDouble() * 4;
            this.lat = 35 + r.nextDouble() * 25;
            this.lon = -10 + r.nextDouble() * 40;
            this.phase = lon / 360.0;
            this.battery = 0.4 + r.nextDouble() * 0.6;
        }
    }

    public TelemetryGenerator(int deviceCount, double lateRatio, long seed) {
        this.random = new Random(seed);
        this.lateRatio = lateRatio;
        this.devices = new Device[deviceCount];
        for (int i = 0; i < deviceCount; i++) {
            devices[i] = new Device(deviceId(i), random);
        }
    }

    public static String deviceId(int index) {
        return String.format("sensor-%04d", index);
    }

    /** A new valid event from the next device (round robin, so every device reports at the same pace). */
    public PlannedRecord next(Instant now) {
        Device d = devices[nextDevice];
        nextDevice = (nextDevice + 1) % devices.length;
        boolean late = random.nextDouble() < lateRatio;
        // Late events are 30 s to 10 min old: they land in windows that already hold later events.
        Instant ts = late ? now.minusMillis(30_000 + (long) (random.nextDouble() * 570_000)) : now;
        double dayFraction = (ts.getEpochSecond() % 86_400) / 86_400.0;
        double temperature = d.baseTemp + d.amplitude * Math.sin(2 * Math.PI * (dayFraction - 0.25 + d.phase))
                + random.nextGaussian() * 0.3;
        double humidity = clamp(50 - 1.5 * (temperature - d.baseTemp) + random.nextGaussian() * 2, 5, 95);
        d.battery = Math.max(0.15, d.battery - 0.00005);
        double battery = d.battery;
        String anomaly = null;
        if (random.nextDouble() < ANOMALY_RATE) {
            if (random.nextBoolean()) {
                anomaly = "temperature";
                temperature = 55 + random.nextDouble() * 20;
            } else {
                anomaly = "battery";
                battery = 0.02 + random.nextDouble() * 0.06;
            }
        }
        String eventId = new UUID(random.nextLong(), random.nextLong()).toString();
        ObjectNode event = JSON.createObjectNode();
        event.put("schemaVersion", 1);
        event.put("eventId", eventId);
        event.put("deviceId", d.id);
        event.put("ts", ts.toString());
        ObjectNode metrics = event.putObject("metrics");
        metrics.put("temperature", round(temperature, 2));
        metrics.put("humidity", round(humidity, 1));
        metrics.put("battery", round(battery, 4));
        ObjectNode location = event.putObject("location");
        location.put("lat", round(d.lat, 5));
        location.put("lon", round(d.lon, 5));
        return new PlannedRecord(PlannedRecord.Kind.VALID, d.id, bytes(event), eventId, ts, null, late, anomaly);
    }

    /** A record the decoder must reject, of a kind picked uniformly from {@link #BAD_KINDS}. */
    public PlannedRecord bad(Instant now) {
        ReasonCode kind = BAD_KINDS.get(random.nextInt(BAD_KINDS.size()));
        Device d = devices[random.nextInt(devices.length)];
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        String valid = "{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"" + d.id + "\",\"ts\":\"" + now
                + "\",\"metrics\":{\"temperature\":21.5}}";
        byte[] data = switch (kind) {
            case INVALID_JSON -> utf8(valid.substring(0, valid.length() - 3));
            case MISSING_FIELD -> utf8(valid.replace(",\"ts\":\"" + now + "\"", ""));
            case BAD_TIMESTAMP -> utf8(valid.replace(now.toString(), "yesterday at noon"));
            case FUTURE_TIMESTAMP -> utf8(valid.replace(now.toString(), now.plus(Duration.ofDays(2)).toString()));
            // The metric's whole member, not "21.5" alone: a time such as 10:15:21.5Z holds that text too.
            case NON_FINITE_METRIC -> utf8(valid.replace("\"temperature\":21.5}", "\"temperature\":NaN}"));
            case UNSUPPORTED_SCHEMA -> utf8(valid.replace("\"schemaVersion\":1", "\"schemaVersion\":99"));
            case BAD_DEVICE_ID -> utf8(valid.replace("\"" + d.id + "\"", "\"" + d.id + " (kitchen)\""));
            case NOT_AN_OBJECT -> utf8("[" + valid + "]");
            case INVALID_UTF8 -> invalidUtf8(valid);
            default -> throw new IllegalStateException("no generator for " + kind);
        };
        return new PlannedRecord(PlannedRecord.Kind.BAD, d.id, data, null, null, kind, false, null);
    }

    private static byte[] invalidUtf8(String valid) {
        byte[] text = utf8(valid.replace("21.5}", "21.5,\"note\":\"XX\"}"));
        String s = new String(text, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("XX");
        text[at] = (byte) 0xC3; // a lead byte followed by ASCII: malformed UTF-8
        text[at + 1] = (byte) 0x28;
        return text;
    }

    private static byte[] bytes(ObjectNode node) {
        return utf8(node.toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
