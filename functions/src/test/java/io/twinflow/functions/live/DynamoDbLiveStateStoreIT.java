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
import io.twinflow.live.LiveTables;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
        String prefix = "conflict" + TABLES.incrementAndGet() + "-";
        String windowTable = prefix + "windows";
        LiveTables.createAll(dynamoDb, prefix + "state", windowTable, prefix + "alerts");
        DynamoDbLiveStateStore other = new DynamoDbLiveStateStore(dynamoDb, prefix + "state", windowTable, prefix + "alerts",
                WINDOWS, Duration.ofDays(35), io);
        // The other writer's put runs inside this client's request, before the request goes out: a put
        // never answered with a fault, so the emulator judges the condition against the other's item.
        FaultInjectingHttpClient http = new FaultInjectingHttpClient(UrlConnectionHttpClient.builder().build(),
                (operation, body) -> operation.equals("PutItem") && body.contains(windowTable) && interleave.test(other, body),
                FaultInjectingHttpClient.Fault.throttling());
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
        Map<String, AttributeValue> old = new HashMap<>(new LiveItems(WINDOWS, Duration.ofDays(35)).window(KEY, before, 4));
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

    private static Map<String, AttributeValue> window(String table) {
        return dynamoDb.getItem(b -> b.tableName(table).key(LiveItems.windowItemKey(KEY)).consistentRead(true)).item();
    }

    private static TelemetryEvent event(String eventId, double temperature) {
        return TelemetryEvent.of(eventId, KEY.deviceId(), WINDOW.plusSeconds(1), Map.of("temperature", temperature));
    }
}
