package io.twinflow.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.twinflow.functions.AwsClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.functions.RehearsalHttpClient;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.api.LiveApi;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The live API's Lambda behind the API Gateway HTTP API (payload format 2.0). Thin: it hands method, raw path and
 * query parameters to live's {@link LiveApi} and returns its answer. The local runtime serves the same handler on
 * loopback. The DynamoDB client is built once per container, at init.
 */
public class LiveApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    /** What a SnapStart rehearsal asks: every route once. */
    static final List<String> REHEARSED_PATHS = List.of("/v1/devices", "/v1/devices/rehearsal", "/v1/devices/rehearsal/windows", "/v1/alerts");

    private final LiveApi api;
    private final FunctionSettings settings;

    /** Used by the Lambda runtime: table names and region from the environment ({@code FunctionEnvironment}). */
    public LiveApiHandler() {
        this(FunctionSettings.fromEnvironment());
    }

    /** Used by the local runtime: the given settings, the client built from them. */
    public LiveApiHandler(FunctionSettings settings) {
        this(settings, AwsClients.dynamoDb(settings));
    }

    /** The given settings' tables through the given client. */
    public LiveApiHandler(FunctionSettings settings, DynamoDbClient dynamoDb) {
        this.api = api(settings, dynamoDb);
        this.settings = settings;
        Core.getGlobalContext().register(this);
    }

    /** For tests: any router, e.g. over an in-memory fleet. */
    LiveApiHandler(LiveApi api) {
        this.api = api;
        this.settings = null;
    }

    private static LiveApi api(FunctionSettings settings, DynamoDbClient dynamoDb) {
        return new LiveApi(new LiveStateReader(dynamoDb, settings.deviceStateTable(), settings.windowTable(), settings.alertTable()));
    }

    /**
     * SnapStart takes its snapshot after init: ask every route once first, through a router wired like
     * this one but on a client answered by a {@link RehearsalHttpClient}, so a restored copy's first
     * request finds the router, the readers, the JSON writer and the SDK's request pipeline loaded. No
     * AWS call is made: a connection opened before a snapshot would be stale after a restore.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) { // qualified: Lambda's Context is the imported one
        if (settings != null) {
            rehearse();
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) { // qualified: Lambda's Context is the imported one
        // Nothing to refresh: the SDK client opens connections lazily.
    }

    /** The rehearsal of {@link #beforeCheckpoint}: the SDK requests it made. */
    List<String> rehearse() {
        RehearsalHttpClient http = new RehearsalHttpClient();
        try (DynamoDbClient offline = AwsClients.dynamoDb(settings, http)) {
            LiveApi rehearsal = api(settings, offline);
            REHEARSED_PATHS.forEach(path -> rehearsal.handle("GET", path, Map.of()));
        }
        return http.requests();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return response(api.handle(method(event), event.getRawPath(), event.getQueryStringParameters()));
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        var requestContext = event.getRequestContext();
        return requestContext == null || requestContext.getHttp() == null ? "" : requestContext.getHttp().getMethod();
    }

    private static APIGatewayV2HTTPResponse response(LiveApi.Response answer) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(answer.status())
                .withHeaders(answer.headers())
                .withBody(answer.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
