package io.twinflow.warehouse;

import io.twinflow.warehouse.sql.Dialect;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Warehouse} made of one engine's role implementations: each role's calls go to its part,
 * and the engine adds what sets the warehouse up ({@link #migrate}, {@link #replaceAlertRules}).
 */
public abstract class AbstractWarehouse implements Warehouse {

    private final RawObjectLoader loader;
    private final SummaryWriter summaries;
    private final WarehouseQueries queries;

    protected AbstractWarehouse(RawObjectLoader loader, SummaryWriter summaries, WarehouseQueries queries) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.summaries = Objects.requireNonNull(summaries, "summaries");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public LoadResult load(RawObject object) {
        return loader.load(object);
    }

    @Override
    public Set<LoadedObject> loadedObjects(String keyPrefix) {
        return loader.loadedObjects(keyPrefix);
    }

    @Override
    public Optional<LocalDate> loaderWatermark(String rawPrefix) {
        return loader.loaderWatermark(rawPrefix);
    }

    @Override
    public void saveLoaderWatermark(String rawPrefix, LocalDate oldestUnloaded) {
        loader.saveLoaderWatermark(rawPrefix, oldestUnloaded);
    }

    @Override
    public void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Optional<Instant> requestsUpTo) {
        summaries.replaceDaySummaries(dt, daily, hourly, requestsUpTo);
    }

    @Override
    public List<LocalDate> pendingRollupDays() {
        return summaries.pendingRollupDays();
    }

    @Override
    public QueryResult query(String sql) {
        return queries.query(sql);
    }

    @Override
    public Dialect dialect() {
        return queries.dialect();
    }
}
