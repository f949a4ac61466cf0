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
import io.twinflow.functions.stream.BatchSummary;
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
import java.util.LinkedHashMap;
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
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (S3Client s3 = clients.s3(); DynamoDbClient dynamoDb = clients.dynamoDb()) {
            StreamProcessorHandler handler = StreamProcessorHandler.builder()
                    .settings(FunctionSettings.local(spec, URI.create(endpoints.dynamodb()), URI.create(endpoints.s3())))
                    .dynamoDb(dynamoDb).s3(s3).summaryOutput(new PrintStream(lines, true, StandardCharsets.UTF_8)).build();
            String streamArn = "arn:aws:kinesis:" + endpoints.region() + ":" + EmbeddedRuntime.ACCOUNT + ":stream/" + spec.stream().name();
            return new ArchiveReplay(s3, spec.buckets().raw(), spec.buckets().rawPrefix(), spec.streamMapping().batchSize())
                    .replay(from, to, devices, new Target(handler, lines, endpoints.region(), streamArn), progress);
        }
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
        for (String key : objectKeys(from, to)) {
            readObject(key, record -> {
                if (!record.hasPosition()) {
                    skipped[0]++;
                } else if (!record.arrival().isBefore(from) && record.arrival().isBefore(to)
                        && (devices.isEmpty() || isOf(devices, record.data()))) {
                    byShard.computeIfAbsent(record.shardId(), s -> new ArrayList<>()).add(record);
                }
            }, skipped);
        }
        long total = byShard.values().stream().mapToLong(List::size).sum();
        Totals totals = new Totals();
        long done = 0;
        progress.update(0, total);
        for (List<ArchivedRecord> shard : byShard.values()) {
            // An object may be archived twice (a retried flush): one copy of each position is the stream's record.
            shard.sort(Comparator.comparing(ArchivedRecord::position));
            List<StreamRecord> records = new ArrayList<>(shard.size());
            String last = null;
            for (ArchivedRecord r : shard) {
                if (!r.position().equals(last)) {
                    records.add(new StreamRecord(r.shardId(), r.sequenceNumber(), "replay", r.data(), r.arrival()));
                } else {
                    total--;
                }
                last = r.position();
            }
            for (int i = 0; i < records.size(); i += batchSize) {
                List<StreamRecord> batch = records.subList(i, Math.min(records.size(), i + batchSize));
                StreamsEventResponse response = target.handler().handleRequest(
                        KinesisEvents.toEvent(batch, target.region(), target.streamArn(), "replay"), null);
                totals.add(target.summaryLines());
                done += batch.size();
                progress.update(done, total);
                if (response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
                    // The handler asked for a retry from a record on: the shard's later records would be out of order.
                    totals.notReplayed += records.size() - i - batch.size();
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

    /** The sums of the handler's batch summary lines. */
    private static final class Totals {
        private static final List<String> COUNTS = List.of("records", "applied", "duplicates", "quarantined", "failed", "reportedForRetry",
                "windows", "alerts");
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final Map<String, Long> quarantinedByReason = new TreeMap<>();
        private long batches;
        private long notReplayed;

        Totals() {
            COUNTS.forEach(c -> counts.put(c, 0L));
        }

        void add(ByteArrayOutputStream lines) {
            String text = lines.toString(StandardCharsets.UTF_8);
            lines.reset();
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException notJson) {
                    continue; // the handler's other log lines
                }
                if (!"batch summary".equals(node.path("message").asText())) {
                    continue;
                }
                batches++;
                COUNTS.forEach(c -> counts.merge(c, node.path(c).asLong(), Long::sum));
                node.fields().forEachRemaining(f -> {
                    if (f.getKey().startsWith(BatchSummary.REASON_METRIC_PREFIX)) {
                        quarantinedByReason.merge(f.getKey().substring(BatchSummary.REASON_METRIC_PREFIX.length()), f.getValue().asLong(), Long::sum);
                    }
                });
            }
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("message", "replay summary");
            map.putAll(counts);
            map.put("quarantinedByReason", quarantinedByReason);
            map.put("batches", batches);
            map.put("notReplayed", notReplayed);
            return map;
        }
    }
}
