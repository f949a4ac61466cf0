package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.SETTINGS;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static io.twinflow.infra.SynthesizedStack.arnOf;
import static io.twinflow.infra.SynthesizedStack.keyId;
import static io.twinflow.infra.SynthesizedStack.logicalId;
import static io.twinflow.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.live.LiveTables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** {@link LiveApi} in the synthesized default stack: the IAM-authorized, throttled, logged HTTP API and its read-only Lambda. */
class LiveApiTest {

    @Test
    void everyRouteNeedsIamAuthorizationAndReachesTheHandlersAlias() {
        Map<String, Map<String, Object>> routes = TEMPLATE.findResources("AWS::ApiGatewayV2::Route");
        List<String> keys = new ArrayList<>();
        routes.values().forEach(route -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) route.get("Properties");
            assertThat(properties).as("%s", properties).containsEntry("AuthorizationType", "AWS_IAM");
            keys.add((String) properties.get("RouteKey"));
        });
        assertThat(keys).containsExactlyInAnyOrder("GET /v1/devices", "GET /v1/devices/{deviceId}",
                "GET /v1/devices/{deviceId}/windows", "GET /v1/alerts", "ANY /{proxy+}");
        TEMPLATE.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "Action", "lambda:InvokeFunction", "Principal", "apigateway.amazonaws.com",
                "FunctionName", ref(logicalId("AWS::Lambda::Alias", Map.of("FunctionName", ref(handlerId()))))));
    }

    @Test
    void theOnlyStageIsThrottledByTheStackSettings() {
        TEMPLATE.resourceCountIs("AWS::ApiGatewayV2::Stage", 1);
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Match.objectLike(Map.of(
                        "ThrottlingRateLimit", SETTINGS.apiRateLimit(),
                        "ThrottlingBurstLimit", SETTINGS.apiBurstLimit()))));
    }

    @Test
    void everyRequestIsLoggedToALogGroupEncryptedWithTheDataKey() {
        Map<String, Map<String, Object>> groups = TEMPLATE.findResources("AWS::Logs::LogGroup");
        String accessLogs = groups.keySet().stream().filter(id -> id.startsWith("LiveApiAccessLogs")).findFirst().orElseThrow();
        TEMPLATE.hasResourceProperties("AWS::Logs::LogGroup", Map.of("KmsKeyId", arnOf(keyId()), "RetentionInDays", 365));
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("AccessLogSettings", Map.of(
                "DestinationArn", arnOf(accessLogs),
                "Format", LiveApi.ACCESS_LOG_FORMAT)));
        assertThat(groups.get(accessLogs).toString()).contains(keyId());
    }

    @Test
    void theHandlersPolicyOnlyReadsExactlyTheThreeTablesAndTheAlertIndex() {
        String role = handlerRole();
        Map<String, Map<String, Object>> policies = TEMPLATE.findResources("AWS::IAM::Policy", Map.of("Properties",
                Match.objectLike(Map.of("Roles", List.of(ref(role))))));
        assertThat(policies).hasSize(1);
        Set<String> dynamoDbActions = new HashSet<>();
        Set<Object> dynamoDbResources = new HashSet<>();
        List<String> otherActions = new ArrayList<>();
        for (Map<String, Object> statement : statements(policies.values().iterator().next())) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            List<String> actions = list(statement.get("Action"));
            assertThat(list(statement.get("Resource"))).as("no wildcard resource in %s", statement).doesNotContain("*");
            for (String action : actions) {
                if (action.startsWith("dynamodb:")) {
                    dynamoDbActions.add(action);
                    dynamoDbResources.addAll(list(statement.get("Resource")));
                } else {
                    otherActions.add(action);
                }
            }
        }
        assertThat(dynamoDbActions).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query");
        String alerts = tableId("Alerts");
        assertThat(dynamoDbResources).containsExactlyInAnyOrder(arnOf(tableId("DeviceState")), arnOf(tableId("DeviceWindows")),
                arnOf(alerts), Map.of("Fn::Join", List.of("", List.of(arnOf(alerts), "/index/" + LiveTables.ALERTS_BY_HOUR))));
        // The rest: decrypting the tables' key, and writing its own log group.
        assertThat(otherActions).containsExactlyInAnyOrder("kms:Decrypt", "kms:DescribeKey", "logs:CreateLogStream", "logs:PutLogEvents");
    }

    @Test
    void theAlertTableHasTheIndexTheFleetAlertFeedQueries() {
        TEMPLATE.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "TableName", SynthesizedStack.SPEC.tables().alerts(),
                "GlobalSecondaryIndexes", List.of(Map.of(
                        "IndexName", LiveTables.ALERTS_BY_HOUR,
                        "KeySchema", List.of(Map.of("AttributeName", LiveTables.ALERT_HOUR, "KeyType", "HASH"),
                                Map.of("AttributeName", LiveTables.WINDOW_START, "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL"))))));
    }

    private static String handlerId() {
        return logicalId("AWS::Lambda::Function", Map.of("Handler", LiveApi.HANDLER));
    }

    @SuppressWarnings("unchecked")
    private static String handlerRole() {
        Map<String, Object> function = TEMPLATE.findResources("AWS::Lambda::Function").get(handlerId());
        Map<String, Object> role = (Map<String, Object>) ((Map<String, Object>) function.get("Properties")).get("Role");
        return (String) ((List<Object>) role.get("Fn::GetAtt")).get(0);
    }

    private static String tableId(String constructId) {
        return TEMPLATE.findResources("AWS::DynamoDB::Table").keySet().stream()
                .filter(id -> id.startsWith("Serving" + constructId)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        Map<String, Object> properties = (Map<String, Object>) policy.get("Properties");
        return (List<Map<String, Object>>) ((Map<String, Object>) properties.get("PolicyDocument")).get("Statement");
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object value) {
        return value instanceof List<?> l ? (List<T>) l : List.of((T) value);
    }
}
