package io.twinflow.functions.batch;

import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.WarehouseException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The batch loader's logic: find the raw archive objects not yet in the warehouse's load log (by key
 * and ETag) and load each one (staging + MERGE + load log, one transaction per object, in the
 * warehouse adapter). It only looks at the last {@code lookbackDays} of {@code dt=} partitions, so a
 * run lists a bounded number of keys however old the archive grows.
 *
 * <p>Safe to run twice, concurrently, or after a crash at any step: an object is either fully loaded
 * and logged or not at all, and the warehouse never loads an object version twice. An object that
 * fails is reported and left for the next run; the others still load.
 */
public final class BatchLoader {

    /** Below this much remaining time no new object is started (Lambda's 15-minute limit). */
    static final long SAFETY_MARGIN_MILLIS = 60_000;

    private final Warehouse warehouse;
    private final S3Client s3;
    private final String rawBucket;
    private final String rawPrefix;
    private final int lookbackDays;
    private final Clock clock;

    public BatchLoader(Warehouse warehouse, S3Client s3, String rawBucket, String rawPrefix, int lookbackDays, Clock clock) {
        if (lookbackDays < 1) {
            throw new IllegalArgumentException("lookbackDays must be >= 1");
        }
        this.warehouse = warehouse;
        this.s3 = s3;
        this.rawBucket = rawBucket;
        this.rawPrefix = rawPrefix;
        this.lookbackDays = lookbackDays;
        this.clock = clock;
    }

    /** One object's outcome, for progress reporting. */
    public record ObjectOutcome(String key, LoadResult result, String error) {
    }

    /**
     * @param remainingMillis time left in the invocation; work stops cleanly before it runs out
     * @param progress called after each object
     */
    public LoaderReport run(LongSupplier remainingMillis, Consumer<ObjectOutcome> progress) {
        long started = System.nanoTime();
        List<S3Object> pending = pendingObjects();
        long loaded = 0;
        long alreadyLoaded = 0;
        long rows = 0;
        long duplicates = 0;
        long quarantined = 0;
        long lines = 0;
        List<String> failedKeys = new ArrayList<>();
        int deferred = 0;
        for (S3Object object : pending) {
            if (remainingMillis.getAsLong() < SAFETY_MARGIN_MILLIS) {
                deferred++;
                continue;
            }
            try {
                LoadResult result = warehouse.load(new RawObject(rawBucket, object.key()));
                if (result.status() == LoadResult.Status.LOADED) {
                    loaded++;
                    lines += result.linesRead();
                    rows += result.rowsLoaded();
                    duplicates += result.rowsDuplicate();
                    quarantined += result.rowsQuarantined();
                } else {
                    alreadyLoaded++;
                }
                progress.accept(new ObjectOutcome(object.key(), result, null));
            } catch (WarehouseException | SdkException e) {
                failedKeys.add(object.key());
                progress.accept(new ObjectOutcome(object.key(), null, e.getMessage()));
            }
        }
        return new LoaderReport(pending.size(), loaded, alreadyLoaded, failedKeys, deferred, lines, rows, duplicates,
                quarantined, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Raw objects of the lookback window whose current version is not in the load log, oldest key first. */
    List<S3Object> pendingObjects() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<S3Object> pending = new ArrayList<>();
        for (int back = lookbackDays - 1; back >= 0; back--) {
            String dayPrefix = rawPrefix + "dt=" + today.minusDays(back) + "/";
            Set<LoadedObject> done = new HashSet<>(warehouse.loadedObjects(dayPrefix));
            s3.listObjectsV2Paginator(b -> b.bucket(rawBucket).prefix(dayPrefix)).contents().stream()
                    .filter(o -> !o.key().endsWith("/"))
                    .filter(o -> !done.contains(new LoadedObject(o.key(), LoadedObject.normalizeEtag(o.eTag()))))
                    .forEach(pending::add);
        }
        return pending;
    }
}
