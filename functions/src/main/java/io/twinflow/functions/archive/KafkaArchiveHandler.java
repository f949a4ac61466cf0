package io.twinflow.functions.archive;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.functions.AwsClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.stream.KafkaProcessorHandler;
import io.twinflow.functions.stream.StreamRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The raw archive of the Kafka topic in AWS: a second MSK event source mapping (its own consumer group)
 * invokes this function, which writes each partition of the batch as one gzipped object of envelope lines
 * ({@link ArchiveLine#encode}, the same framing Firehose's archive-framer writes for Kinesis: shard =
 * {@code topic-partition}, sequence number = offset, arrival = the record timestamp) under
 * {@code rawPrefix + "dt=YYYY-MM-DD/hour=HH/"}, so the batch loader and {@code reconcile} read Kafka's
 * records like Kinesis's.
 *
 * <p>An object is named by its partition and its first and last offset, so a batch the mapping delivers
 * again (a failed put throws, and Lambda retries the whole batch) overwrites the same object with the
 * same bytes. A redelivery with other batch boundaries writes overlapping objects; the loader collapses
 * copies of an event identity (device, eventId, window start) before its MERGE and counts them as
 * duplicates, so no event is counted twice.
 */
public class KafkaArchiveHandler implements RequestHandler<KafkaEvent, Void> {

    /** Where an archive object goes; S3 in AWS, a map in tests. */
    @FunctionalInterface
    public interface ObjectSink {
        void put(String key, byte[] gzipBody);
    }

    /** One archive object: its key and its gzipped envelope lines. */
    public record ArchiveObject(String key, byte[] gzipBody, int records) {
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    private final ObjectSink sink;
    private final String rawPrefix;

    /** Used by the Lambda runtime: the raw bucket and prefix from the environment. */
    public KafkaArchiveHandler() {
        this(FunctionSettings.fromEnvironment());
    }

    private KafkaArchiveHandler(FunctionSettings settings) {
        this(s3Sink(AwsClients.s3(settings), settings.rawBucket()), settings.spec().buckets().rawPrefix());
    }

    /** For tests and the local runtime: objects go to {@code sink}. */
    public KafkaArchiveHandler(ObjectSink sink, String rawPrefix) {
        this.sink = sink;
        this.rawPrefix = rawPrefix;
    }

    @Override
    public Void handleRequest(KafkaEvent event, Context context) {
        // A failed put propagates: the mapping retries the whole batch and the objects are rewritten as they were.
        for (List<StreamRecord> partition : KafkaProcessorHandler.toPartitions(event, Instant.now()).values()) {
            ArchiveObject object = archiveObject(rawPrefix, partition);
            sink.put(object.key(), object.gzipBody());
        }
        return null;
    }

    /**
     * The object of one partition's records (in offset order, as {@link KafkaProcessorHandler#toPartitions}
     * gives them): dated by the oldest record's timestamp like the local archiver, named
     * {@code kafka-<topic-partition>-<first offset>-<last offset>.json.gz} with offsets zero-padded to 20
     * digits so that names sort in offset order.
     */
    public static ArchiveObject archiveObject(String rawPrefix, List<StreamRecord> partition) {
        if (partition.isEmpty()) {
            throw new IllegalArgumentException("a partition's archive object needs at least one record");
        }
        Instant oldest = partition.get(0).arrivalTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // GZIPOutputStream writes no file name and a zero modification time: the same records give the same bytes.
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            for (StreamRecord r : partition) {
                if (r.arrivalTime().isBefore(oldest)) {
                    oldest = r.arrivalTime();
                }
                gzip.write(ArchiveLine.encode(r.data(), r.arrivalTime(), r.shardId(), r.sequenceNumber()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String key = rawPrefix + "dt=" + DATE.format(oldest) + "/hour=" + HOUR.format(oldest) + "/kafka-"
                + partition.get(0).shardId() + "-" + offset(partition.get(0)) + "-" + offset(partition.get(partition.size() - 1))
                + ".json.gz";
        return new ArchiveObject(key, out.toByteArray(), partition.size());
    }

    private static String offset(StreamRecord r) {
        return String.format("%020d", Long.parseLong(r.sequenceNumber()));
    }

    private static ObjectSink s3Sink(S3Client s3, String bucket) {
        return (key, body) -> s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromBytes(body));
    }
}
