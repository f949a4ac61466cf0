package io.twinflow.warehouse;

import io.twinflow.core.alert.AlertRules;
import java.util.List;

/**
 * The whole warehouse, whatever engine is behind it: {@link io.twinflow.warehouse.redshift.RedshiftDataApiWarehouse}
 * in AWS, {@link io.twinflow.warehouse.jdbc.JdbcWarehouse} on PostgreSQL locally. For whoever sets a
 * warehouse up and then uses every role (the local runtime, the CLI, tests); a caller with one job takes
 * that role's interface ({@link RawObjectLoader}, {@link SummaryWriter}, {@link WarehouseQueries}).
 * Every operation is one transaction and safe to repeat.
 */
public interface Warehouse extends RawObjectLoader, SummaryWriter, WarehouseQueries {

    /** Applies the migrations not yet applied; returns their versions. Safe to run concurrently. */
    List<Integer> migrate();

    /** Replaces the alert rules the alert report applies, so it uses the stream's thresholds. */
    void replaceAlertRules(AlertRules rules);
}
