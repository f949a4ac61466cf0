package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KinesisEventSourceMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private final InMemoryStream stream = new InMemoryStream("shardId-000000000000", "shardId-000000000001");
    private final List<String> destination = new CopyOnWriteArrayList<>();
    private final List<List<String>> invocations = new CopyOnWriteArrayList<>();
    private KinesisEventSourceMapping mapping;

    @AfterEach
    void stop() {
        if (mapping != null) {
            mapping.close();
        }
    }

    private static PipelineSpec.StreamMapping settings(int batchSize, Duration window, boolean bisect, boolean reportFailures,
                                                       int maxRetries, Duration maxAge) {
        return PipelineSpec.StreamMapping.builder().batchSize(batchSize).maxBatchingWindow(window).bisectOnError(bisect)
                .reportBatchItemFailures(reportFailures).maxRetries(maxRetries).maxRecordAge(maxAge).build();
    }

    /** A handler that records what it got and answers with {@code behaviour(payloads, event)}. */
    private RequestHandler<KinesisEvent, StreamsEventResponse> handler(
            BiFunction<List<String>, KinesisEvent, StreamsEventResponse> behaviour) {
        return (KinesisEvent event, Context context) -> {
            List<String> payloads = payloads(event);
            invocations.add(payloads);
            return behaviour.apply(payloads, event);
        };
    }

    private static List<String> payloads(KinesisEvent event) {
        List<String> out = new ArrayList<>();
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            out.add(StandardCharsets.UTF_8.decode(r.getKinesis().getData()).toString());
        }
        return out;
    }

    private void start(RequestHandler<KinesisEvent, StreamsEventResponse> handler, PipelineSpec.StreamMapping settings) {
        KinesisEventSourceMapping.Options options = KinesisEventSourceMapping.Options
                .local("eu-west-1", "000000000000", "stream-processor", "telemetry")
                .withPacing(Duration.ofMillis(10), Duration.ZERO, Duration.ofMillis(10));
        mapping = new KinesisEventSourceMapping(stream, handler, settings, destination::add, options,
                Clock.systemUTC(), QUIET);
        mapping.start();
    }

    private void awaitSettled(long records) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            KinesisEventSourceMapping.Stats s = mapping.stats();
            if (s.recordsRead() >= records && s.inFlight() == 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not settled: " + mapping.stats());
    }

    /** Puts the records in one step, as one PutRecords call: a poll sees all of them or none. */
    private List<StreamRecord> put(String shard, int count, String prefix) {
        List<StreamRecord> out = new ArrayList<>();
        synchronized (stream) {
            for (int i = 0; i < count; i++) {
                out.add(stream.put(shard, prefix + i, Instant.now()));
            }
        }
        return out;
    }

    private static StreamsEventResponse failAt(KinesisEvent event, int index) {
        String seq = event.getRecords().get(index).getKinesis().getSequenceNumber();
        return StreamsEventResponse.builder()
                .withBatchItemFailures(List.of(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build()))
                .build();
    }

    @Test
    void deliversBatchesOfAtMostBatchSizeInShardOrderWithLambdaEventFields() throws Exception {
        List<StreamRecord> sent = put("shardId-000000000000", 7, "r");
        List<KinesisEvent> events = new CopyOnWriteArrayList<>();
        start((event, ctx) -> {
            events.add(event);
            invocations.add(payloads(event));
            return null;
        }, settings(3, Duration.ZERO, true, true, 2, Duration.ofHours(1)));
        awaitSettled(7);

        assertThat(invocations).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(3));
        assertThat(invocations.stream().flatMap(List::stream).toList()).containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6");
        KinesisEvent.KinesisEventRecord first = events.get(0).getRecords().get(0);
        assertThat(first.getEventID()).isEqualTo("shardId-000000000000:" + sent.get(0).sequenceNumber());
        assertThat(first.getEventSource()).isEqualTo("aws:kinesis");
        assertThat(first.getEventName()).isEqualTo("aws:kinesis:record");
        assertThat(first.getEventSourceARN()).isEqualTo("arn:aws:kinesis:eu-west-1:000000000000:stream/telemetry");
        assertThat(first.getAwsRegion()).isEqualTo("eu-west-1");
        assertThat(first.getKinesis().getPartitionKey()).isEqualTo("pk-r0");
        assertThat(first.getKinesis().getApproximateArrivalTimestamp().toInstant())
                .isEqualTo(sent.get(0).approximateArrival().truncatedTo(ChronoUnit.MILLIS));
        assertThat(mapping.checkpoints()).containsEntry("shardId-000000000000", sent.get(6).sequenceNumber());
        assertThat(destination).isEmpty();
    }

    @Test
    void listenersSeeEachBatchCutWithWhenItsRecordsWereReadBeforeItIsInvoked() throws Exception {
        List<StreamRecord> sent = put("shardId-000000000000", 7, "r");
        List<BatchCut> cuts = new CopyOnWriteArrayList<>();
        List<Integer> cutsSeenByInvocation = new CopyOnWriteArrayList<>();
        mapping = new KinesisEventSourceMapping(stream, (event, ctx) -> {
            cutsSeenByInvocation.add(cuts.size());
            return null;
        }, settings(3, Duration.ZERO, true, true, 2, Duration.ofHours(1)), destination::add,
                KinesisEventSourceMapping.Options.local("eu-west-1", "000000000000", "stream-processor", "telemetry")
                        .withPacing(Duration.ofMillis(10), Duration.ZERO, Duration.ofMillis(10)),
                Clock.systemUTC(), QUIET);
        mapping.addListener(new KinesisEventSourceMapping.Listener() {
            @Override
            public void batchCut(BatchCut cut) {
                cuts.add(cut);
            }
        });
        mapping.start();
        awaitSettled(7);

        assertThat(cuts.stream().flatMap(c -> c.records().stream()).map(StreamRecord::sequenceNumber).toList())
                .isEqualTo(sent.stream().map(StreamRecord::sequenceNumber).toList());
        assertThat(cuts).extracting(c -> c.records().size()).containsExactly(3, 3, 1);
        assertThat(cutsSeenByInvocation).containsExactly(1, 2, 3);
        for (BatchCut cut : cuts) {
            assertThat(cut.shardId()).isEqualTo("shardId-000000000000");
            for (int i = 0; i < cut.records().size(); i++) {
                assertThat(cut.readAt().get(i)).isAfterOrEqualTo(cut.records().get(i).approximateArrival())
                        .isBeforeOrEqualTo(cut.cutAt());
            }
        }
    }

    @Test
    void batchingWindowGathersRecordsThatArriveWhileItIsOpen() throws Exception {
        start(handler((p, e) -> null), settings(100, Duration.ofMillis(600), true, true, 2, Duration.ofHours(1)));
        put("shardId-000000000000", 1, "early");
        Thread.sleep(150);
        put("shardId-000000000000", 2, "late");
        awaitSettled(3);

        assertThat(invocations).containsExactly(List.of("early0", "late0", "late1"));
    }

    @Test
    void withoutBatchingWindowTheFirstRecordIsDeliveredAtOnce() throws Exception {
        start(handler((p, e) -> null), settings(100, Duration.ZERO, true, true, 2, Duration.ofHours(1)));
        put("shardId-000000000000", 1, "early");
        awaitSettled(1);
        put("shardId-000000000000", 2, "late");
        awaitSettled(3);

        assertThat(invocations).containsExactly(List.of("early0"), List.of("late0", "late1"));
    }

    @Test
    void partialFailureRedeliversFromTheLowestReportedRecordOnwards() throws Exception {
        put("shardId-000000000000", 6, "r");
        Map<String, Integer> seen = Collections.synchronizedMap(new HashMap<>());
        start(handler((payloads, event) -> {
            payloads.forEach(p -> seen.merge(p, 1, Integer::sum));
            if (seen.get("r3") == 1 && payloads.contains("r3")) {
                // Report r4 and r2: the lowest (r2) is the retry point, r4 is irrelevant.
                List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
                failures.addAll(failAt(event, payloads.indexOf("r4")).getBatchItemFailures());
                failures.addAll(failAt(event, payloads.indexOf("r2")).getBatchItemFailures());
                return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
            }
            return null;
        }), settings(10, Duration.ZERO, false, true, 3, Duration.ofHours(1)));
        awaitSettled(6);

        assertThat(invocations).containsExactly(List.of("r0", "r1", "r2", "r3", "r4", "r5"), List.of("r2", "r3", "r4", "r5"));
        assertThat(mapping.stats().partialFailures()).isEqualTo(1);
        assertThat(mapping.stats().recordsSucceeded()).isEqualTo(6);
    }

    @Test
    void unknownItemIdentifierFailsTheWholeBatch() throws Exception {
        put("shardId-000000000000", 3, "r");
        start(handler((payloads, event) -> invocations.size() == 1
                ? StreamsEventResponse.builder().withBatchItemFailures(List.of(
                        StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier("").build())).build()
                : null), settings(10, Duration.ZERO, false, true, 3, Duration.ofHours(1)));
        awaitSettled(3);

        assertThat(invocations).containsExactly(List.of("r0", "r1", "r2"), List.of("r0", "r1", "r2"));
    }

    @Test
    void reportedFailuresAreIgnoredWhenTheMappingDoesNotAskForThem() throws Exception {
        put("shardId-000000000000", 3, "r");
        start(handler((payloads, event) -> failAt(event, 0)), settings(10, Duration.ZERO, false, false, 3, Duration.ofHours(1)));
        awaitSettled(3);

        assertThat(invocations).hasSize(1);
        assertThat(mapping.stats().recordsSucceeded()).isEqualTo(3);
    }

    @Test
    void bisectIsolatesAPoisonRecordThenRetriesItUntilTheQuotaAndReportsItToTheDestination() throws Exception {
        List<StreamRecord> sent = put("shardId-000000000000", 8, "r");
        start(handler((payloads, event) -> {
            if (payloads.contains("r5")) {
                throw new IllegalStateException("poison");
            }
            return null;
        }), settings(10, Duration.ZERO, true, true, 2, Duration.ofHours(1)));
        awaitSettled(8);

        assertThat(invocations).containsExactly(
                List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"),
                List.of("r0", "r1", "r2", "r3"),
                List.of("r4", "r5", "r6", "r7"),
                List.of("r4", "r5"),
                List.of("r4"),
                List.of("r5"), List.of("r5"), List.of("r5"), // first try plus the two retries
                List.of("r6", "r7"));
        assertThat(destination).hasSize(1);
        JsonNode record = JSON.readTree(destination.get(0));
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(6);
        assertThat(record.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.at("/KinesisBatchInfo/shardId").asText()).isEqualTo("shardId-000000000000");
        assertThat(record.at("/KinesisBatchInfo/startSequenceNumber").asText()).isEqualTo(sent.get(5).sequenceNumber());
        assertThat(record.at("/KinesisBatchInfo/endSequenceNumber").asText()).isEqualTo(sent.get(5).sequenceNumber());
        assertThat(record.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(record.at("/KinesisBatchInfo/streamArn").asText()).endsWith(":stream/telemetry");
        assertThat(mapping.stats()).satisfies(s -> {
            assertThat(s.recordsSucceeded()).isEqualTo(7);
            assertThat(s.recordsDiscarded()).isEqualTo(1);
        });
        assertThat(mapping.checkpoints()).containsEntry("shardId-000000000000", sent.get(7).sequenceNumber());
    }

    @Test
    void withoutBisectTheWholeBatchIsRetriedThenDiscardedAndTheShardMovesOn() throws Exception {
        List<StreamRecord> sent = put("shardId-000000000000", 4, "r");
        start(handler((payloads, event) -> {
            if (payloads.contains("r1")) {
                throw new IllegalStateException("poison");
            }
            return null;
        }), settings(2, Duration.ZERO, false, true, 1, Duration.ofHours(1)));
        awaitSettled(4);

        assertThat(invocations).containsExactly(List.of("r0", "r1"), List.of("r0", "r1"), List.of("r2", "r3"));
        JsonNode record = JSON.readTree(destination.get(0));
        assertThat(record.at("/KinesisBatchInfo/startSequenceNumber").asText()).isEqualTo(sent.get(0).sequenceNumber());
        assertThat(record.at("/KinesisBatchInfo/endSequenceNumber").asText()).isEqualTo(sent.get(1).sequenceNumber());
        assertThat(record.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(2);
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreDiscardedWithoutInvoking() throws Exception {
        Instant old = Instant.now().minus(Duration.ofHours(2));
        stream.put("shardId-000000000000", "stale0", old);
        stream.put("shardId-000000000000", "stale1", old.plusSeconds(1));
        stream.put("shardId-000000000000", "fresh", Instant.now());
        start(handler((p, e) -> null), settings(10, Duration.ZERO, true, true, 2, Duration.ofHours(1)));
        awaitSettled(3);

        assertThat(invocations).containsExactly(List.of("fresh"));
        JsonNode record = JSON.readTree(destination.get(0));
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(record.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(record.has("responseContext")).isFalse();
        assertThat(mapping.stats().recordsExpired()).isEqualTo(2);
    }

    @Test
    void shardsArePolledInParallel() throws Exception {
        put("shardId-000000000000", 1, "a");
        put("shardId-000000000001", 1, "b");
        CountDownLatch bDone = new CountDownLatch(1);
        start(handler((payloads, event) -> {
            try {
                if (payloads.contains("a0") && !bDone.await(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("shard 1 never ran while shard 0 was busy");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (payloads.contains("b0")) {
                bDone.countDown();
            }
            return null;
        }), settings(10, Duration.ZERO, false, true, 0, Duration.ofHours(1)));
        awaitSettled(2);

        assertThat(mapping.stats().functionErrors()).isZero();
        assertThat(mapping.stats().recordsSucceeded()).isEqualTo(2);
    }
}
