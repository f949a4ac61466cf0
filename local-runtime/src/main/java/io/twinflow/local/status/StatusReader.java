package io.twinflow.local.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KinesisShardReader;
import io.twinflow.warehouse.Warehouse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Reads a running local stack's {@link StackStatus}: the stack's own counters and checkpoints from its private status
 * path ({@link EmbeddedRuntime#STATUS_PATH}), the rest from the services as any client would (Kinesis, SQS, an S3
 * listing of the raw archive, the warehouse's load log, summaries and reconcile log). Never scans a DynamoDB table.
 */
public final class StatusReader {

    /** Records counted per shard behind the checkpoint at most: a status must stay quick on a stream far behind. */
    public static final int MAX_COUNTED = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineSpec spec;
    private final URI api;
    private final KinesisClient kinesis;
    private final SqsClient sqs;
    private final String onFailureQueueUrl;
    private final S3Client s3;
    private final Warehouse warehouse;
    private final Clock clock;

    /**
     * @param api the stack's live API base URL (endpoints.json's {@code api})
     * @param onFailureQueueUrl the stream processor's on-failure queue
     */
    public StatusReader(PipelineSpec spec, URI api, KinesisClient kinesis, SqsClient sqs, String onFailureQueueUrl, S3Client s3,
                        Warehouse warehouse, Clock clock) {
        this.spec = spec;
        this.api = api;
        this.kinesis = kinesis;
        this.sqs = sqs;
        this.onFailureQueueUrl = onFailureQueueUrl;
        this.s3 = s3;
        this.warehouse = warehouse;
        this.clock = clock;
    }

    public StackStatus read() {
        JsonNode own = stackOwn();
        Map<String, Object> batches = JSON.convertValue(own.path("batches"), LinkedHashMap.class);
        return new StackStatus(stream(own.path("checkpoints")), batches,
                StatusParts.onFailure(sqs, spec.queues().streamFailures(), onFailureQueueUrl), archive(), StatusParts.loader(warehouse, spec),
                StatusParts.rollup(warehouse, spec), ReconcileLog.last(warehouse, spec));
    }

    private JsonNode stackOwn() {
        URI uri = URI.create(api + EmbeddedRuntime.STATUS_PATH);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new UserMistakeException("the local stack at " + api + " does not serve its status (HTTP " + response.statusCode()
                        + "): restart it with this version's `./twinflow local up`");
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UserMistakeException("cannot read the local stack's status from " + uri + " (" + e.getMessage()
                    + "): is `./twinflow local up` still running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private StackStatus.Stream stream(JsonNode checkpoints) {
        String name = spec.stream().name();
        List<StackStatus.Shard> shards = new ArrayList<>();
        for (String shardId : new KinesisShardReader(kinesis, name).shardIds()) {
            shards.add(behind(name, shardId, checkpoints.path(shardId).asText(null)));
        }
        shards.sort(Comparator.comparing(StackStatus.Shard::shardId));
        return new StackStatus.Stream(name, shards, shards.stream().mapToLong(StackStatus.Shard::millisBehind).max().orElse(0));
    }

    /** Reads the shard from just after the checkpoint to its tip, counting: Kinesis has no "records after" call. */
    private StackStatus.Shard behind(String stream, String shardId, String checkpoint) {
        String iterator = kinesis.getShardIterator(b -> {
            b.streamName(stream).shardId(shardId);
            if (checkpoint == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(checkpoint);
            }
        }).shardIterator();
        long count = 0;
        long millisBehind = 0;
        while (iterator != null && count < MAX_COUNTED) {
            String current = iterator;
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
            List<Record> records = page.records();
            if (records.isEmpty()) {
                break;
            }
            if (count == 0) {
                millisBehind = Math.max(0, clock.millis() - records.get(0).approximateArrivalTimestamp().toEpochMilli());
            }
            count += records.size();
            iterator = page.nextShardIterator();
        }
        return new StackStatus.Shard(shardId, checkpoint, Math.min(count, MAX_COUNTED), count >= MAX_COUNTED, millisBehind);
    }

    private StackStatus.Archive archive() {
        String prefix = spec.buckets().rawPrefix();
        return StatusParts.archive(s3.listObjectsV2Paginator(b -> b.bucket(spec.buckets().raw()).prefix(prefix)).contents(),
                new HashSet<>(warehouse.loadedObjects(prefix)), null);
    }
}
