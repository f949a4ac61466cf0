package io.twinflow.glue;

import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.SummaryWriter;
import io.twinflow.warehouse.WarehouseQueries;
import io.twinflow.warehouse.jdbc.JdbcQueries;
import io.twinflow.warehouse.jdbc.JdbcSummaryWriter;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import io.twinflow.warehouse.redshift.RedshiftDataApiWarehouse;
import io.twinflow.warehouse.redshift.RedshiftQueries;
import io.twinflow.warehouse.redshift.RedshiftSummaryWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens the warehouse the arguments name, as the job uses it: it writes summaries and runs queries,
 * and never loads raw objects, so it builds no more than those two roles need (on PostgreSQL, only the
 * database). Closes the clients it built. SDK clients use the JDK's HTTP stack: it needs nothing from
 * Glue's classpath and starts fast. Region and credentials come from the environment, as Glue provides
 * them.
 *
 * <p>It is also the job's one reader of {@code <schema>.rollup_requests}, the days the batch loader
 * found late events for (written by the loader, migration V004). A warehouse without that table (one
 * migrated before V004) has no requests: the job still rolls up its own day.
 */
final class WarehouseConnection implements AutoCloseable {

    private final SummaryWriter summaries;
    private final WarehouseQueries queries;
    private final String engine;
    private final String schema;
    private final List<AutoCloseable> clients;
    private Boolean hasRequests;

    private WarehouseConnection(SummaryWriter summaries, WarehouseQueries queries, String engine, String schema,
                                List<AutoCloseable> clients) {
        this.summaries = summaries;
        this.queries = queries;
        this.engine = engine;
        this.schema = schema;
        this.clients = clients;
    }

    static WarehouseConnection open(JobArguments.Warehouse target) {
        if (target instanceof JobArguments.Warehouse.Jdbc jdbc) {
            DataSource dataSource = JdbcWarehouse.dataSource(jdbc.url(), jdbc.user(), jdbc.password());
            return new WarehouseConnection(new JdbcSummaryWriter(dataSource, jdbc.schema()), new JdbcQueries(dataSource),
                    JdbcWarehouse.class.getSimpleName(), jdbc.schema(), List.of());
        }
        if (target instanceof JobArguments.Warehouse.RedshiftData r) {
            RedshiftDataClient data = RedshiftDataClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
            // The summaries are staged in S3 for COPY.
            S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
            RedshiftDataApiSettings settings = RedshiftDataApiSettings.builder().database(r.database()).workgroupName(r.workgroup())
                    .clusterIdentifier(r.cluster()).secretArn(r.secretArn()).dbUser(r.dbUser()).copyRoleArn(r.copyRoleArn())
                    .stagingBucket(r.stagingBucket()).stagingPrefix(r.stagingPrefix()).build();
            return new WarehouseConnection(new RedshiftSummaryWriter(data, s3, settings, r.schema()), new RedshiftQueries(data, settings),
                    RedshiftDataApiWarehouse.class.getSimpleName(), r.schema(), List.of(data, s3));
        }
        return new WarehouseConnection(null, null, null, null, List.of());
    }

    /** Whether the arguments named a warehouse to write the summaries to. */
    boolean writesSummaries() {
        return summaries != null;
    }

    /** The warehouse adapter's name, for the run's report. */
    String engine() {
        return engine;
    }

    /** The days before {@code day} that have rollup requests, oldest first; none without a warehouse or the table. */
    List<LocalDate> requestedDaysBefore(LocalDate day) {
        if (!hasRollupRequests()) {
            return List.of();
        }
        QueryResult result = queries.query("SELECT DISTINCT dt FROM " + schema + ".rollup_requests WHERE dt < CAST('"
                + day + "' AS DATE) ORDER BY dt");
        List<LocalDate> days = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            // A DATE comes back as its text; take the date part whatever time a driver appends.
            days.add(LocalDate.parse(String.valueOf(row.get(0)).substring(0, 10)));
        }
        return days;
    }

    /**
     * Replaces the day's summaries and, in the same transaction, consumes the day's rollup requests made up
     * to {@code listedAt}, the time the job started listing the raw objects it summarised: every object
     * loaded by then was in the listing, so its events are in these summaries. A request made later stays
     * for the next run.
     */
    void replaceDaySummaries(LocalDate day, List<DeviceSummary> daily, List<DeviceSummary> hourly, Instant listedAt) {
        if (hasRollupRequests()) {
            summaries.replaceDaySummaries(day, daily, hourly, listedAt);
        } else {
            summaries.replaceDaySummaries(day, daily, hourly);
        }
    }

    private boolean hasRollupRequests() {
        if (hasRequests == null) {
            hasRequests = queries != null && !queries.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                    + schema.toLowerCase(Locale.ROOT).replace("'", "''") + "' AND table_name = 'rollup_requests'").rows().isEmpty();
        }
        return hasRequests;
    }

    @Override
    public void close() {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                // Closing an idle SDK client only releases threads; nothing to recover.
                System.err.println("closing a warehouse client failed: " + e);
            }
        }
    }
}
