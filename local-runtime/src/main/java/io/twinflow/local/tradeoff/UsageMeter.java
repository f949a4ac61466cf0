package io.twinflow.local.tradeoff;

import io.twinflow.aws.SdkCall;
import io.twinflow.aws.SdkCallHook;
import io.twinflow.aws.SdkCallListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Counts what the pipeline's SDK clients did, per service, operation and resource (table, bucket, queue,
 * stream), while it is {@link #start started}: calls, attempts, failures, HTTP body bytes; for DynamoDB the
 * capacity units DynamoDB itself reports (every read and write is sent with {@code ReturnConsumedCapacity=TOTAL},
 * which the pipeline's code never reads, so its behaviour is unchanged) and the items written; for Kinesis
 * PutRecords the records the stream accepted and their payload sizes, from which {@link Usage} derives the
 * billing units.
 */
public final class UsageMeter implements SdkCallListener, AutoCloseable {

    /** Totals of one service, operation and resource. */
    public static final class Tally {
        long calls;
        long attempts;
        long failures;
        long requestBytes;
        long responseBytes;
        long items;
        double capacityUnits;
        long conditionFailures;

        Tally copy() {
            Tally t = new Tally();
            t.calls = calls;
            t.attempts = attempts;
            t.failures = failures;
            t.requestBytes = requestBytes;
            t.responseBytes = responseBytes;
            t.items = items;
            t.capacityUnits = capacityUnits;
            t.conditionFailures = conditionFailures;
            return t;
        }

        public long calls() {
            return calls;
        }

        public long failures() {
            return failures;
        }

        public long requestBytes() {
            return requestBytes;
        }

        public long items() {
            return items;
        }

        public double capacityUnits() {
            return capacityUnits;
        }

        public long conditionFailures() {
            return conditionFailures;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("calls", calls);
            m.put("attempts", attempts);
            m.put("failures", failures);
            m.put("requestBytes", requestBytes);
            m.put("responseBytes", responseBytes);
            if (items != 0) {
                m.put("items", items);
            }
            if (capacityUnits != 0) {
                m.put("capacityUnits", capacityUnits);
            }
            if (conditionFailures != 0) {
                m.put("conditionFailures", conditionFailures);
            }
            return m;
        }
    }

    private final Map<String, Tally> tallies = new TreeMap<>();
    private final List<Integer> putSizes = new ArrayList<>();
    private SdkCallHook.Registration registration;

    /** Starts counting every metered client's calls in this JVM. */
    public synchronized UsageMeter start() {
        if (registration == null) {
            registration = SdkCallHook.register(this);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    /** A copy of the totals so far, keyed {@code Service Operation resource}. */
    public synchronized Usage snapshot() {
        Map<String, Tally> copy = new TreeMap<>();
        tallies.forEach((k, v) -> copy.put(k, v.copy()));
        return new Usage(copy, List.copyOf(putSizes));
    }

    @Override
    public SdkRequest modifyRequest(SdkRequest request) {
        return CapacityRequests.askForTotal(request);
    }

    @Override
    public void completed(SdkCall call) {
        SdkRequest request = call.request();
        Optional<SdkResponse> response = call.response().filter(r -> call.succeeded());
        String resource = resource(request);
        synchronized (this) {
            Tally tally = tallies.computeIfAbsent(call.service() + " " + call.operation() + " " + resource, k -> new Tally());
            tally.calls++;
            tally.attempts += call.attempts();
            tally.requestBytes += call.requestBytes();
            tally.responseBytes += call.responseBytes();
            if (!call.succeeded()) {
                tally.failures++;
                if (call.failure().orElse(null) instanceof ConditionalCheckFailedException) {
                    tally.conditionFailures++;
                }
                return;
            }
            SdkResponse r = response.orElse(null);
            tally.capacityUnits += capacity(r);
            tally.items += items(request, r);
            if (request instanceof PutRecordsRequest puts && r instanceof PutRecordsResponse answer) {
                List<PutRecordsResultEntry> results = answer.records();
                for (int i = 0; i < puts.records().size() && i < results.size(); i++) {
                    if (results.get(i).errorCode() == null) {
                        PutRecordsRequestEntry entry = puts.records().get(i);
                        putSizes.add(entry.data().asByteArray().length + entry.partitionKey().getBytes(StandardCharsets.UTF_8).length);
                    }
                }
            }
        }
    }

    /** The table, bucket, queue or stream a request names; {@code -} when it names none. */
    static String resource(SdkRequest request) {
        if (request instanceof BatchWriteItemRequest r) {
            return String.join(",", new TreeSet<>(r.requestItems().keySet()));
        }
        if (request instanceof BatchGetItemRequest r) {
            return String.join(",", new TreeSet<>(r.requestItems().keySet()));
        }
        for (String field : List.of("TableName", "Bucket", "QueueUrl", "StreamName", "StreamARN")) {
            Optional<String> value = request.getValueForField(field, String.class);
            if (value.isPresent()) {
                String v = value.get();
                return field.equals("QueueUrl") ? v.substring(v.lastIndexOf('/') + 1)
                        : field.equals("StreamARN") ? v.substring(v.lastIndexOf('/') + 1) : v;
            }
        }
        return "-";
    }

    private static double capacity(SdkResponse response) {
        if (response instanceof PutItemResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof UpdateItemResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof DeleteItemResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof GetItemResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof QueryResponse r) {
            return units(r.consumedCapacity());
        } else if (response instanceof BatchWriteItemResponse r) {
            return r.consumedCapacity().stream().mapToDouble(UsageMeter::units).sum();
        } else if (response instanceof BatchGetItemResponse r) {
            return r.consumedCapacity().stream().mapToDouble(UsageMeter::units).sum();
        }
        return 0;
    }

    /** Items a DynamoDB write stored (a batch's unprocessed items are retried as another call). */
    private static long items(SdkRequest request, SdkResponse response) {
        if (request instanceof PutItemRequest || request instanceof UpdateItemRequest || request instanceof DeleteItemRequest) {
            return 1;
        }
        if (request instanceof BatchWriteItemRequest r && response instanceof BatchWriteItemResponse answer) {
            long sent = r.requestItems().values().stream().mapToLong(List::size).sum();
            long unprocessed = answer.unprocessedItems().values().stream().mapToLong(List::size).sum();
            return sent - unprocessed;
        }
        return 0;
    }

    private static double units(ConsumedCapacity c) {
        return c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
    }
}
