package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.batch.LocalBatch;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.Warehouse;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import io.twinflow.warehouse.redshift.RedshiftDataApiWarehouse;
import java.util.function.Function;
import picocli.CommandLine;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which warehouse a command reads: the local stack's PostgreSQL (from the endpoints file), or with
 * {@code --target aws} Amazon Redshift through the Data API. Redshift settings come from these options,
 * else from the {@code TWINFLOW_REDSHIFT_*} variables the deployed functions use.
 */
public final class WarehouseOptions {

    @CommandLine.Option(names = "--workgroup", description = "Redshift Serverless workgroup (--target aws). Default: $TWINFLOW_REDSHIFT_WORKGROUP.")
    String workgroup;

    @CommandLine.Option(names = "--cluster", description = "Provisioned Redshift cluster, instead of --workgroup. Default: $TWINFLOW_REDSHIFT_CLUSTER.")
    String cluster;

    @CommandLine.Option(names = "--database", description = "Redshift database. Default: $TWINFLOW_REDSHIFT_DATABASE, else the pipeline's.")
    String database;

    @CommandLine.Option(names = "--secret-arn", description = "Secrets Manager secret with the database credentials. Default: $TWINFLOW_REDSHIFT_SECRET_ARN.")
    String secretArn;

    @CommandLine.Option(names = "--db-user",
            description = "Database user for temporary credentials (provisioned clusters). Default: $TWINFLOW_REDSHIFT_DB_USER.")
    String dbUser;

    /** A warehouse and everything that has to be closed with it. */
    public record Connection(Warehouse warehouse, AutoCloseable resources) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resources.close();
        }
    }

    public Connection open(ServiceClients clients) {
        if (clients.localEndpoints().isPresent()) {
            LocalBatch local = LocalBatch.connect(clients.localEndpoints().get());
            return new Connection(local.warehouse(), local);
        }
        RedshiftDataApiSettings settings = settings(clients, System::getenv);
        RedshiftDataClient redshift = clients.redshiftData();
        S3Client s3 = clients.s3();
        // Queries and reconciliation never load raw objects: the default load rules are never applied here.
        return new Connection(new RedshiftDataApiWarehouse(redshift, s3, settings, clients.spec().warehouse().schema(), LoadRules.defaults()), () -> {
            redshift.close();
            s3.close();
        });
    }

    RedshiftDataApiSettings settings(ServiceClients clients, Function<String, String> env) {
        String db = first(database, env.apply(RedshiftDataApiSettings.ENV_DATABASE), clients.spec().warehouse().database());
        String wg = first(workgroup, cluster == null ? env.apply(RedshiftDataApiSettings.ENV_WORKGROUP) : null, null);
        String cl = first(cluster, wg == null ? env.apply(RedshiftDataApiSettings.ENV_CLUSTER) : null, null);
        if (wg == null && cl == null) {
            throw new UserMistakeException("--target aws needs --workgroup or --cluster (or TWINFLOW_REDSHIFT_WORKGROUP / _CLUSTER)");
        }
        String secret = first(secretArn, env.apply(RedshiftDataApiSettings.ENV_SECRET_ARN), null);
        String user = first(dbUser, env.apply(RedshiftDataApiSettings.ENV_DB_USER), null);
        // Queries never COPY: the load role and staging bucket the adapter also holds are not used here.
        return RedshiftDataApiSettings.builder().database(db).workgroupName(wg).clusterIdentifier(cl).secretArn(secret).dbUser(user)
                .copyRoleArn("").stagingBucket("").stagingPrefix("").build();
    }

    private static String first(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : fallback;
    }
}
