package io.twinflow.functions.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.functions.live.WindowKey;
import io.twinflow.functions.quarantine.QuarantinedRecord;
import io.twinflow.functions.testing.Batches;
import io.twinflow.functions.testing.InMemoryLiveStateStore;
import io.twinflow.functions.testing.InMemoryLiveStateStore.Item;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every branch of the stream processor, on the in-memory store: what the store answers is set per
 * device, so each test sees exactly one kind of trouble and what the processor makes of it.
 */
class StreamProcessorTest {

    private static final Instant ARRIVAL = Instant.parse("2026-11-24T10:30:00Z");
    private static final Instant WINDOW = Instant.parse("2026-11-24T10:10:00Z");
    private static final LongSupplier PLENTY_OF_TIME = () -> Long.MAX_VALUE;
    private static final EventDecoder DECODER = new EventDecoder();

    private final List<QuarantinedRecord> quarantined = new ArrayList<>();
    private final Set<String> quarantineRefuses = new HashSet<>();

    private StreamProcessor processor(InMemoryLiveStateStore store) {
        return new StreamProcessor(DECODER, Windows.ofMinutes(1), AlertRules.defaults(), store, records -> {
            Set<String> notStored = new HashSet<>();
            for (QuarantinedRecord record : records) {
                if (quarantineRefuses.contains(record.sequenceNumber())) {
                    notStored.add(record.sequenceNumber());
                } else {
                    quarantined.add(record);
                }
            }
            return notStored;
        });
    }

    @Test
    void aBatchWithEveryWriteDoneIsAppliedOnceAndReportsNothing() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore();
        List<StreamRecord> batch = List.of(record(1, event("a1", "dev-a", 0, 20)), record(2, event("a2", "dev-a", 10, 21)),
                record(3, event("b1", "dev-b", 0, 22)), record(4, "not json"));

        BatchOutcome outcome = processor(store).process(batch, PLENTY_OF_TIME);

        assertThat(outcome.retrySequenceNumbers()).isEmpty();
        assertThat(outcome.summary()).isEqualTo(BatchSummary.builder().records(4).applied(3).quarantined(1)
                .quarantinedByReason(new TreeMap<>(Map.of("INVALID_JSON", 1))).windows(2)
                .shardId("shardId-0").durationMs(outcome.summary().durationMs()).build());
        assertThat(store.eventCount()).isEqualTo(3);
        assertThat(store.latest("dev-a").eventId()).isEqualTo("a2");
        assertThat(quarantined).extracting(QuarantinedRecord::sequenceNumber).containsExactly(seq(4));
    }

    @Test
    void theLatestStateIsTheNewestEventOfTheDeviceAcrossItsWindowsWhateverTheDeliveryOrder() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore();
        // Two windows of dev-a, each out of order; c1 and c2 share a time, so the larger eventId wins.
        List<StreamRecord> batch = List.of(record(1, event("a3", "dev-a", 30, 20)), record(2, event("c2", "dev-a", 70, 21)),
                record(3, event("a1", "dev-a", 50, 22)), record(4, event("c1", "dev-a", 70, 23)), record(5, event("b1", "dev-a", 65, 24)));

        processor(store).process(batch, PLENTY_OF_TIME);

        assertThat(store.latest("dev-a").eventId()).isEqualTo("c2");
        processor(store).process(List.of(record(6, event("z9", "dev-a", 69, 25)), record(7, event("a0", "dev-a", 71, 26))), PLENTY_OF_TIME);
        assertThat(store.latest("dev-a").eventId()).isEqualTo("a0");
    }

    @Test
    void withTooLittleTimeLeftNoWriteStartsAndEveryRecordIsReportedUnfinished() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore();
        List<StreamRecord> batch = List.of(record(1, event("a1", "dev-a", 0, 20)), record(2, "not json"),
                record(3, event("b1", "dev-b", 0, 22)));

        BatchOutcome outcome = processor(store).process(batch, () -> StreamProcessor.SAFETY_MARGIN_MILLIS - 1);

        assertThat(store.windowWrites()).isZero();
        assertThat(quarantined).isEmpty();
        assertThat(outcome.retrySequenceNumbers()).containsExactly(seq(1), seq(2), seq(3));
        assertThat(outcome.summary().failed()).isEqualTo(3);
        assertThat(outcome.summary().reportedForRetry()).isEqualTo(3);
        assertThat(outcome.summary().retryFromSequenceNumber()).isEqualTo(seq(1));
    }

    @Test
    void whenTimeRunsOutAfterTheWindowsTheAppliedRecordsAreReportedForTheirStateAndTheRestFail() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore();
        List<StreamRecord> batch = List.of(record(1, "not json"), record(2, event("a1", "dev-a", 0, 20)));
        Deque<Long> remaining = new ArrayDeque<>(List.of(60_000L, StreamProcessor.SAFETY_MARGIN_MILLIS - 1));

        BatchOutcome outcome = processor(store).process(batch, remaining::pop);

        // The window holds the event (a redelivery finds it a duplicate), but its state was never written.
        assertThat(store.eventCount()).isEqualTo(1);
        assertThat(store.latest("dev-a")).isNull();
        assertThat(quarantined).isEmpty();
        BatchSummary summary = outcome.summary();
        assertThat(summary.applied()).isEqualTo(1);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.quarantined()).isZero();
        assertThat(outcome.retrySequenceNumbers()).containsExactly(seq(1), seq(2));
        assertThat(summary.reportedForRetry()).isEqualTo(2);
    }

    @Test
    void aWindowTheStoreRefusesForGoodIsQuarantinedAsStoreRejectedAndNotRetried() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore().refuse(Item.WINDOW, "poison", "ValidationException: Item size has exceeded");
        List<StreamRecord> batch = List.of(record(1, event("p1", "poison", 0, 1)), record(2, event("p2", "poison", 5, 2)),
                record(3, event("f1", "fine", 0, 3)));

        BatchOutcome outcome = processor(store).process(batch, PLENTY_OF_TIME);

        assertThat(outcome.retrySequenceNumbers()).isEmpty();
        assertThat(outcome.summary().quarantinedByReason()).containsExactlyEntriesOf(Map.of("STORE_REJECTED", 2));
        assertThat(outcome.summary().applied()).isEqualTo(1);
        assertThat(quarantined).extracting(QuarantinedRecord::sequenceNumber).containsExactlyInAnyOrder(seq(1), seq(2));
        assertThat(quarantined).allSatisfy(q -> assertThat(q.detail()).isEqualTo("ValidationException: Item size has exceeded"));
        assertThat(store.latest("poison")).isNull();
        assertThat(store.latest("fine").eventId()).isEqualTo("f1");
    }

    @Test
    void aLatestStateTheStoreRefusesQuarantinesOnlyTheRecordItWasBuiltFrom() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore().refuse(Item.STATE, "odd", "ValidationException: Number overflow");
        List<StreamRecord> batch = List.of(record(1, event("o2", "odd", 30, 2)), record(2, event("o1", "odd", 0, 1)));

        BatchOutcome outcome = processor(store).process(batch, PLENTY_OF_TIME);

        // Both are counted in their window; the newer event (o2, record 1) is the state item's.
        assertThat(store.eventCount()).isEqualTo(2);
        assertThat(outcome.summary().applied()).isEqualTo(1);
        assertThat(outcome.summary().quarantinedByReason()).containsExactlyEntriesOf(Map.of("STORE_REJECTED", 1));
        assertThat(quarantined).extracting(QuarantinedRecord::sequenceNumber).containsExactly(seq(1));
        assertThat(outcome.retrySequenceNumbers()).isEmpty();
    }

    @Test
    void anAlertTheStoreRefusesQuarantinesEveryRecordOfItsWindowInTheBatch() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore().refuse(Item.ALERT, "hot", "ValidationException: bad alert");
        List<StreamRecord> batch = List.of(record(1, event("h1", "hot", 0, 60)), record(2, event("h2", "hot", 10, 20)),
                record(3, event("h3", "hot", 70, 20)), record(4, event("k1", "cool-but-hot", 0, 70)));

        BatchOutcome outcome = processor(store).process(batch, PLENTY_OF_TIME);

        assertThat(quarantined).extracting(QuarantinedRecord::sequenceNumber).containsExactlyInAnyOrder(seq(1), seq(2));
        assertThat(outcome.summary().applied()).isEqualTo(2);
        assertThat(outcome.retrySequenceNumbers()).isEmpty();
        assertThat(store.alerts()).extracting(a -> a.deviceId()).containsExactly("cool-but-hot");
    }

    @Test
    void aTransientWindowFailureReportsThatDevicesRecordsAndTheRedeliveryAppliesNothingTwice() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore().fail(Item.WINDOW, "slow", 1);
        StreamProcessor processor = processor(store);
        List<StreamRecord> batch = List.of(record(1, event("f1", "fine", 0, 1)), record(2, event("s1", "slow", 0, 2)),
                record(3, event("f2", "fine", 5, 3)), record(4, event("s2", "slow", 5, 4)));

        BatchOutcome first = processor.process(batch, PLENTY_OF_TIME);

        assertThat(first.retrySequenceNumbers()).containsExactly(seq(2), seq(4));
        assertThat(first.summary().applied()).isEqualTo(2);
        assertThat(first.summary().failed()).isEqualTo(2);
        assertThat(store.latest("slow")).isNull();

        // Lambda resumes from the lowest reported record: record 3 comes again and is a duplicate.
        BatchOutcome again = processor.process(batch.subList(1, 4), PLENTY_OF_TIME);

        assertThat(again.retrySequenceNumbers()).isEmpty();
        assertThat(again.summary().applied()).isEqualTo(2);
        assertThat(again.summary().duplicates()).isEqualTo(1);
        assertThat(store.eventCount()).isEqualTo(4);
        assertThat(store.latest("slow").eventId()).isEqualTo("s2");
    }

    @Test
    void eventsAnotherWriterCountedBetweenReadAndWriteAreDuplicatesAndCountedOnce() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore();
        List<StreamRecord> batch = List.of(record(1, event("e1", "dev", 0, 1)), record(2, event("e2", "dev", 5, 2)),
                record(3, event("e3", "dev", 10, 3)));
        // Another invocation (resharding) delivers e2 to the same window while this one is writing.
        store.concurrentWrite(new WindowKey("dev", WINDOW), List.of(decoded(batch.get(1))));

        BatchOutcome outcome = processor(store).process(batch, PLENTY_OF_TIME);

        assertThat(outcome.retrySequenceNumbers()).isEmpty();
        assertThat(outcome.summary().applied()).isEqualTo(2);
        assertThat(outcome.summary().duplicates()).isEqualTo(1);
        assertThat(store.window(new WindowKey("dev", WINDOW)).aggregate().eventCount()).isEqualTo(3);
        assertThat(store.window(new WindowKey("dev", WINDOW)).aggregate().metrics().get("temperature").sum()).isEqualTo(6.0);
    }

    @Test
    void newEventsBeyondAFullWindowAreQuarantinedAsWindowFull() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore(2);
        List<StreamRecord> batch = List.of(record(1, event("e1", "dev", 0, 1)), record(2, event("e2", "dev", 5, 2)),
                record(3, event("e3", "dev", 10, 3)), record(4, event("e1", "dev", 0, 1)));

        BatchOutcome outcome = processor(store).process(batch, PLENTY_OF_TIME);

        assertThat(outcome.summary().applied()).isEqualTo(2);
        assertThat(outcome.summary().duplicates()).isEqualTo(1);
        assertThat(outcome.summary().quarantinedByReason()).containsExactlyEntriesOf(Map.of("WINDOW_FULL", 1));
        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q.sequenceNumber()).isEqualTo(seq(3));
            assertThat(q.detail()).isNotBlank();
        });
    }

    @Test
    void aTransientStateOrAlertFailureReportsTheDevicesAppliedRecordsWithoutFailingThem() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore().fail(Item.STATE, "flaky-state", 1).fail(Item.ALERT, "flaky-alert", 1);
        List<StreamRecord> batch = List.of(record(1, event("s1", "flaky-state", 0, 1)), record(2, event("a1", "flaky-alert", 0, 99)),
                record(3, event("f1", "fine", 0, 1)));

        BatchOutcome outcome = processor(store).process(batch, PLENTY_OF_TIME);

        assertThat(outcome.retrySequenceNumbers()).containsExactly(seq(1), seq(2));
        assertThat(outcome.summary().applied()).isEqualTo(3);
        assertThat(outcome.summary().failed()).isZero();
        assertThat(outcome.summary().reportedForRetry()).isEqualTo(2);
        assertThat(quarantined).isEmpty();
    }

    @Test
    void aRecordTheQuarantineCannotStoreFailsAndIsReported() {
        quarantineRefuses.add(seq(2));
        List<StreamRecord> batch = List.of(record(1, "not json"), record(2, "not json either"));

        BatchOutcome outcome = processor(new InMemoryLiveStateStore()).process(batch, PLENTY_OF_TIME);

        assertThat(outcome.summary().quarantined()).isEqualTo(1);
        assertThat(outcome.summary().failed()).isEqualTo(1);
        assertThat(outcome.retrySequenceNumbers()).containsExactly(seq(2));
    }

    @Test
    void anAlertIsRaisedFromTheWholeWindowSoARedeliveryWritesOneWhoseFirstWriteFailed() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore().fail(Item.ALERT, "hot", 1);
        StreamProcessor processor = processor(store);
        List<StreamRecord> batch = List.of(record(1, event("h1", "hot", 0, 61)));

        assertThat(processor.process(batch, PLENTY_OF_TIME).retrySequenceNumbers()).containsExactly(seq(1));
        assertThat(store.alerts()).isEmpty();

        BatchOutcome again = processor.process(batch, PLENTY_OF_TIME);

        assertThat(again.summary().duplicates()).isEqualTo(1);
        assertThat(again.retrySequenceNumbers()).isEmpty();
        assertThat(store.alerts()).singleElement().satisfies(a -> assertThat(a.peak()).isEqualTo(61.0));
    }

    @Test
    void anEmptyBatchAsksNothingOfTheStoreAndSummarisesAnEmptyBatch() {
        InMemoryLiveStateStore store = new InMemoryLiveStateStore();

        BatchOutcome outcome = processor(store).process(List.of(), () -> 0);

        assertThat(store.windowWrites()).isZero();
        assertThat(outcome.retrySequenceNumbers()).isEmpty();
        assertThat(outcome.summary()).isEqualTo(BatchSummary.builder().durationMs(outcome.summary().durationMs()).build());
    }

    private static String seq(int n) {
        return Batches.sequenceNumber(n);
    }

    private static StreamRecord record(int n, String data) {
        return new StreamRecord("shardId-0", seq(n), "key", ARRIVAL, data.getBytes(StandardCharsets.UTF_8));
    }

    private static TelemetryEvent decoded(StreamRecord record) {
        return ((DecodeResult.Valid) DECODER.decode(record.data(), record.arrivalTime())).event();
    }

    private static String event(String eventId, String deviceId, int secondsIntoWindow, double temperature) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + eventId + "\",\"deviceId\":\"" + deviceId + "\",\"ts\":\""
                + WINDOW.plusSeconds(secondsIntoWindow) + "\",\"metrics\":{\"temperature\":" + temperature + ",\"battery\":0.9}}";
    }
}
