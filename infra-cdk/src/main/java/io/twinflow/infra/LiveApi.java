package io.twinflow.infra;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.FunctionEnvironment;
import io.twinflow.live.LiveTables;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The live API: an API Gateway HTTP API whose routes all require IAM authorization (SigV4-signed requests; no
 * anonymous access), a throttled stage with access logs in an encrypted log group, and the Lambda behind it
 * (functions' {@code LiveApiHandler}) with read-only access to exactly the three live tables and the alerts index.
 */
public final class LiveApi extends Construct {

    static final String HANDLER = "io.twinflow.functions.api.LiveApiHandler::handleRequest";
    /** The routes of the API; {@code ANY /{proxy+}} sends every other request to the same handler for its JSON errors. */
    static final List<String> ROUTES = List.of("/v1/devices", "/v1/devices/{deviceId}", "/v1/devices/{deviceId}/windows", "/v1/alerts");
    /** What the API's access log records per request: who called what, the answer, and how long it took. */
    static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"caller\":\"$context.identity.userArn\",\"requestTime\":\"$context.requestTime\",\"method\":\"$context.httpMethod\","
            + "\"routeKey\":\"$context.routeKey\",\"path\":\"$context.path\",\"status\":\"$context.status\","
            + "\"responseLength\":\"$context.responseLength\",\"latencyMs\":\"$context.responseLatency\","
            + "\"integrationLatencyMs\":\"$context.integration.latency\",\"error\":\"$context.error.message\","
            + "\"integrationError\":\"$context.integrationErrorMessage\"}";

    public final JavaFunction function;
    public final HttpApi api;
    public final HttpStage stage;
    public final LogGroup accessLogs;

    /**
     * @param rateLimit the stage's steady request rate (requests per second), {@link StackSettings#apiRateLimit()}
     * @param burstLimit the stage's burst, {@link StackSettings#apiBurstLimit()}
     */
    public record Props(PipelineSpec spec, Code code, Serving serving, IKey key, int rateLimit, int burstLimit,
                        RemovalPolicy removalPolicy) {
    }

    public LiveApi(Construct scope, String id, Props props) {
        super(scope, id);
        Serving serving = props.serving();
        function = new JavaFunction(this, "Handler", JavaFunction.Props.builder()
                .description("Twinflow live API: device state, windows and alerts from DynamoDB, read-only")
                .handler(HANDLER)
                .code(props.code())
                // API Gateway waits 30 s at most; a read that takes longer is answered 503 well before.
                .timeout(Duration.seconds(10))
                .environment(Map.of(FunctionEnvironment.PREFIX, props.spec().prefix(),
                        FunctionEnvironment.DEVICE_STATE_TABLE, serving.deviceState.getTableName(),
                        FunctionEnvironment.WINDOW_TABLE, serving.deviceWindows.getTableName(),
                        FunctionEnvironment.ALERT_TABLE, serving.alerts.getTableName()))
                .key(props.key())
                .build());
        grantReads(serving, props.key());

        api = HttpApi.Builder.create(this, "Api")
                .apiName(props.spec().prefix() + "-live-api")
                .description("Twinflow live API (IAM-authorized): /v1/devices, /v1/devices/{deviceId}[/windows], /v1/alerts")
                // The stage below replaces the default one: it carries the throttling and the access logs.
                .createDefaultStage(false)
                .defaultAuthorizer(new HttpIamAuthorizer())
                .build();
        // SnapStart snapshots published versions only: the integration invokes the alias on one.
        HttpLambdaIntegration integration = new HttpLambdaIntegration("Handler", function.alias);
        for (String path : ROUTES) {
            api.addRoutes(AddRoutesOptions.builder().path(path).methods(List.of(HttpMethod.GET)).integration(integration).build());
        }
        api.addRoutes(AddRoutesOptions.builder().path("/{proxy+}").methods(List.of(HttpMethod.ANY)).integration(integration).build());

        accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(RetentionDays.ONE_YEAR)
                .encryptionKey(props.key())
                .removalPolicy(props.removalPolicy())
                .build();
        LogGroupLogDestination destination = new LogGroupLogDestination(accessLogs);
        stage = HttpStage.Builder.create(this, "Stage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(props.rateLimit()).burstLimit(props.burstLimit()).build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
                    }
                })
                .build();
    }

    /** The base URL of the API: the default stage serves at the root. */
    public String url() {
        return api.getApiEndpoint();
    }

    /**
     * Exactly the reads the router makes: GetItem and Scan of the state table, Query of the window table, Query of the
     * alert table and its alerts-by-hour index; and decrypting with the tables' key. Nothing that writes.
     */
    private void grantReads(Serving serving, IKey key) {
        function.role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:GetItem", "dynamodb:Scan"))
                .resources(List.of(serving.deviceState.getTableArn()))
                .build());
        function.role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:Query"))
                .resources(List.of(serving.deviceWindows.getTableArn(), serving.alerts.getTableArn(),
                        serving.alerts.getTableArn() + "/index/" + LiveTables.ALERTS_BY_HOUR))
                .build());
        key.grant(function.role, "kms:Decrypt", "kms:DescribeKey");
    }
}
