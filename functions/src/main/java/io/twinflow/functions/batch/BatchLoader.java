package io.twinflow.functions.batch;

import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadedObject;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.RawObjectLoader;
import io.twinflow.warehouse.WarehouseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The batch loader's logic: find the raw archive objects not yet in the warehouse's load log (by key
 * and ETag) and load each one (staging + MERGE + load log, one transaction per object, in the
 * warehouse adapter).
 *
 * <p>No horizon: the warehouse keeps a watermark per raw prefix, the oldest {@code dt=} partition that
 * may still hold an object not loaded. A run lists from the watermark (S3 {@code StartAfter}), or from
 * {@code lookbackDays} before today when that is earlier (objects can land in a partition shortly
 * after its day ends), and moves the watermark to the oldest partition that still holds an object not
 * loaded. An object that fails, or an outage of any length, therefore only holds the watermark back: the
 * object is retried every run until it loads, and it is reported meanwhile ({@code unloadedObjects},
 * {@code oldestUnloadedObjectAgeSeconds}). Before the first run there is no watermark and the whole
 * archive is listed once.
 *
 * <p>Safe to run twice, concurrently, or after a crash at any step: an object is either fully loaded
 * and logged or not at all, and the warehouse never loads an object version twice. A watermark saved by
 * a racing run is never past an object either run saw unloaded.
 */
public final class BatchLoader {

    /** Below this much remaining time no new object is started (Lambda's 15-minute limit). */
    static final long SAFETY_MARGIN_MILLIS = 60_000;

    private final RawObjectLoader warehouse;
    private final S3Client s3;
    private final String rawBucket;
    private final String rawPrefix;
    private final int lookbackDays;
    private final Clock clock;

    /**
     * @param lookbackDays the partitions before and including today that every run lists, whatever
     *     the watermark ({@code TWINFLOW_LOADER_LOOKBACK_DAYS})
     */
    public BatchLoader(RawObjectLoader warehouse, S3Client s3, String rawBucket, String rawPrefix, int lookbackDays, Clock clock) {
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
     * Loads every object from the watermark on and moves the watermark.
     *
     * @param remainingMillis time left in the invocation; work stops cleanly before it runs out
     * @param progress called after each object
     */
    public LoaderReport run(LongSupplier remainingMillis, Consumer<ObjectOutcome> progress) {
        long started = System.nanoTime();
        LocalDate relistFrom = today().minusDays(lookbackDays - 1L);
        Optional<LocalDate> watermark = warehouse.loaderWatermark(rawPrefix);
        LocalDate from = watermark.map(w -> w.isBefore(relistFrom) ? w : relistFrom).orElse(null);
        List<S3Object> pending = list(from);
        Run result = load(pending, remainingMillis, progress);
        LocalDate oldestUnloaded = result.unloaded().stream().map(o -> partitionOf(o.key())).min(LocalDate::compareTo)
                .filter(d -> d.isBefore(relistFrom)).orElse(relistFrom);
        warehouse.saveLoaderWatermark(rawPrefix, oldestUnloaded);
        return result.report(pending.size(), oldestUnloaded, started);
    }

    /**
     * Loads the objects of one arrival partition only ({@code dt=day}); the watermark is neither read
     * nor moved. For re-running a given day by hand.
     */
    public LoaderReport runPartition(LocalDate day, LongSupplier remainingMillis, Consumer<ObjectOutcome> progress) {
        long started = System.nanoTime();
        List<S3Object> pending = notLoaded(day,
                s3.listObjectsV2Paginator(b -> b.bucket(rawBucket).prefix(partitionPrefix(day))).contents().stream().toList());
        return load(pending, remainingMillis, progress).report(pending.size(), null, started);
    }

    /**
     * The objects of every {@code dt=} partition from {@code from} on (all of them when null) whose
     * current version is not in the load log, oldest partition first. Keys under the prefix that are
     * not in a {@code dt=YYYY-MM-DD/} partition are not the archive's and are skipped.
     */
    private List<S3Object> list(LocalDate from) {
        String partitions = rawPrefix + "dt=";
        Map<LocalDate, List<S3Object>> byDay = new TreeMap<>();
        s3.listObjectsV2Paginator(b -> {
            b.bucket(rawBucket).prefix(partitions);
            if (from != null) {
                // "raw/dt=D" sorts after every key of the partitions before D and before every key of D.
                b.startAfter(partitions + from);
            }
        }).contents().forEach(o -> {
            LocalDate day = partitionOf(o.key());
            if (day != null) {
                byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(o);
            }
        });
        List<S3Object> pending = new ArrayList<>();
        byDay.forEach((day, objects) -> pending.addAll(notLoaded(day, objects)));
        return pending;
    }

    /** The objects of one partition whose current version (key and ETag) is not in the load log. */
    private List<S3Object> notLoaded(LocalDate day, List<S3Object> objects) {
        Set<LoadedObject> done = new HashSet<>(warehouse.loadedObjects(partitionPrefix(day)));
        return objects.stream()
                .filter(o -> !o.key().endsWith("/"))
                .filter(o -> !done.contains(new LoadedObject(o.key(), LoadedObject.normalizeEtag(o.eTag()))))
                .toList();
    }

    private String partitionPrefix(LocalDate day) {
        return rawPrefix + "dt=" + day + "/";
    }

    /** The day of a key's {@code dt=YYYY-MM-DD/} partition, or null for a key outside the partitions. */
    private LocalDate partitionOf(String key) {
        int start = rawPrefix.length() + "dt=".length();
        int end = start + 10;
        if (!key.startsWith(rawPrefix + "dt=") || key.length() <= end || key.charAt(end) != '/') {
            return null;
        }
        try {
            return LocalDate.parse(key.substring(start, end));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** What loading a list of objects did, and which of them are still not loaded. */
    private final class Run {
        long loaded;
        long alreadyLoaded;
        long rows;
        long duplicates;
        long quarantined;
        long lines;
        int deferred;
        final List<String> failedKeys = new ArrayList<>();
        final List<S3Object> unloaded = new ArrayList<>();

        List<S3Object> unloaded() {
            return unloaded;
        }

        LoaderReport report(int pending, LocalDate watermark, long started) {
            Instant now = clock.instant();
            long oldestAge = unloaded.stream().map(S3Object::lastModified).filter(t -> t != null).min(Instant::compareTo)
                    .map(t -> Math.max(0, Duration.between(t, now).toSeconds())).orElse(0L);
            return new LoaderReport(pending, loaded, alreadyLoaded, failedKeys, deferred, lines, rows, duplicates,
                    quarantined, Duration.ofNanos(System.nanoTime() - started), unloaded.size(), oldestAge, watermark, now);
        }
    }

    private Run load(List<S3Object> pending, LongSupplier remainingMillis, Consumer<ObjectOutcome> progress) {
        Run run = new Run();
        for (S3Object object : pending) {
            if (remainingMillis.getAsLong() < SAFETY_MARGIN_MILLIS) {
                run.deferred++;
                run.unloaded.add(object);
                continue;
            }
            try {
                LoadResult result = warehouse.load(new RawObject(rawBucket, object.key()));
                if (result.status() == LoadResult.Status.LOADED) {
                    run.loaded++;
                    run.lines += result.linesRead();
                    run.rows += result.rowsLoaded();
                    run.duplicates += result.rowsDuplicate();
                    run.quarantined += result.rowsQuarantined();
                } else {
                    run.alreadyLoaded++;
                }
                progress.accept(new ObjectOutcome(object.key(), result, null));
            } catch (WarehouseException | SdkException e) {
                run.failedKeys.add(object.key());
                run.unloaded.add(object);
                progress.accept(new ObjectOutcome(object.key(), null, e.getMessage()));
            }
        }
        return run;
    }
}
