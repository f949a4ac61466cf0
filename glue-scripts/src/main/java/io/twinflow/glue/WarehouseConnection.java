package io.twinflow.glue;

import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.QueryResult;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import io.twinflow.warehouse.redshift.RedshiftDataApiWarehouse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens the warehouse adapter the arguments name, and closes the clients it built. SDK clients use
 * the JDK's HTTP stack: it needs nothing from Glue's classpath and starts fast. Region and
 * credentials come from the environment, as Glue provides them.
 *
 * <p>It is also the job's one reader of {@code <schema>.rollup_requests}, the days the batch loader
 * found late events for (written by the loader, migration V004). A warehouse without that table (one
 * migrated before V004) has no requests: the job still rolls up its own day.
 */
final class WarehouseConnection implements AutoCloseable {

    private final Warehouse warehouse;
    private final String schema;
    private final List<AutoCloseable> clients;
    private Boolean hasRequests;

    private WarehouseConnection(Warehouse warehouse, String schema, List<AutoCloseable> clients) {
        this.warehouse = warehouse;
        this.schema = schema;
        this.clients = clients;
    }

    static WarehouseConnection open(JobArguments.Warehouse target) {
        List<AutoCloseable> clients = new ArrayList<>();
        Warehouse warehouse = null;
        String schema = null;
        if (target instanceof JobArguments.Warehouse.Jdbc jdbc) {
            schema = jdbc.schema();
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(jdbc.url());
            dataSource.setUser(jdbc.user());
            dataSource.setPassword(jdbc.password());
            // JdbcWarehouse takes an S3 client for loading raw objects; writing summaries never calls
            // it, so it gets one that cannot sign for anything.
            S3Client unused = S3Client.builder().region(Region.US_EAST_1)
                    .credentialsProvider(AnonymousCredentialsProvider.create())
                    .httpClient(UrlConnectionHttpClient.create()).build();
            clients.add(unused);
            warehouse = new JdbcWarehouse(dataSource, unused, jdbc.schema());
        } else if (target instanceof JobArguments.Warehouse.RedshiftData r) {
            schema = r.schema();
            RedshiftDataClient data = RedshiftDataClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
            clients.add(data);
            S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
            clients.add(s3);
            RedshiftDataApiSettings settings = new RedshiftDataApiSettings(r.database(), r.workgroup(), r.cluster(),
                    r.secretArn(), r.dbUser(), r.copyRoleArn(), r.stagingBucket(), r.stagingPrefix(),
                    RedshiftDataApiSettings.DEFAULT_POLL_INITIAL, RedshiftDataApiSettings.DEFAULT_POLL_MAX,
                    RedshiftDataApiSettings.DEFAULT_STATEMENT_TIMEOUT);
            warehouse = new RedshiftDataApiWarehouse(data, s3, settings, r.schema());
        }
        return new WarehouseConnection(warehouse, schema, clients);
    }

    /** The adapter, or null when the arguments named no warehouse. */
    Warehouse warehouse() {
        return warehouse;
    }

    /** The days before {@code day} that have rollup requests, oldest first; none without a warehouse or the table. */
    List<LocalDate> requestedDaysBefore(LocalDate day) {
        if (!hasRollupRequests()) {
            return List.of();
        }
        QueryResult result = warehouse.query("SELECT DISTINCT dt FROM " + schema + ".rollup_requests WHERE dt < CAST('"
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
            warehouse.replaceDaySummaries(day, daily, hourly, listedAt);
        } else {
            warehouse.replaceDaySummaries(day, daily, hourly);
        }
    }

    private boolean hasRollupRequests() {
        if (hasRequests == null) {
            hasRequests = warehouse != null && !warehouse.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
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
