package io.twinflow.local.batch;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.batch.BatchLoader;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The batch path against a local stack: the loader in-process ({@link BatchLoader} on {@link JdbcWarehouse},
 * the same logic the Lambda runs on the Redshift adapter) and the rollup in its own JVM
 * ({@link RollupLauncher}). Works from any process that has the stack's endpoints, the stack's own or a
 * separate {@code twinflow batch run}.
 */
public final class LocalBatch implements AutoCloseable {

    private final Endpoints endpoints;
    private final PipelineSpec spec;
    private final S3Client s3;
    private final JdbcWarehouse warehouse;
    private final int lookbackDays;

    private LocalBatch(Endpoints endpoints, PipelineSpec spec, S3Client s3, JdbcWarehouse warehouse, int lookbackDays) {
        this.endpoints = endpoints;
        this.spec = spec;
        this.s3 = s3;
        this.warehouse = warehouse;
        this.lookbackDays = lookbackDays;
    }

    public static LocalBatch connect(Endpoints endpoints) {
        ServiceClients clients = ServiceClients.local(endpoints);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(endpoints.postgres().jdbcUrl());
        dataSource.setUser(endpoints.postgres().user());
        dataSource.setPassword(endpoints.postgres().password());
        S3Client s3 = clients.s3();
        PipelineSpec spec = clients.spec();
        // The deployed loader's lookback, limits and window size, from the same settings class and defaults.
        FunctionSettings settings = FunctionSettings.fromEnvironment(Map.of("TWINFLOW_PREFIX", spec.prefix()));
        return new LocalBatch(endpoints, spec, s3, new JdbcWarehouse(dataSource, s3, spec.warehouse().schema(),
                LoadRules.of(settings.decoderLimits(), settings.windows())), settings.loaderLookbackDays());
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public PipelineSpec spec() {
        return spec;
    }

    /**
     * Loads the raw objects not yet in the load log.
     *
     * @param arrivalDay only the objects that arrived on this day ({@code raw/dt=D/}); empty: as the deployed
     *     loader does, every partition from the loader's watermark on
     */
    public LoaderReport load(Optional<LocalDate> arrivalDay, Consumer<BatchLoader.ObjectOutcome> progress) {
        BatchLoader loader = new BatchLoader(warehouse, s3, spec.buckets().raw(), spec.buckets().rawPrefix(),
                lookbackDays, Clock.systemUTC());
        // No Lambda deadline locally: the whole backlog is loaded in one run.
        return arrivalDay.map(day -> loader.runPartition(day, () -> Long.MAX_VALUE, progress))
                .orElseGet(() -> loader.run(() -> Long.MAX_VALUE, progress));
    }

    /** Runs the rollup for each day in turn; stops at the first failure. */
    public List<RollupLauncher.Result> rollup(List<LocalDate> days, Path log) throws InterruptedException {
        RollupLauncher launcher = launcher();
        List<RollupLauncher.Result> results = new ArrayList<>();
        for (LocalDate day : days) {
            RollupLauncher.Result result = launcher.run(day, endpoints, spec, log);
            results.add(result);
            if (!result.succeeded()) {
                break;
            }
        }
        return results;
    }

    /**
     * Runs the rollup as the schedule fired at {@code scheduledTime} does: its day, after every earlier
     * day the loader requested a rollup for.
     */
    public RollupLauncher.Result scheduledRollup(Instant scheduledTime, Path log) throws InterruptedException {
        return launcher().runScheduled(scheduledTime, endpoints, spec, log);
    }

    private static RollupLauncher launcher() {
        return RollupLauncher.locate().orElseThrow(() -> new IllegalStateException(RollupLauncher.missingMessage()));
    }

    @Override
    public void close() {
        s3.close();
    }
}
