package io.twinflow.functions.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.alert.Alert;
import io.twinflow.core.alert.AlertRule;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.LiveTables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the stream processor's store writes, read back by live's {@link LiveStateReader} the way the live API reads it,
 * on dynalite: device pages of a bounded size, and the fleet's alerts through the alerts-by-hour index.
 */
class LiveStateReadsIT {

    private static final Windows WINDOWS = Windows.ofMinutes(1);

    private static EmbeddedDynamoDb dynamoDbServer;
    private static DynamoDbClient dynamoDb;
    private static ExecutorService io;
    private static DynamoDbLiveStateStore store;
    private static LiveStateReader reader;

    @BeforeAll
    static void start() {
        dynamoDbServer = EmbeddedDynamoDb.start();
        dynamoDb = dynamoDbServer.dynamoDbClient();
        io = Executors.newFixedThreadPool(2);
        LiveTables.createAll(dynamoDb, "reads-state", "reads-windows", "reads-alerts");
        store = new DynamoDbLiveStateStore(dynamoDb, "reads-state", "reads-windows", "reads-alerts", WINDOWS, Duration.ofDays(35), io);
        reader = new LiveStateReader(dynamoDb, "reads-state", "reads-windows", "reads-alerts");
    }

    @AfterAll
    static void stop() {
        io.shutdownNow();
        dynamoDb.close();
        dynamoDbServer.close();
    }

    @Test
    void pagesOfAFewDevicesWalkTheWholeTableOnce() {
        List<TelemetryEvent> events = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            events.add(TelemetryEvent.of("e-" + i, "page-" + i, Instant.parse("2026-11-28T10:00:00Z"), Map.of("temperature", 20.0 + i)));
        }
        assertThat(store.putLatestStates(events).failedDevices()).isEmpty();
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            LiveStateReader.DevicePage page = reader.devices(5, after);
            assertThat(page.devices()).hasSizeLessThanOrEqualTo(5);
            page.devices().forEach(d -> seen.add(d.deviceId()));
            after = page.lastDeviceId();
        } while (after != null);
        assertThat(seen.stream().filter(id -> id.startsWith("page-"))).hasSize(23).doesNotHaveDuplicates();
    }

    @Test
    void theFleetsAlertsAreReadThroughTheHourIndexAcrossHoursOldestFirst() {
        Instant t = Instant.parse("2026-11-28T10:58:00Z");
        List<Alert> alerts = List.of(
                alert("hot-1", t), alert("hot-2", t.plusSeconds(60)), alert("hot-3", t.plusSeconds(180)), alert("hot-4", t.plusSeconds(7200)));
        assertThat(store.putAlerts(alerts).failedDevices()).isEmpty();

        List<LiveStateReader.AlertItem> read = reader.fleetAlerts(t.plusSeconds(60), t.plusSeconds(3600), null, 100);
        assertThat(read).extracting(LiveStateReader.AlertItem::deviceId).containsExactly("hot-2", "hot-3");
        assertThat(read.get(0).windowEnd()).isEqualTo(t.plusSeconds(120));
        assertThat(read.get(0).operator()).isEqualTo(">");

        assertThat(reader.fleetAlerts(t, t.plusSeconds(8000), null, 2)).extracting(LiveStateReader.AlertItem::deviceId).containsExactly("hot-1", "hot-2");
        assertThat(reader.alerts("hot-4", t, t.plusSeconds(8000))).hasSize(1);
    }

    /**
     * 25 alerts of one window (more than a page) and 3 in the next hour, read 10 at a time, each page going on from the
     * last one's final alert: every alert once, oldest first, across the hour buckets; a device's alerts the same way.
     */
    @Test
    void pagesOfAlertsGoOnFromTheLastAlertOfThePageBeforeEvenWithinOneWindow() {
        Instant t = Instant.parse("2026-11-27T08:59:00Z");
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            alerts.add(alert(String.format("crowd-%02d", i), t));
        }
        for (int i = 0; i < 3; i++) {
            alerts.add(alert("late-" + i, t.plusSeconds(120)));
            alerts.add(new Alert("crowd-07", t.plusSeconds(60 * (i + 1)), "overheat", "temperature", AlertRule.Operator.ABOVE, 60.0, 61.0));
        }
        assertThat(store.putAlerts(alerts).failedDevices()).isEmpty();

        List<String> read = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        LiveStateReader.AlertPosition after = null;
        List<LiveStateReader.AlertItem> page;
        do {
            page = reader.fleetAlerts(t, t.plusSeconds(3600), after, 10);
            pages.add(page.size());
            page.forEach(a -> read.add(a.deviceId() + "@" + a.windowStart()));
            after = page.isEmpty() ? null : page.get(page.size() - 1).position();
        } while (page.size() == 10);
        assertThat(pages).containsExactly(10, 10, 10, 1);
        assertThat(read).hasSize(31).doesNotHaveDuplicates();
        assertThat(read.subList(0, 25)).allSatisfy(a -> assertThat(a).endsWith("@" + t));

        List<LiveStateReader.AlertItem> first = reader.alerts("crowd-07", t, t.plusSeconds(3600), null, 2);
        assertThat(first).extracting(LiveStateReader.AlertItem::windowStart).containsExactly(t, t.plusSeconds(60));
        assertThat(reader.alerts("crowd-07", t, t.plusSeconds(3600), first.get(1).position(), 2))
                .extracting(LiveStateReader.AlertItem::windowStart).containsExactly(t.plusSeconds(120), t.plusSeconds(180));
    }

    private static Alert alert(String deviceId, Instant windowStart) {
        return new Alert(deviceId, windowStart, "overheat", "temperature", AlertRule.Operator.ABOVE, 60.0, 61.0);
    }
}
