package io.twinflow.warehouse;

import java.util.Objects;

/** A raw archive object in S3. */
public record RawObject(String bucket, String key) {
    public RawObject {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }
}
