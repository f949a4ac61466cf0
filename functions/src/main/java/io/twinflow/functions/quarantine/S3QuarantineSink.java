package io.twinflow.functions.quarantine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Quarantine in S3: one JSON object per record at
 * {@code <prefix>dt=<arrival day>/shard=<shard id>/<sequence number>.json}. The key is a function of
 * the record's stream position, so quarantining it again overwrites the same object with the same
 * bytes. S3 was chosen over SQS because a record may be up to 1 MiB (Kinesis' limit) and must be kept
 * whole; the batch loader reads these objects into {@code telemetry.quarantine}.
 */
public final class S3QuarantineSink implements QuarantineSink {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);

    private static final ObjectMapper READER = new ObjectMapper();

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();

    public S3QuarantineSink(S3Client s3, String bucket, String prefix, ExecutorService executor) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.executor = executor;
    }

    public static String key(String prefix, QuarantinedRecord record) {
        return prefix + "dt=" + DAY.format(record.arrivalTime()) + "/shard=" + record.shardId() + "/" + record.sequenceNumber() + ".json";
    }

    @Override
    public Set<String> put(List<QuarantinedRecord> records) {
        Set<String> failed = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> puts = new ArrayList<>(records.size());
        for (QuarantinedRecord record : records) {
            puts.add(CompletableFuture.runAsync(() -> {
                try {
                    byte[] body = toJson(record);
                    s3.putObject(b -> b.bucket(bucket).key(key(prefix, record)).contentType("application/json"),
                            RequestBody.fromBytes(body));
                } catch (SdkException | JsonProcessingException e) {
                    failed.add(record.sequenceNumber());
                }
            }, executor));
        }
        puts.forEach(CompletableFuture::join);
        return failed;
    }

    /**
     * Reads an object {@link #put} wrote: the record with its exact bytes (operations tools read the
     * quarantine through this, so the format lives in this class only).
     *
     * @throws IllegalArgumentException when the bytes are not such an object
     */
    public static QuarantinedRecord fromJson(byte[] object) {
        try {
            JsonNode node = READER.readTree(object);
            return new QuarantinedRecord(node.required("shardId").asText(), node.required("sequenceNumber").asText(),
                    node.path("partitionKey").isTextual() ? node.get("partitionKey").asText() : null,
                    Instant.parse(node.required("approximateArrivalTimestamp").asText()), node.required("reason").asText(),
                    node.path("detail").isTextual() ? node.get("detail").asText() : null,
                    Base64.getDecoder().decode(node.required("payloadBase64").asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a quarantine object: " + e.getMessage(), e);
        }
    }

    byte[] toJson(QuarantinedRecord record) throws JsonProcessingException {
        ObjectNode node = json.createObjectNode();
        node.put("reason", record.reason());
        node.put("detail", record.detail());
        node.put("source", "stream-processor");
        node.put("shardId", record.shardId());
        node.put("sequenceNumber", record.sequenceNumber());
        node.put("partitionKey", record.partitionKey());
        node.put("approximateArrivalTimestamp", record.arrivalTime().toString());
        node.put("payloadBytes", record.payload().length);
        node.put("payloadBase64", Base64.getEncoder().encodeToString(record.payload()));
        return json.writeValueAsBytes(node);
    }
}
