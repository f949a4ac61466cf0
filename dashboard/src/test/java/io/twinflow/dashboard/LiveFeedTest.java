package io.twinflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What one open page costs per tick: the reads a view makes through the live routes, and when. */
class LiveFeedTest {

    /** Answers every route with a fixed body and records what was asked. */
    private static final class RecordingSource implements LiveSource {
        final List<String> asked = new ArrayList<>();
        String state = "{\"deviceId\":\"d1\",\"ts\":\"2026-11-28T10:00:00Z\",\"metrics\":{}}";
        String windows = "[]";

        @Override
        public Reply get(String path, Map<String, String> query) {
            asked.add(path + " " + new TreeMap<>(query));
            if (path.equals("/v1/devices")) {
                return new Reply(200, "{\"devices\":[],\"next\":null}");
            }
            if (path.equals("/v1/devices/d%2F1")) {
                return new Reply(404, "{\"error\":\"DEVICE_NOT_FOUND\",\"message\":\"none\"}");
            }
            return new Reply(200, path.endsWith("/d1") ? state : path.endsWith("/windows") ? windows : "[]");
        }
    }

    @Test
    void theFleetViewReadsOnePageEveryTickAndTheAlertFeedEveryFiveSeconds() {
        RecordingSource source = new RecordingSource();
        AtomicReference<Instant> clock = new AtomicReference<>(Instant.parse("2026-11-28T10:00:00Z"));
        LiveFeed feed = LiveFeed.fleet(source, clock::get, 50, "sensor-0049");
        for (int tick = 0; tick < 10; tick++) {
            assertThat(feed.snapshot()).isEqualTo("{\"fleet\":{\"devices\":[],\"next\":null},\"alerts\":[]}");
            clock.set(clock.get().plus(LiveFeed.TICK));
        }
        assertThat(source.asked.stream().filter(a -> a.startsWith("/v1/devices ")))
                .hasSize(10)
                .allMatch(a -> a.equals("/v1/devices {cursor=sensor-0049, limit=50}"));
        assertThat(source.asked.stream().filter(a -> a.startsWith("/v1/alerts "))).hasSize(2)
                .allMatch(a -> a.contains("since="));
    }

    @Test
    void theDeviceViewReadsItsWindowsAndAlertsOnlyWhenItsStateChanged() {
        RecordingSource source = new RecordingSource();
        AtomicReference<Instant> clock = new AtomicReference<>(Instant.parse("2026-11-28T10:00:00Z"));
        LiveFeed feed = LiveFeed.device(source, clock::get, "d1");
        feed.snapshot();
        feed.snapshot();
        feed.snapshot();
        assertThat(source.asked).filteredOn(a -> a.startsWith("/v1/devices/d1/windows")).hasSize(1);
        assertThat(source.asked).filteredOn(a -> a.startsWith("/v1/devices/d1 ")).hasSize(3);

        source.state = "{\"deviceId\":\"d1\",\"ts\":\"2026-11-28T10:00:05Z\",\"metrics\":{}}";
        assertThat(feed.snapshot()).startsWith("{\"state\":" + source.state + ",\"windows\":[]");
        assertThat(source.asked).filteredOn(a -> a.startsWith("/v1/devices/d1/windows")).hasSize(2);
        assertThat(source.asked).filteredOn(a -> a.startsWith("/v1/alerts ")).hasSize(2).allMatch(a -> a.contains("deviceId=d1"));
    }

    @Test
    void anUnknownDeviceIsAnEmptyViewAndItsIdIsEncodedInThePath() {
        RecordingSource source = new RecordingSource();
        LiveFeed feed = LiveFeed.device(source, Instant::now, "d/1");
        assertThat(feed.snapshot()).isEqualTo("{\"state\":null,\"windows\":[],\"alerts\":[]}");
        assertThat(source.asked).containsExactly("/v1/devices/d%2F1 {}");
    }

    @Test
    void aFailedReadIsShownAsAProblemWithItsStatus() {
        LiveSource failing = (path, query) -> new LiveSource.Reply(503, "{\"error\":\"THROTTLED\",\"message\":\"slow down\"}");
        assertThat(LiveFeed.fleet(failing, Instant::now, 10, null).snapshot())
                .isEqualTo("{\"problem\":{\"error\":\"THROTTLED\",\"message\":\"slow down\"},\"status\":503}");
    }

    @Test
    void betweenFullReadsTheDeviceViewReadsOnlyItsNewestWindowAndLaterOnes() {
        RecordingSource source = new RecordingSource();
        AtomicReference<Instant> clock = new AtomicReference<>(Instant.parse("2026-11-28T10:00:30Z"));
        LiveFeed feed = LiveFeed.device(source, clock::get, "d1");
        source.windows = "[{\"windowStart\":\"2026-11-28T09:58:00Z\",\"count\":3},{\"windowStart\":\"2026-11-28T09:59:00Z\",\"count\":1}]";
        feed.snapshot();
        assertThat(source.asked).filteredOn(a -> a.startsWith("/v1/devices/d1/windows"))
                .containsExactly("/v1/devices/d1/windows {from=2026-11-28T07:00:30Z, to=2026-11-28T10:00:31Z}");

        source.asked.clear();
        clock.set(clock.get().plusSeconds(2));
        source.state = source.state.replace("10:00:00", "10:00:31");
        source.windows = "[{\"windowStart\":\"2026-11-28T09:59:00Z\",\"count\":2},{\"windowStart\":\"2026-11-28T10:00:00Z\",\"count\":1}]";
        assertThat(feed.snapshot()).contains("\"windows\":[{\"windowStart\":\"2026-11-28T09:58:00Z\",\"count\":3},"
                + "{\"windowStart\":\"2026-11-28T09:59:00Z\",\"count\":2},{\"windowStart\":\"2026-11-28T10:00:00Z\",\"count\":1}]");
        assertThat(source.asked).filteredOn(a -> a.startsWith("/v1/devices/d1/windows"))
                .containsExactly("/v1/devices/d1/windows {from=2026-11-28T09:59:00Z, to=2026-11-28T10:00:33Z}");

        source.asked.clear();
        clock.set(clock.get().plus(LiveFeed.FULL_WINDOWS_EVERY));
        source.state = source.state.replace("10:00:31", "10:01:33");
        feed.snapshot();
        assertThat(source.asked).filteredOn(a -> a.startsWith("/v1/devices/d1/windows"))
                .containsExactly("/v1/devices/d1/windows {from=2026-11-28T07:01:32Z, to=2026-11-28T10:01:33Z}");
    }
}
