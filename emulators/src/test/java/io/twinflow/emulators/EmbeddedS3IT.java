package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class EmbeddedS3IT {

    @Test
    void storesAndReadsBackAnObject() {
        try (EmbeddedS3 s3 = EmbeddedS3.start();
             S3Client client = s3.s3Client()) {
            RoundTrips.s3(client);
        }
    }

    @Test
    void storesAnObjectLargerThanOneUploadChunk() {
        byte[] payload = "x".repeat(3 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII);
        try (EmbeddedS3 s3 = EmbeddedS3.start();
             S3Client client = s3.s3Client()) {
            client.createBucket(b -> b.bucket("raw-archive"));
            client.putObject(b -> b.bucket("raw-archive").key("big.bin"), RequestBody.fromBytes(payload));

            assertThat(client.getObjectAsBytes(b -> b.bucket("raw-archive").key("big.bin")).asByteArray())
                    .isEqualTo(payload);
        }
    }
}
