package io.twinflow.functions.live;

import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.alert.Alert;
import io.twinflow.core.dedupe.EventIdSet;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.LiveTables;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB items of the live tables, written by the stream processor: window, device state and
 * alert items built from core's values (attribute names from {@link LiveTables}), fingerprint pages, and a
 * stored window read back into what its next write starts from.
 */
final class LiveItems {

    private static final Duration PAGE_GRACE = Duration.ofDays(1);

    private final Windows windows;
    private final Duration retention;

    /** @param retention how long window and alert items live after their window starts (their TTL) */
    LiveItems(Windows windows, Duration retention) {
        this.windows = windows;
        this.retention = retention;
    }

    static Map<String, AttributeValue> windowItemKey(WindowKey key) {
        return Map.of(LiveTables.DEVICE_ID, string(key.deviceId()),
                LiveTables.WINDOW_START, string(LiveTables.windowKey(key.windowStart())));
    }

    static WindowKey windowKey(Map<String, AttributeValue> item) {
        return new WindowKey(item.get(LiveTables.DEVICE_ID).s(), Instant.parse(item.get(LiveTables.WINDOW_START).s()));
    }

    /** The version a stored window item carries: its next write must find it unchanged. */
    static long version(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get(LiveTables.WINDOW_VERSION).n());
    }

    /**
     * A window item: the aggregate, the fingerprints kept inline, the pages holding the rest ({@link LiveTables#WINDOW_PAGES})
     * and the version its next write must find. An empty inline set or page list is left out.
     */
    Map<String, AttributeValue> window(WindowKey key, WindowAggregate aggregate, EventIdSet inline, long[] pages, long version) {
        Map<String, AttributeValue> item = new HashMap<>(windowItemKey(key));
        item.put(LiveTables.WINDOW_END, string(LiveTables.windowKey(windows.endOf(key.windowStart()))));
        item.put(LiveTables.WINDOW_EVENT_COUNT, number(aggregate.eventCount()));
        item.put(LiveTables.WINDOW_METRICS, AttributeValue.fromM(metrics(aggregate)));
        if (inline.size() > 0) {
            // Packed: fingerprints are most of what a busy window writes, and units follow the item's size.
            item.put(LiveTables.WINDOW_PACKED_EVENT_IDS, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(inline.toPackedBytes())));
        }
        if (pages.length > 0) {
            ByteBuffer digests = ByteBuffer.allocate(pages.length * Long.BYTES);
            digests.asLongBuffer().put(pages);
            item.put(LiveTables.WINDOW_PAGES, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(digests.array())));
        }
        item.put(LiveTables.WINDOW_VERSION, number(version));
        item.put(LiveTables.EXPIRES_AT, number(expiresAt(key)));
        return item;
    }

    /**
     * A page of a window's fingerprints, named by their digest. It outlives its window by a day: TTL deletes in no
     * set order, and a window item whose page went first could not be written again.
     */
    Map<String, AttributeValue> page(WindowKey key, EventIdSet ids) {
        Map<String, AttributeValue> item = new HashMap<>(pageItemKey(key, ids.digest()));
        item.put(LiveTables.WINDOW_PACKED_EVENT_IDS, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(ids.toPackedBytes())));
        item.put(LiveTables.EXPIRES_AT, number(expiresAt(key) + PAGE_GRACE.toSeconds()));
        return item;
    }

    static Map<String, AttributeValue> pageItemKey(WindowKey key, long digest) {
        return Map.of(LiveTables.DEVICE_ID, string(key.deviceId()),
                LiveTables.WINDOW_START, string(LiveTables.pageKey(key.windowStart(), digest)));
    }

    private long expiresAt(WindowKey key) {
        return key.windowStart().plus(retention).getEpochSecond();
    }

    private static Map<String, AttributeValue> metrics(WindowAggregate aggregate) {
        Map<String, AttributeValue> metrics = new HashMap<>();
        aggregate.metrics().forEach((name, agg) -> metrics.put(name, AttributeValue.fromM(Map.of(
                "count", number(agg.count()),
                "sum", number(agg.sum()),
                "min", number(agg.min()),
                "max", number(agg.max())))));
        return metrics;
    }

    /** A stored window item as its next write starts from it: its pages are listed, not read. */
    record StoredWindow(WindowAggregate aggregate, EventIdSet inline, long[] pages, long version) {
    }

    static StoredWindow stored(Map<String, AttributeValue> item) {
        long eventCount = Long.parseLong(item.get(LiveTables.WINDOW_EVENT_COUNT).n());
        WindowAggregate aggregate = new WindowAggregate(eventCount, LiveStateReader.decodeMetrics(item.get(LiveTables.WINDOW_METRICS).m()));
        AttributeValue pages = item.get(LiveTables.WINDOW_PAGES);
        long[] digests = new long[0];
        if (pages != null) {
            ByteBuffer bytes = pages.b().asByteBuffer();
            if (bytes.remaining() % Long.BYTES != 0) {
                throw new IllegalArgumentException("a window's page list is a multiple of 8 bytes, got " + bytes.remaining());
            }
            digests = new long[bytes.remaining() / Long.BYTES];
            bytes.asLongBuffer().get(digests);
        }
        return new StoredWindow(aggregate, eventIds(item), digests, version(item));
    }

    /**
     * The fingerprints a window or page item holds itself, from whichever form it has: window items written before
     * the packed form keep 8 bytes per id under {@link LiveTables#WINDOW_EVENT_IDS} until rewritten; a window whose
     * fingerprints all moved to pages holds none.
     */
    static EventIdSet eventIds(Map<String, AttributeValue> item) {
        AttributeValue packed = item.get(LiveTables.WINDOW_PACKED_EVENT_IDS);
        AttributeValue old = item.get(LiveTables.WINDOW_EVENT_IDS);
        if (packed != null) {
            return EventIdSet.fromPackedBytes(packed.b().asByteArrayUnsafe());
        }
        return old == null ? EventIdSet.EMPTY : EventIdSet.fromBytes(old.b().asByteArrayUnsafe());
    }

    static Map<String, AttributeValue> state(TelemetryEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LiveTables.DEVICE_ID, string(event.deviceId()));
        item.put(LiveTables.STATE_TS, string(event.ts().toString()));
        item.put(LiveTables.STATE_EVENT_ID, string(event.eventId()));
        item.put(LiveTables.STATE_ORDER_KEY, string(LiveTables.orderKey(event.ts(), event.eventId())));
        Map<String, AttributeValue> metrics = new HashMap<>();
        event.metrics().forEach((name, value) -> metrics.put(name, number(value)));
        item.put(LiveTables.STATE_METRICS, AttributeValue.fromM(metrics));
        if (event.location() != null) {
            item.put(LiveTables.STATE_LOCATION, AttributeValue.fromM(Map.of(
                    "lat", number(event.location().lat()), "lon", number(event.location().lon()))));
        }
        return item;
    }

    Map<String, AttributeValue> alert(Alert alert) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LiveTables.DEVICE_ID, string(alert.deviceId()));
        item.put(LiveTables.ALERT_KEY, string(LiveTables.alertKey(alert.windowStart(), alert.ruleId())));
        // The fleet-wide alert feed reads the alerts-by-hour index: a full overwrite, so a retried put stays idempotent.
        item.put(LiveTables.ALERT_HOUR, string(LiveTables.alertHour(alert.windowStart())));
        item.put(LiveTables.WINDOW_START, string(LiveTables.windowKey(alert.windowStart())));
        item.put(LiveTables.WINDOW_END, string(LiveTables.windowKey(windows.endOf(alert.windowStart()))));
        item.put(LiveTables.ALERT_RULE_ID, string(alert.ruleId()));
        item.put(LiveTables.ALERT_METRIC, string(alert.metric()));
        item.put(LiveTables.ALERT_OPERATOR, string(alert.operator().symbol()));
        item.put(LiveTables.ALERT_THRESHOLD, number(alert.threshold()));
        item.put(LiveTables.ALERT_PEAK, number(alert.peak()));
        item.put(LiveTables.EXPIRES_AT, number(alert.windowStart().plus(retention).getEpochSecond()));
        return item;
    }

    static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** The shortest decimal that reads back as the same double: exact round trips. */
    static AttributeValue number(double value) {
        return AttributeValue.fromN(Double.toString(value));
    }
}
