package io.twinflow.functions.testing;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.live.LiveTables;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A fresh set of tables and a quarantine bucket, under a prefix of their own, on the shared emulators.
 * Tests in one class never see each other's data.
 */
public final class LiveTestEnvironment {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final FunctionSettings settings;
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;

    private LiveTestEnvironment(FunctionSettings settings, DynamoDbClient dynamoDb, S3Client s3) {
        this.settings = settings;
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    public static LiveTestEnvironment create(URI dynamoDbEndpoint, URI s3Endpoint,
                                             DynamoDbClient dynamoDb, S3Client s3) {
        PipelineSpec spec = PipelineSpec.withPrefix("t" + COUNTER.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36));
        FunctionSettings settings = FunctionSettings.local(spec, dynamoDbEndpoint, s3Endpoint);
        LiveTables.createAll(dynamoDb, settings.deviceStateTable(), settings.windowTable(), settings.alertTable());
        s3.createBucket(b -> b.bucket(settings.quarantineBucket()));
        return new LiveTestEnvironment(settings, dynamoDb, s3);
    }

    public FunctionSettings settings() {
        return settings;
    }

    /**
     * Every item of the three tables as canonical text ({@link TableSnapshot}), so two environments can be
     * compared.
     *
     * @param ignored attributes left out (e.g. the window's write {@code version}, which counts writes)
     */
    public Map<String, List<String>> snapshot(Set<String> ignored) {
        return TableSnapshot.of(dynamoDb, settings.spec().prefix(),
                List.of(settings.deviceStateTable(), settings.windowTable(), settings.alertTable()), ignored);
    }

    public List<Map<String, AttributeValue>> windows() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(settings.windowTable()).consistentRead(true)).items().stream()
                .filter(item -> !LiveTables.isPage(item)).forEach(items::add);
        return items;
    }

    public List<Map<String, AttributeValue>> alerts() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(settings.alertTable()).consistentRead(true)).items().forEach(items::add);
        return items;
    }

    public List<String> quarantineKeys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(settings.quarantineBucket())).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    public byte[] quarantineObject(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(settings.quarantineBucket()).key(key)).asByteArray();
    }
}
