package io.twinflow.benchmarks;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.twinflow.aws.SdkClients;
import io.twinflow.functions.stream.StreamProcessorHandler;
import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The child JVM of {@link ColdStart}, started fresh for every measurement so that every class is
 * loaded and every JIT starts cold, as in a new Lambda execution environment. It prints one line,
 * {@code FIRST} when the first batch is processed and {@code READY {json}} when its work is done; the
 * parent's clock runs from process start to those lines.
 *
 * <p>Modes: {@code empty} (the JVM floor), {@code handler RECORDS_FILE} (the stream-processor as
 * Lambda builds it, from its environment, then two batches), {@code snapstart RECORDS_FILE} (the same, with
 * the checkpoint hook SnapStart runs before its snapshot counted in init), {@code client NAME ENDPOINT TABLE} (a
 * DynamoDB client on one HTTP client and its first call). Only JDK, function-jar and HTTP-client
 * classes are used, so the class path can be the function jar alone.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "empty" -> System.out.println("READY {}");
            case "handler" -> handler(Path.of(args[1]), false);
            case "snapstart" -> handler(Path.of(args[1]), true);
            case "client" -> client(args[1], URI.create(args[2]), args[3]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /**
     * With {@code snapshot}, what SnapStart runs before its snapshot (the handler's checkpoint hook) is
     * part of init, and the first batch is what a restored copy does first; the restore itself happens
     * in AWS and is not modelled.
     */
    private static void handler(Path recordsFile, boolean snapshot) throws IOException {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long t0 = System.nanoTime();
        List<KinesisEvent> batches = readBatches(recordsFile);
        long t1 = System.nanoTime();
        long classesBefore = classes.getTotalLoadedClassCount();
        StreamProcessorHandler handler = new StreamProcessorHandler();
        long t2 = System.nanoTime();
        if (snapshot) {
            handler.beforeCheckpoint(null);
        }
        long t3 = System.nanoTime();
        long classesAtInit = classes.getTotalLoadedClassCount();
        StreamsEventResponse first = handler.handleRequest(batches.get(0), null);
        long t4 = System.nanoTime();
        long classesInFirstBatch = classes.getTotalLoadedClassCount() - classesAtInit;
        System.out.println("FIRST");
        StreamsEventResponse second = handler.handleRequest(batches.get(1), null);
        long t5 = System.nanoTime();
        System.out.printf(Locale.ROOT, "READY {\"readMs\":%.1f,\"initMs\":%.1f,\"checkpointHookMs\":%.1f,\"firstBatchMs\":%.1f,"
                        + "\"secondBatchMs\":%.1f,\"classesLoadedInInit\":%d,\"classesLoadedInFirstBatch\":%d,\"failures\":%d}%n",
                ms(t1 - t0), ms(t3 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4), classesAtInit - classesBefore, classesInFirstBatch,
                first.getBatchItemFailures().size() + second.getBatchItemFailures().size());
    }

    private static void client(String name, URI endpoint, String table) {
        long t0 = System.nanoTime();
        SdkHttpClient http = switch (name) {
            case "urlconnection" -> UrlConnection.build();
            case "apache" -> Apache.build();
            case "crt" -> Crt.build();
            default -> throw new IllegalArgumentException("unknown HTTP client " + name);
        };
        DynamoDbClient dynamoDb = SdkClients.setup(Region.US_EAST_1, SdkClients.LOCAL_CREDENTIALS)
                .endpoint(endpoint).httpClient(http).build(DynamoDbClient.builder());
        long t1 = System.nanoTime();
        dynamoDb.describeTable(b -> b.tableName(table));
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "READY {\"initMs\":%.1f,\"firstCallMs\":%.1f}%n", ms(t1 - t0), ms(t2 - t1));
    }

    // One class per HTTP client, so that only the measured client's classes are ever loaded.
    private static final class UrlConnection {
        static SdkHttpClient build() {
            return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build();
        }
    }

    private static final class Apache {
        static SdkHttpClient build() {
            return ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build();
        }
    }

    private static final class Crt {
        static SdkHttpClient build() {
            return AwsCrtHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build();
        }
    }

    /** Lines of {@code batch TAB sequence TAB partitionKey TAB arrivalMillis TAB base64(data)}. */
    private static List<KinesisEvent> readBatches(Path file) throws IOException {
        List<KinesisEvent> batches = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            int batch = Integer.parseInt(f[0]);
            while (batches.size() <= batch) {
                KinesisEvent event = new KinesisEvent();
                event.setRecords(new ArrayList<>());
                batches.add(event);
            }
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setSequenceNumber(f[1]);
            kinesis.setPartitionKey(f[2]);
            kinesis.setApproximateArrivalTimestamp(new Date(Long.parseLong(f[3])));
            kinesis.setData(ByteBuffer.wrap(Base64.getDecoder().decode(f[4])));
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventID("shardId-000000000000:" + f[1]);
            batches.get(batch).getRecords().add(record);
        }
        return batches;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
