package io.twinflow.warehouse;

import java.time.Duration;

/**
 * What one {@link Warehouse#load} did. {@code linesRead = rowsLoaded + rowsDuplicate + rowsQuarantined}
 * always holds for a load: every line is a new event, a copy of a known one, or quarantined.
 */
public record LoadResult(String objectKey, String etag, Status status, long linesRead, long rowsLoaded,
                         long rowsDuplicate, long rowsQuarantined, Duration elapsed) {

    public enum Status {
        /** This call loaded the object. */
        LOADED,
        /** The object version was loaded before (by an earlier run or a racing loader): nothing changed. */
        ALREADY_LOADED
    }

    /** The object version was loaded before: no line was read. */
    public static LoadResult alreadyLoaded(String objectKey, String etag, Duration elapsed) {
        return new LoadResult(objectKey, etag, Status.ALREADY_LOADED, 0, 0, 0, 0, elapsed);
    }
}
