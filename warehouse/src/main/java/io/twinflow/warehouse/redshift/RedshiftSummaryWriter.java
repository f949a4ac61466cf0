package io.twinflow.warehouse.redshift;

import io.twinflow.warehouse.DeviceSummary;
import io.twinflow.warehouse.SummaryWriter;
import io.twinflow.warehouse.sql.CopySql;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.SchemaName;
import io.twinflow.warehouse.sql.SqlLiterals;
import io.twinflow.warehouse.sql.SummarySql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes the rollup's summaries to Redshift: each table's rows go to S3 as a gzip CSV staging object,
 * and one {@code BatchExecuteStatement} transaction takes the summary lock, deletes the day and COPYs
 * the objects in. The staging objects are deleted afterwards, whatever happened.
 */
public final class RedshiftSummaryWriter implements SummaryWriter {

    private final DataApiStatements statements;
    private final StagingObjects staging;
    private final String copyRoleArn;
    private final Clock clock;
    private final SummarySql summarySql;

    public RedshiftSummaryWriter(RedshiftDataClient client, S3Client s3, RedshiftDataApiSettings settings, String schema) {
        this(DataApiStatements.of(client, settings), new StagingObjects(Objects.requireNonNull(s3, "s3"), settings),
                settings.copyRoleArn(), SchemaName.require(schema), Clock.systemUTC());
    }

    RedshiftSummaryWriter(DataApiStatements statements, StagingObjects staging, String copyRoleArn, String schema, Clock clock) {
        this.statements = statements;
        this.staging = staging;
        this.copyRoleArn = copyRoleArn;
        this.clock = clock;
        this.summarySql = new SummarySql(Dialect.REDSHIFT, schema);
    }

    @Override
    public void replaceDaySummaries(LocalDate dt, List<DeviceSummary> daily, List<DeviceSummary> hourly, Optional<Instant> requestsUpTo) {
        List<SummarySql.TableLoad> loads = summarySql.tableLoads(dt, daily, hourly, SqlLiterals.stored(clock.instant()));
        List<String> keys = new ArrayList<>();
        try {
            List<String> batch = new ArrayList<>(summarySql.clearDay(dt, requestsUpTo));
            for (SummarySql.TableLoad load : loads) {
                if (load.rows() == 0) {
                    continue;
                }
                String key = staging.key("summaries/" + dt + "/" + UUID.randomUUID() + ".csv.gz");
                keys.add(key);
                try {
                    staging.put(key, "twinflow-summary-", load.csv());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write staging object " + key, e);
                }
                batch.add(CopySql.fromS3(Dialect.REDSHIFT, load.table(), load.columns(), staging.uri(key), copyRoleArn));
            }
            statements.runBatch(batch, "twinflow-summaries-" + dt);
        } finally {
            keys.forEach(staging::delete);
        }
    }

    @Override
    public List<LocalDate> pendingRollupDays() {
        return SummarySql.days(statements.query(summarySql.pendingRollupDays(), List.of()));
    }
}
