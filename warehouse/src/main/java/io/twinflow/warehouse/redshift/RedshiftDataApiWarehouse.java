package io.twinflow.warehouse.redshift;

import io.twinflow.core.alert.AlertRules;
import io.twinflow.warehouse.AbstractWarehouse;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.Migration;
import io.twinflow.warehouse.sql.Migrations;
import io.twinflow.warehouse.sql.SchemaName;
import io.twinflow.warehouse.sql.SummarySql;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole warehouse on Amazon Redshift through the Data API (no drivers, no connections to keep
 * alive in a Lambda): loads raw objects ({@link RedshiftRawObjectLoader}), writes summaries
 * ({@link RedshiftSummaryWriter}), runs queries ({@link RedshiftQueries}), and migrates the schema one
 * batch per migration under the migration lock.
 */
public final class RedshiftDataApiWarehouse extends AbstractWarehouse {

    private static final Dialect DIALECT = Dialect.REDSHIFT;

    private final DataApiStatements statements;
    private final String schema;

    /** An adapter that judges lines by the configured rules (decoder limits, window size). */
    public RedshiftDataApiWarehouse(RedshiftDataClient client, S3Client s3, RedshiftDataApiSettings settings, String schema,
                                    LoadRules rules) {
        this(DataApiStatements.of(client, settings), s3, settings, schema, rules, Clock.systemUTC());
    }

    /** With a clock and a poller that tests control. */
    RedshiftDataApiWarehouse(RedshiftDataClient client, S3Client s3, RedshiftDataApiSettings settings, String schema,
                             LoadRules rules, Clock clock, DataApiStatements.Sleeper sleeper, LongSupplier nanoTime) {
        this(new DataApiStatements(Objects.requireNonNull(client, "client"), Objects.requireNonNull(settings, "settings"), sleeper,
                nanoTime), s3, settings, schema, rules, clock);
    }

    private RedshiftDataApiWarehouse(DataApiStatements statements, S3Client s3, RedshiftDataApiSettings settings, String schema,
                                     LoadRules rules, Clock clock) {
        this(statements, new StagingObjects(Objects.requireNonNull(s3, "s3"), settings), s3, settings.copyRoleArn(),
                SchemaName.require(schema), Objects.requireNonNull(rules, "rules"), Objects.requireNonNull(clock, "clock"));
    }

    private RedshiftDataApiWarehouse(DataApiStatements statements, StagingObjects staging, S3Client s3, String copyRoleArn,
                                     String schema, LoadRules rules, Clock clock) {
        super(new RedshiftRawObjectLoader(statements, s3, staging, copyRoleArn, schema, rules, clock),
                new RedshiftSummaryWriter(statements, staging, copyRoleArn, schema, clock), new RedshiftQueries(statements));
        this.statements = statements;
        this.schema = schema;
    }

    @Override
    public List<Integer> migrate() {
        statements.runBatch(Migrations.bootstrap(schema), "twinflow-migrate-bootstrap");
        Map<Integer, String> applied = appliedChecksums();
        List<Integer> versions = new ArrayList<>();
        for (Migration migration : Migrations.pending(Migrations.all(), applied)) {
            List<String> batch = new ArrayList<>();
            batch.add(DIALECT.lockForMigrations(schema));
            batch.addAll(migration.statements(DIALECT, schema));
            batch.add(Migrations.record(DIALECT, schema, migration));
            try {
                statements.runBatch(batch, "twinflow-migrate-v" + migration.version());
            } catch (DataApiStatementException e) {
                // A racing runner applied it between our read and our LOCK: its ALTERs fail a second time
                // (Redshift has no ADD COLUMN IF NOT EXISTS) and roll this batch back, which is fine.
                if (!appliedChecksums().containsKey(migration.version())) {
                    throw e;
                }
                continue;
            }
            versions.add(migration.version());
        }
        return versions;
    }

    private Map<Integer, String> appliedChecksums() {
        Map<Integer, String> applied = new HashMap<>();
        for (List<Object> row : statements.query(Migrations.selectApplied(schema), List.of()).rows()) {
            applied.put(((Number) row.get(0)).intValue(), (String) row.get(1));
        }
        return applied;
    }

    @Override
    public void replaceAlertRules(AlertRules rules) {
        statements.runBatch(new SummarySql(DIALECT, schema).replaceAlertRules(rules), "twinflow-alert-rules");
    }
}
