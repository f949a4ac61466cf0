package io.twinflow.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.twinflow.functions.AwsClients;
import io.twinflow.functions.FunctionSettings;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.api.LiveApi;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The live API's Lambda behind the API Gateway HTTP API (payload format 2.0). Thin: it hands method, raw path and
 * query parameters to live's {@link LiveApi} and returns its answer. The local runtime serves the same handler on
 * loopback. The DynamoDB client is built once per container, at init.
 */
public class LiveApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final LiveApi api;

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
        this(new LiveApi(new LiveStateReader(dynamoDb, settings.deviceStateTable(), settings.windowTable(), settings.alertTable())));
    }

    /** For tests: any router, e.g. over an in-memory fleet. */
    LiveApiHandler(LiveApi api) {
        this.api = api;
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
