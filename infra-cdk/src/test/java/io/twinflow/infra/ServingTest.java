package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** {@link Serving} in the synthesized default stack: the live-state tables. */
class ServingTest {

    @Test
    void everyTableIsOnDemandEncryptedWithTheDataKeyAndRecoverable() {
        TEMPLATE.resourceCountIs("AWS::DynamoDB::Table", 3);
        for (LiveTables.TableDefinition table : definitions()) {
            List<Object> keys = new ArrayList<>();
            keys.add(Map.of("AttributeName", table.partitionKey(), "KeyType", "HASH"));
            if (table.sortKey() != null) {
                keys.add(Map.of("AttributeName", table.sortKey(), "KeyType", "RANGE"));
            }
            TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                    "TableName", table.name(),
                    "KeySchema", keys,
                    "BillingMode", "PAY_PER_REQUEST",
                    "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                    "SSESpecification", Map.of("SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", Match.anyValue()),
                    "DeletionProtectionEnabled", true));
        }
    }

    @Test
    void windowAndAlertItemsExpireByTheTtlAttributeTheFunctionsWrite() {
        PipelineSpec.Tables names = SPEC.tables();
        for (String table : List.of(names.deviceWindows(), names.alerts())) {
            TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", table,
                    "TimeToLiveSpecification", Map.of("AttributeName", LiveTables.EXPIRES_AT, "Enabled", true)));
        }
        TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", names.deviceState(),
                "TimeToLiveSpecification", Match.absent()));
    }

    private List<LiveTables.TableDefinition> definitions() {
        PipelineSpec.Tables names = SPEC.tables();
        return LiveTables.definitions(names.deviceState(), names.deviceWindows(), names.alerts());
    }
}
