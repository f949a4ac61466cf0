package io.twinflow.glue;

import io.twinflow.warehouse.JdbcWarehouse;
import io.twinflow.warehouse.RedshiftDataApiSettings;
import io.twinflow.warehouse.RedshiftDataApiWarehouse;
import io.twinflow.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
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
 */
final class WarehouseConnection implements AutoCloseable {

    private final Warehouse warehouse;
    private final List<AutoCloseable> clients;

    private WarehouseConnection(Warehouse warehouse, List<AutoCloseable> clients) {
        this.warehouse = warehouse;
        this.clients = clients;
    }

    static WarehouseConnection open(JobArguments.Warehouse target) {
        List<AutoCloseable> clients = new ArrayList<>();
        Warehouse warehouse = null;
        if (target instanceof JobArguments.Warehouse.Jdbc jdbc) {
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
        return new WarehouseConnection(warehouse, clients);
    }

    /** The adapter, or null when the arguments named no warehouse. */
    Warehouse warehouse() {
        return warehouse;
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
