package io.twinflow.warehouse;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * The batch loader's view of the warehouse: raw archive objects go in, each exactly once, and the
 * loader keeps its horizon here. Every operation is one transaction and safe to repeat.
 */
public interface RawObjectLoader {

    /**
     * Loads one raw archive object (gzip NDJSON) into {@code events} and {@code quarantine} and records
     * it in {@code load_log}, all or nothing. An object version (key and ETag) that is already loaded
     * is not loaded again; events already in the warehouse are not duplicated.
     */
    LoadResult load(RawObject object);

    /** The object versions under {@code keyPrefix} that are loaded: the batch loader skips these. */
    Set<LoadedObject> loadedObjects(String keyPrefix);

    /**
     * The batch loader's horizon for a raw prefix: the oldest {@code dt=} partition that may still hold
     * an object not loaded. Empty before the first run (the loader then lists the whole archive once).
     */
    Optional<LocalDate> loaderWatermark(String rawPrefix);

    /** Stores the loader's horizon for a raw prefix (replacing the previous one). */
    void saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded);
}
