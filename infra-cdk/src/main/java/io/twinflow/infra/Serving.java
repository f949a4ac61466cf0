package io.twinflow.infra;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveTables;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The live-state tables that apps and dashboards query: device state, per-window aggregates and
 * alerts. Key schema, indexes and TTL attribute come from {@link LiveTables}, the same model the functions use.
 */
public final class Serving extends Construct {

    public final Table deviceState;
    public final Table deviceWindows;
    public final Table alerts;

    public record Props(PipelineSpec spec, IKey key, RemovalPolicy removalPolicy) {
    }

    public Serving(Construct scope, String id, Props props) {
        super(scope, id);
        PipelineSpec.Tables names = props.spec().tables();
        List<LiveTables.TableDefinition> definitions =
                LiveTables.definitions(names.deviceState(), names.deviceWindows(), names.alerts());
        // The state holds one item per device, kept for good; window and alert items age out by TTL.
        deviceState = table("DeviceState", definition(definitions, names.deviceState()), false, props);
        deviceWindows = table("DeviceWindows", definition(definitions, names.deviceWindows()), true, props);
        alerts = table("Alerts", definition(definitions, names.alerts()), true, props);
    }

    public List<Table> all() {
        return List.of(deviceState, deviceWindows, alerts);
    }

    private Table table(String id, LiveTables.TableDefinition definition, boolean expires, Props props) {
        Table.Builder builder = Table.Builder.create(this, id)
                .tableName(definition.name())
                .partitionKey(Attribute.builder().name(definition.partitionKey()).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(props.key())
                .deletionProtection(props.removalPolicy() == RemovalPolicy.RETAIN)
                .removalPolicy(props.removalPolicy());
        if (definition.sortKey() != null) {
            builder.sortKey(Attribute.builder().name(definition.sortKey()).type(AttributeType.STRING).build());
        }
        if (expires) {
            builder.timeToLiveAttribute(LiveTables.EXPIRES_AT);
        }
        Table table = builder.build();
        for (LiveTables.IndexDefinition index : definition.indexes()) {
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(Attribute.builder().name(index.partitionKey()).type(AttributeType.STRING).build())
                    .sortKey(Attribute.builder().name(index.sortKey()).type(AttributeType.STRING).build())
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        return table;
    }

    private static LiveTables.TableDefinition definition(List<LiveTables.TableDefinition> definitions, String name) {
        return definitions.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("LiveTables defines no table " + name));
    }
}
