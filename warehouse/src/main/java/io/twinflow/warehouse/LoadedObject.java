package io.twinflow.warehouse;

/** An object version recorded as loaded; the ETag is stored without its surrounding quotes. */
public record LoadedObject(String key, String etag) {

    /** S3 returns ETags in double quotes; the load log keeps the bare value. */
    public static String normalizeEtag(String etag) {
        if (etag == null) {
            throw new IllegalArgumentException("the object has no ETag");
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
