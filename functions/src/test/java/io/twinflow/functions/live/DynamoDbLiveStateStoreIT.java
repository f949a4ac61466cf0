package io.twinflow.functions.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.dedupe.EventIdHash;
import io.twinflow.core.dedupe.EventIdSet;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.emulators.EmulatorClients;
import io.twinflow.functions.testing.FaultInjectingHttpClient;
import io.twinflow.live.DynamoDbItemSize;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.LiveTables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The window write's optimistic concurrency on dynalite: another writer's put lands between this store's
 * read and its conditional put (as a second invocation during resharding would), so the condition fails
 * for real, and the store re-reads and re-applies.
 */
class DynamoDbLiveStateStoreIT {

    private static final Windows WINDOWS = Windows.ofMinutes(1);
    private static final Instant WINDOW = Instant.parse("2026-11-24T10:10:00Z");
    private static final WindowKey KEY = new WindowKey("dev-1", WINDOW);
    private static final AtomicInteger TABLES = new AtomicInteger();
    /** A fault the SDK does not retry: the put is lost at once, as when the writer stops. */
    private static final FaultInjectingHttpClient.Fault NOT_RETRIED =
            new FaultInjectingHttpClient.Fault(400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "injected: the writer stopped");

    private static EmbeddedDynamoDb dynamoDbServer;
    private static DynamoDbClient dynamoDb;
    private static ExecutorService io;

    @BeforeAll
    static void start() {
        dynamoDbServer = EmbeddedDynamoDb.start();
        dynamoDb = dynamoDbServer.dynamoDbClient();
        io = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        io.shutdownNow();
        dynamoDb.close();
        dynamoDbServer.close();
    }

    /** Two stores on fresh tables: this one, whose window puts first let {@code interleave} decide to run the other's write. */
    private record Writers(DynamoDbLiveStateStore store, DynamoDbLiveStateStore other, String windowTable) {
    }

    private static Writers writers(BiPredicate<DynamoDbLiveStateStore, String> interleave) {
        return writers(interleave, FaultInjectingHttpClient.Fault.throttling());
    }

    /** As above; a put {@code interleave} answers true for gets {@code fault} instead of going out. */
    private static Writers writers(BiPredicate<DynamoDbLiveStateStore, String> interleave, FaultInjectingHttpClient.Fault fault) {
        String prefix = "conflict" + TABLES.incrementAndGet() + "-";
        String windowTable = prefix + "windows";
        LiveTables.createAll(dynamoDb, prefix + "state", windowTable, prefix + "alerts");
        DynamoDbLiveStateStore other = new DynamoDbLiveStateStore(dynamoDb, prefix + "state", windowTable, prefix + "alerts",
                WINDOWS, Duration.ofDays(35), io);
        // The other writer's put runs inside this client's request, before the request goes out: a put
        // never answered with a fault, so the emulator judges the condition against the other's item.
        FaultInjectingHttpClient http = new FaultInjectingHttpClient(UrlConnectionHttpClient.builder().build(),
                (operation, body) -> operation.equals("PutItem") && body.contains(windowTable) && interleave.test(other, body),
                fault);
        DynamoDbClient interleaved = DynamoDbClient.builder()
                .region(EmulatorClients.REGION)
                .credentialsProvider(EmulatorClients.CREDENTIALS)
                .endpointOverride(dynamoDbServer.endpoint())
                .httpClient(http)
                .build();
        DynamoDbLiveStateStore store = new DynamoDbLiveStateStore(interleaved, prefix + "state", windowTable, prefix + "alerts",
                WINDOWS, Duration.ofDays(35), io);
        return new Writers(store, other, windowTable);
    }

    @Test
    void aWriteThatLostTheRaceIsReappliedOnTheWinnersItemAndCountsEachEventOnce() {
        AtomicInteger races = new AtomicInteger(1);
        Writers writers = writers((other, body) -> {
            if (races.getAndDecrement() > 0) {
                other.applyWindows(List.of(new WindowWrite.Delivery(KEY, List.of(event("e2", 2), event("e3", 3)))));
            }
            return false;
        });

        List<WindowWrite.Result> results = writers.store().applyWindows(
                List.of(new WindowWrite.Delivery(KEY, List.of(event("e1", 1), event("e2", 2)))));

        WindowWrite.Result result = results.get(0);
        assertThat(result.status()).isEqualTo(WindowWrite.Status.WRITTEN);
        assertThat(result.applied()).containsExactly(true, false);
        assertThat(result.aggregate().eventCount()).isEqualTo(3);
        Map<String, AttributeValue> item = window(writers.windowTable());
        assertThat(item.get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo("3");
        assertThat(item.get(LiveTables.WINDOW_VERSION).n()).as("the other's write, then this one's").isEqualTo("2");
        assertThat(Double.parseDouble(item.get(LiveTables.WINDOW_METRICS).m().get("temperature").m().get("sum").n())).isEqualTo(6.0);
    }

    @Test
    void aWindowThatChangesUnderEveryAttemptIsReportedFailedWithoutCountingTheDelivery() {
        AtomicInteger otherEvents = new AtomicInteger();
        Writers writers = writers((other, body) -> {
            int n = otherEvents.incrementAndGet();
            other.applyWindows(List.of(new WindowWrite.Delivery(KEY, List.of(event("other-" + n, 10)))));
            return false;
        });

        WindowWrite.Result result = writers.store().applyWindows(
                List.of(new WindowWrite.Delivery(KEY, List.of(event("mine", 1))))).get(0);

        assertThat(result.status()).isEqualTo(WindowWrite.Status.FAILED);
        assertThat(result.detail()).contains("consecutive writes");
        assertThat(window(writers.windowTable()).get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo(String.valueOf(otherEvents.get()));
    }

    @Test
    void aWindowItemInTheFormerEightBytesPerIdFormIsReadAndRewrittenPackedCountingEachEventOnce() {
        Writers writers = writers((other, body) -> false);
        // The item as the store wrote it before the packed form: e1 and e2 counted, fingerprints 8 bytes each.
        WindowState before = WindowState.EMPTY.apply(List.of(event("e1", 1), event("e2", 2))).state();
        Map<String, AttributeValue> old = new HashMap<>(new LiveItems(WINDOWS, Duration.ofDays(35))
                .window(KEY, before.aggregate(), before.eventIds(), new long[0], 4));
        old.remove(LiveTables.WINDOW_PACKED_EVENT_IDS);
        old.put(LiveTables.WINDOW_EVENT_IDS, AttributeValue.fromB(SdkBytes.fromByteArray(before.eventIds().toBytes())));
        dynamoDb.putItem(b -> b.tableName(writers.windowTable()).item(old));

        WindowWrite.Result result = writers.store().applyWindows(
                List.of(new WindowWrite.Delivery(KEY, List.of(event("e2", 2), event("e3", 3))))).get(0);

        assertThat(result.status()).isEqualTo(WindowWrite.Status.WRITTEN);
        assertThat(result.applied()).containsExactly(false, true);
        Map<String, AttributeValue> item = window(writers.windowTable());
        assertThat(item.get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo("3");
        assertThat(item.get(LiveTables.WINDOW_VERSION).n()).isEqualTo("5");
        assertThat(item).doesNotContainKey(LiveTables.WINDOW_EVENT_IDS);
        assertThat(EventIdSet.fromPackedBytes(item.get(LiveTables.WINDOW_PACKED_EVENT_IDS).b().asByteArray()))
                .isEqualTo(EventIdSet.of(EventIdHash.of("e1"), EventIdHash.of("e2"), EventIdHash.of("e3")));

        // A redelivery of everything is recognised from the packed form.
        WindowWrite.Result again = writers.store().applyWindows(
                List.of(new WindowWrite.Delivery(KEY, List.of(event("e1", 1), event("e2", 2), event("e3", 3))))).get(0);
        assertThat(again.applied()).containsExactly(false, false, false);
        assertThat(window(writers.windowTable()).get(LiveTables.WINDOW_VERSION).n()).isEqualTo("5");
    }

    @Test
    void aBusyWindowKeepsItsItemWithinOneWriteUnitByMovingFingerprintsToPagesAndStillCountsEachEventOnce() {
        Writers writers = writers((other, body) -> false);
        for (int batch = 0; batch < 60; batch++) {
            WindowWrite.Result result = writers.store().applyWindows(List.of(delivery(events("b" + batch + "-", 10)))).get(0);
            assertThat(result.status()).isEqualTo(WindowWrite.Status.WRITTEN);
            assertThat(DynamoDbItemSize.of(window(writers.windowTable()))).as("window item after batch %d", batch).isLessThanOrEqualTo(1024);
        }
        Map<String, AttributeValue> item = window(writers.windowTable());
        assertThat(item.get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo("600");
        assertThat(LiveItems.stored(item).pages()).hasSizeGreaterThan(3);
        assertThat(pageItems(writers.windowTable())).hasSize(LiveItems.stored(item).pages().length);

        // A store that has never seen the window (a cold Lambda) reads the pages and recognises every event.
        List<TelemetryEvent> all = new ArrayList<>();
        for (int batch = 0; batch < 60; batch++) {
            all.addAll(events("b" + batch + "-", 10));
        }
        all.add(event("late", 7));
        WindowWrite.Result again = fresh(writers.windowTable()).applyWindows(List.of(delivery(all))).get(0);
        assertThat(again.status()).isEqualTo(WindowWrite.Status.WRITTEN);
        assertThat(count(again.applied())).isEqualTo(1);
        assertThat(again.applied()[600]).isTrue();
        assertThat(window(writers.windowTable()).get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo("601");

        // Readers see windows only: the pages sort outside every range of window starts.
        String prefix = writers.windowTable().substring(0, writers.windowTable().length() - "windows".length());
        List<LiveStateReader.WindowSummary> read = new LiveStateReader(dynamoDb, prefix + "state", writers.windowTable(), prefix + "alerts")
                .windows(KEY.deviceId(), WINDOW.minusSeconds(3600), WINDOW.plusSeconds(3600));
        assertThat(read).extracting(LiveStateReader.WindowSummary::count).containsExactly(601L);
    }

    @Test
    void aPageWrittenForAPutThatLostTheRaceIsNeverCountedAndTheRetryCountsEachEventOnce() {
        AtomicInteger races = new AtomicInteger(1);
        // The other writer commits right after this store wrote its page and before its window put goes out.
        Writers writers = writers((other, body) -> {
            if (!body.contains(LiveTables.PAGE_KEY_PREFIX) && body.contains(LiveTables.WINDOW_PAGES) && races.getAndDecrement() > 0) {
                other.applyWindows(List.of(delivery(List.of(event("mine-0", 1), event("theirs", 2)))));
            }
            return false;
        });
        // Enough inline fingerprints that the next write moves them to a page.
        writers.other().applyWindows(List.of(delivery(events("before-", 100))));
        assertThat(LiveItems.stored(window(writers.windowTable())).pages()).isEmpty();

        WindowWrite.Result result = writers.store().applyWindows(List.of(delivery(events("mine-", 30)))).get(0);

        assertThat(races.get()).as("the race happened").isNegative();
        assertThat(result.status()).isEqualTo(WindowWrite.Status.WRITTEN);
        assertThat(result.applied()[0]).as("mine-0, which the other writer counted first").isFalse();
        assertThat(count(result.applied())).isEqualTo(29);
        Map<String, AttributeValue> item = window(writers.windowTable());
        assertThat(item.get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo(String.valueOf(100 + 2 + 29));
        Set<String> listed = new HashSet<>();
        for (long digest : LiveItems.stored(item).pages()) {
            listed.add(LiveTables.pageKey(WINDOW, digest));
        }
        List<String> stored = pageItems(writers.windowTable()).stream().map(page -> page.get(LiveTables.WINDOW_START).s()).toList();
        assertThat(stored).as("the losing put's page is still there, listed by no window").hasSizeGreaterThan(listed.size());
        assertThat(stored).containsAll(listed);

        // A cold store reads only the pages the window lists and finds every event counted once.
        List<TelemetryEvent> all = new ArrayList<>(events("before-", 100));
        all.addAll(events("mine-", 30));
        all.add(event("theirs", 2));
        WindowWrite.Result again = fresh(writers.windowTable()).applyWindows(List.of(delivery(all))).get(0);
        assertThat(count(again.applied())).isZero();
    }

    @Test
    void aCrashBetweenThePageAndTheWindowPutLeavesAPageThatCountsForNothingAndTheRetryCountsEachEventOnce() {
        AtomicBoolean crashing = new AtomicBoolean(true);
        // Every window put that would commit a page fails (the page itself is written): as if the Lambda stopped in between.
        Writers writers = writers((other, body) -> crashing.get() && !body.contains(LiveTables.PAGE_KEY_PREFIX)
                && body.contains(LiveTables.WINDOW_PAGES), NOT_RETRIED);
        writers.other().applyWindows(List.of(delivery(events("before-", 100))));

        WindowWrite.Result crashed = writers.store().applyWindows(List.of(delivery(events("lost-", 30)))).get(0);

        assertThat(crashed.status()).isEqualTo(WindowWrite.Status.FAILED);
        Map<String, AttributeValue> item = window(writers.windowTable());
        assertThat(item.get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo("100");
        assertThat(LiveItems.stored(item).pages()).isEmpty();
        assertThat(pageItems(writers.windowTable())).as("written, listed by no window").hasSize(1);

        // The page holds lost-0..29, yet they are new to the window: a cold store and the retry both count them.
        WindowWrite.Result check = fresh(writers.windowTable()).applyWindows(List.of(delivery(List.of(event("lost-0", 0))))).get(0);
        assertThat(check.applied()).containsExactly(true);
        crashing.set(false);
        WindowWrite.Result retried = writers.store().applyWindows(List.of(delivery(events("lost-", 30)))).get(0);
        assertThat(retried.status()).isEqualTo(WindowWrite.Status.WRITTEN);
        assertThat(count(retried.applied())).isEqualTo(29);
        assertThat(window(writers.windowTable()).get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo("130");
        WindowWrite.Result again = fresh(writers.windowTable()).applyWindows(List.of(delivery(events("lost-", 30)))).get(0);
        assertThat(count(again.applied())).isZero();
    }

    @Test
    void concurrentWritersOnOneWindowCountEveryEventExactlyOnce() throws Exception {
        Writers writers = writers((other, body) -> false);
        DynamoDbLiveStateStore second = fresh(writers.windowTable());
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int batch = 0; batch < 40; batch++) {
            // Every batch overlaps the one before it, and each is sent by both writers.
            List<TelemetryEvent> events = new ArrayList<>(events("c" + batch + "-", 8));
            if (batch > 0) {
                events.addAll(events("c" + (batch - 1) + "-", 3));
            }
            for (DynamoDbLiveStateStore store : List.of(writers.store(), second)) {
                tasks.add(() -> untilWritten(store, events));
            }
        }
        ExecutorService callers = Executors.newFixedThreadPool(4);
        int applied = 0;
        try {
            for (Future<Integer> f : callers.invokeAll(tasks)) {
                applied += f.get();
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(applied).as("events newly counted over all writes").isEqualTo(320);
        Map<String, AttributeValue> item = window(writers.windowTable());
        assertThat(item.get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo("320");
        assertThat(LiveItems.stored(item).pages()).isNotEmpty();
    }

    @Test
    void aWindowWhosePageIsMissingTakesNoEventsAndIsReportedFailed() {
        Writers writers = writers((other, body) -> false);
        writers.store().applyWindows(List.of(delivery(events("a-", 100))));
        writers.store().applyWindows(List.of(delivery(events("b-", 30))));
        Map<String, AttributeValue> before = window(writers.windowTable());
        long[] pages = LiveItems.stored(before).pages();
        assertThat(pages).hasSize(1);
        dynamoDb.deleteItem(b -> b.tableName(writers.windowTable()).key(LiveItems.pageItemKey(KEY, pages[0])));

        WindowWrite.Result result = fresh(writers.windowTable()).applyWindows(List.of(delivery(List.of(event("a-0", 1), event("new", 2))))).get(0);

        assertThat(result.status()).isEqualTo(WindowWrite.Status.FAILED);
        assertThat(result.detail()).contains("fingerprint page", LiveTables.pageKey(WINDOW, pages[0]));
        assertThat(window(writers.windowTable())).isEqualTo(before);
    }

    @Test
    void aWindowItemWithAllItsFingerprintsInlineIsMigratedToPagesOnItsNextWrite() {
        Writers writers = writers((other, body) -> false);
        // As the store wrote a busy window before pages: 600 fingerprints packed in the item, over 4 KB.
        WindowState before = WindowState.EMPTY.apply(events("old-", 600)).state();
        Map<String, AttributeValue> old = new LiveItems(WINDOWS, Duration.ofDays(35))
                .window(KEY, before.aggregate(), before.eventIds(), new long[0], 60);
        dynamoDb.putItem(b -> b.tableName(writers.windowTable()).item(old));
        assertThat(DynamoDbItemSize.writeUnits(old)).isGreaterThan(4);

        List<TelemetryEvent> delivery = new ArrayList<>(events("old-", 3));
        delivery.add(event("new", 5));
        WindowWrite.Result result = fresh(writers.windowTable()).applyWindows(List.of(delivery(delivery))).get(0);

        assertThat(result.applied()).containsExactly(false, false, false, true);
        Map<String, AttributeValue> item = window(writers.windowTable());
        assertThat(item.get(LiveTables.WINDOW_EVENT_COUNT).n()).isEqualTo("601");
        assertThat(item.get(LiveTables.WINDOW_VERSION).n()).isEqualTo("61");
        assertThat(DynamoDbItemSize.writeUnits(item)).isEqualTo(1);
        assertThat(LiveItems.stored(item).pages()).hasSize(1);
        WindowWrite.Result again = fresh(writers.windowTable()).applyWindows(List.of(delivery(events("old-", 600)))).get(0);
        assertThat(count(again.applied())).isZero();
    }

    /** Retries a delivery as the event source mapping would until it is written; how many events it newly counted. */
    private static int untilWritten(DynamoDbLiveStateStore store, List<TelemetryEvent> events) {
        for (int attempt = 0; attempt < 50; attempt++) {
            WindowWrite.Result result = store.applyWindows(List.of(delivery(events))).get(0);
            if (result.status() == WindowWrite.Status.WRITTEN) {
                return count(result.applied());
            }
        }
        throw new AssertionError("never written");
    }

    /** A store of its own on the same tables, whose page cache is empty. */
    private static DynamoDbLiveStateStore fresh(String windowTable) {
        String prefix = windowTable.substring(0, windowTable.length() - "windows".length());
        return new DynamoDbLiveStateStore(dynamoDb, prefix + "state", windowTable, prefix + "alerts", WINDOWS, Duration.ofDays(35), io);
    }

    private static List<Map<String, AttributeValue>> pageItems(String table) {
        List<Map<String, AttributeValue>> pages = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
            if (LiveTables.isPage(item)) {
                pages.add(item);
            }
        });
        return pages;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean flag : flags) {
            if (flag) {
                n++;
            }
        }
        return n;
    }

    private static WindowWrite.Delivery delivery(List<TelemetryEvent> events) {
        return new WindowWrite.Delivery(KEY, events);
    }

    private static List<TelemetryEvent> events(String prefix, int n) {
        List<TelemetryEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(event(prefix + i, i));
        }
        return events;
    }

    private static Map<String, AttributeValue> window(String table) {
        return dynamoDb.getItem(b -> b.tableName(table).key(LiveItems.windowItemKey(KEY)).consistentRead(true)).item();
    }

    private static TelemetryEvent event(String eventId, double temperature) {
        return TelemetryEvent.of(eventId, KEY.deviceId(), WINDOW.plusSeconds(1), Map.of("temperature", temperature));
    }
}
