package io.twinflow.local.replay;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.ArchivedRecord;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.StreamProcessorHandler;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.EmbeddedRuntime;
import io.twinflow.local.runtime.KinesisEvents;
import io.twinflow.local.runtime.StreamRecord;
import io.twinflow.warehouse.load.RawLineReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Feeds archived records back through the stream processor: every record of the raw archive whose
 * arrival time is in {@code [from, to)} (optionally of some devices only), grouped per shard in sequence
 * order and in batches, as the event source mapping delivers them. The handler's exactly-once window
 * state makes this safe: a record already applied comes back as a duplicate and changes nothing.
 *
 * <p>Archive lines without a stream position (plain lines) cannot be ordered within a shard nor deduplicated
 * by position, and malformed envelopes have no record to give: both are counted as {@code skipped}.
 */
public final class ArchiveReplay {

    /** A replay range may span at most this long, as a backfill may: a longer one is far more likely a typo. */
    public static final Duration MAX_SPAN = Duration.ofDays(366);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Archive objects are keyed by their oldest record's arrival: one may hold records of the day after its key. */
    private static final int DAYS_BEFORE = 1;

    /** Told after each batch: records replayed so far and the total to replay. */
    public interface Progress {
        void update(long done, long total);
    }

    /** Where the handler under replay runs and writes its summary lines. */
    public record Target(RequestHandler<KinesisEvent, StreamsEventResponse> handler, ByteArrayOutputStream summaryLines,
                         String region, String streamArn) {

        /**
         * The stream processor handler of a local stack, built as the embedded runtime builds it (the same settings, the
         * stack's DynamoDB and S3), its batch summary lines captured for the replay summary.
         */
        public static Target local(Endpoints endpoints, PipelineSpec spec, S3Client s3, DynamoDbClient dynamoDb) {
            ByteArrayOutputStream lines = new ByteArrayOutputStream();
            StreamProcessorHandler handler = StreamProcessorHandler.builder()
                    .settings(FunctionSettings.local(spec, URI.create(endpoints.dynamodb()), URI.create(endpoints.s3())))
                    .dynamoDb(dynamoDb).s3(s3).summaryOutput(new PrintStream(lines, true, StandardCharsets.UTF_8)).build();
            return new Target(handler, lines, endpoints.region(), streamArn(endpoints, spec));
        }

        /** The local stream's ARN, as the local event source mapping names it in events and on-failure records. */
        public static String streamArn(Endpoints endpoints, PipelineSpec spec) {
            return "arn:aws:kinesis:" + endpoints.region() + ":" + EmbeddedRuntime.ACCOUNT + ":stream/" + spec.stream().name();
        }

        /** Invokes the handler with one batch of one shard's records, as the event source mapping would. */
        StreamsEventResponse invoke(List<StreamRecord> batch) {
            return handler.handleRequest(KinesisEvents.toEvent(batch, region, streamArn, "replay"), null);
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final String rawPrefix;
    private final int batchSize;

    public ArchiveReplay(S3Client s3, String bucket, String rawPrefix, int batchSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.rawPrefix = rawPrefix;
        this.batchSize = batchSize;
    }

    /**
     * Replays into a local stack: the stream processor handler built as the embedded runtime builds it (the same
     * settings, the stack's DynamoDB and S3), its batch summary lines captured for the replay summary.
     */
    public static Map<String, Object> local(Endpoints endpoints, Instant from, Instant to, Set<String> devices, Progress progress) {
        checkRange(from, to);
        ServiceClients clients = ServiceClients.local(endpoints);
        PipelineSpec spec = clients.spec();
        try (S3Client s3 = clients.s3(); DynamoDbClient dynamoDb = clients.dynamoDb()) {
            return of(s3, spec).replay(from, to, devices, Target.local(endpoints, spec, s3, dynamoDb), progress);
        }
    }

    /** Over the raw archive of {@code spec}'s bucket, in batches of its mapping's size. */
    static ArchiveReplay of(S3Client s3, PipelineSpec spec) {
        return new ArchiveReplay(s3, spec.buckets().raw(), spec.buckets().rawPrefix(), spec.streamMapping().batchSize());
    }

    /** Checks a replay range: a user mistake when it is empty, reversed or longer than {@link #MAX_SPAN}. */
    public static void checkRange(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new UserMistakeException("--from " + from + " is not before --to " + to + ": the range is [from, to), give the earlier time first");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw new UserMistakeException("--from " + from + " --to " + to + " spans more than " + MAX_SPAN.toDays()
                    + " days: replay in ranges of at most " + MAX_SPAN.toDays() + " days");
        }
    }

    /**
     * Replays the range into {@code target}'s handler and returns the summary: the sums of the handler's
     * batch summary lines, plus {@code skipped} and the range.
     *
     * @param devices only records of these devices; empty: all records (undecodable ones included)
     */
    public Map<String, Object> replay(Instant from, Instant to, Set<String> devices, Target target, Progress progress) {
        checkRange(from, to);
        long[] skipped = {0};
        Map<String, List<ArchivedRecord>> byShard = new TreeMap<>();
        scan(from, to, record -> {
            if (!record.hasPosition()) {
                skipped[0]++;
            } else if (!record.arrival().isBefore(from) && record.arrival().isBefore(to)
                    && (devices.isEmpty() || isOf(devices, record.data()))) {
                byShard.computeIfAbsent(record.shardId(), s -> new ArrayList<>()).add(record);
            }
        }, skipped);
        Map<String, List<StreamRecord>> shards = new TreeMap<>();
        byShard.forEach((shard, records) -> shards.put(shard, inStreamOrder(records)));
        long total = shards.values().stream().mapToLong(List::size).sum();
        ReplayTotals totals = new ReplayTotals();
        long done = 0;
        progress.update(0, total);
        for (List<StreamRecord> records : shards.values()) {
            for (int i = 0; i < records.size(); i += batchSize) {
                List<StreamRecord> batch = records.subList(i, Math.min(records.size(), i + batchSize));
                StreamsEventResponse response = target.invoke(batch);
                totals.add(target.summaryLines());
                done += batch.size();
                progress.update(done, total);
                if (ReplayTotals.asksForRetry(response)) {
                    // The handler asked for a retry from a record on: the shard's later records would be out of order.
                    totals.notReplayed(records.size() - i - batch.size());
                    break;
                }
            }
        }
        Map<String, Object> summary = totals.toMap();
        summary.put("skipped", skipped[0]);
        summary.put("from", from.toString());
        summary.put("to", to.toString());
        if (!devices.isEmpty()) {
            summary.put("devices", List.copyOf(new TreeSet<>(devices)));
        }
        return summary;
    }

    /**
     * Every record of the archive objects that may hold arrivals in {@code [from, to)}, in no particular order and
     * possibly more than once (an object archived twice); lines that are no envelope add to {@code skipped[0]}.
     */
    void scan(Instant from, Instant to, Consumer<ArchivedRecord> sink, long[] skipped) {
        for (String key : objectKeys(from, to)) {
            readObject(key, sink, skipped);
        }
    }

    /**
     * One shard's archived records as the stream held them: in sequence order, each position once (an object may be
     * archived twice, after a retried flush: one copy of each position is the stream's record).
     */
    static List<StreamRecord> inStreamOrder(List<ArchivedRecord> shard) {
        List<ArchivedRecord> sorted = new ArrayList<>(shard);
        sorted.sort(Comparator.comparing(ArchivedRecord::position));
        List<StreamRecord> records = new ArrayList<>(sorted.size());
        String last = null;
        for (ArchivedRecord r : sorted) {
            if (!r.position().equals(last)) {
                records.add(new StreamRecord(r.shardId(), r.sequenceNumber(), "replay", r.data(), r.arrival()));
            }
            last = r.position();
        }
        return records;
    }

    /** The batch size replays invoke the handler with: the mapping's. */
    int batchSize() {
        return batchSize;
    }

    private List<String> objectKeys(Instant from, Instant to) {
        List<String> keys = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to.minusMillis(1), ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC).minusDays(DAYS_BEFORE); !day.isAfter(last); day = day.plusDays(1)) {
            String prefix = rawPrefix + "dt=" + day + "/";
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                keys.add(object.key());
            }
        }
        return keys;
    }

    private void readObject(String key, Consumer<ArchivedRecord> sink, long[] skipped) {
        try (InputStream in = RawLineReader.gunzipIfNeeded(s3.getObject(b -> b.bucket(bucket).key(key)))) {
            RawLineReader reader = new RawLineReader(in, Integer.MAX_VALUE - 16);
            for (RawLineReader.RawLine line = reader.next(); line != null; line = reader.next()) {
                if (ArchiveLine.read(line.kept(), Instant.EPOCH) instanceof ArchiveLine.Record r) {
                    sink.accept(r.record());
                } else {
                    skipped[0]++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read s3://" + bucket + "/" + key, e);
        }
    }

    /** Whether the record is one of these devices' (a record with no readable deviceId is no device's). */
    private static boolean isOf(Set<String> devices, byte[] data) {
        String device = deviceId(data);
        return device != null && devices.contains(device);
    }

    /** The record's deviceId, or null when it is not a JSON object with a text deviceId (it then matches no --device). */
    static String deviceId(byte[] data) {
        try {
            JsonNode id = JSON.readTree(data).path("deviceId");
            return id.isTextual() ? id.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
