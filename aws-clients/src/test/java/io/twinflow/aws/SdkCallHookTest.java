package io.twinflow.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

class SdkCallHookTest {

    /** DynamoDB's answer to a PutItem that asked for its consumed capacity. */
    private static final String ANSWER = "{\"ConsumedCapacity\":{\"TableName\":\"things\",\"CapacityUnits\":1.0}}";

    /** Answers every request with {@link #ANSWER} and keeps the request bodies it was sent. */
    private static final class CannedHttp implements SdkHttpClient {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final boolean withLength;

        CannedHttp(boolean withLength) {
            this.withLength = withLength;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    bodies.add(request.contentStreamProvider().map(p -> read(p.newStream())).orElse(""));
                    byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
                    SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(200)
                            .putHeader("Content-Type", "application/x-amz-json-1.0");
                    if (withLength) {
                        http.putHeader("Content-Length", String.valueOf(body.length));
                    }
                    return HttpExecuteResponse.builder().response(http.build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }

        private static String read(InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final PutItemRequest PUT = PutItemRequest.builder().tableName("things")
            .item(Map.of("id", AttributeValue.fromS("a"))).build();

    private static SdkClients.Setup setup(SdkHttpClient http) {
        return SdkClients.setup(Region.US_EAST_1, SdkClients.LOCAL_CREDENTIALS).endpoint(URI.create("http://127.0.0.1:1")).httpClient(http);
    }

    @Test
    void aRegisteredListenerIsToldOfEachCallWithItsServiceOperationAndBodyBytes() {
        CannedHttp http = new CannedHttp(true);
        List<SdkCall> calls = new CopyOnWriteArrayList<>();
        try (SdkCallHook.Registration registration = SdkCallHook.register(calls::add);
             DynamoDbClient client = setup(http).build(DynamoDbClient.builder())) {
            client.putItem(PUT);
        }

        assertThat(calls).hasSize(1);
        SdkCall call = calls.get(0);
        assertThat(call.service()).isEqualTo("DynamoDb");
        assertThat(call.operation()).isEqualTo("PutItem");
        assertThat(call.attempts()).isEqualTo(1);
        assertThat(call.succeeded()).isTrue();
        assertThat(call.requestBytes()).isEqualTo(http.bodies.get(0).getBytes(StandardCharsets.UTF_8).length).isPositive();
        assertThat(call.responseBytes()).isEqualTo(ANSWER.length());
        assertThat(call.request()).isInstanceOf(PutItemRequest.class);
    }

    @Test
    void withoutContentLengthTheResponseBytesAreCountedAsTheSdkReadsThem() {
        List<SdkCall> calls = new CopyOnWriteArrayList<>();
        try (SdkCallHook.Registration registration = SdkCallHook.register(calls::add);
             DynamoDbClient client = setup(new CannedHttp(false)).build(DynamoDbClient.builder())) {
            client.putItem(PUT);
        }
        assertThat(calls).singleElement().satisfies(call -> assertThat(call.responseBytes()).isEqualTo(ANSWER.length()));
    }

    @Test
    void aListenerMayAskTheServiceForMoreAndTheRequestSentCarriesIt() {
        CannedHttp http = new CannedHttp(true);
        SdkCallListener askForCapacity = new SdkCallListener() {
            @Override
            public SdkRequest modifyRequest(SdkRequest request) {
                return request instanceof PutItemRequest put
                        ? put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build() : request;
            }

            @Override
            public void completed(SdkCall call) {
            }
        };
        try (SdkCallHook.Registration registration = SdkCallHook.register(askForCapacity);
             DynamoDbClient client = setup(http).build(DynamoDbClient.builder())) {
            client.putItem(PUT);
        }
        assertThat(http.bodies.get(0)).contains("\"ReturnConsumedCapacity\":\"TOTAL\"");
    }

    @Test
    void unmeteredClientsAndCallsAfterTheRegistrationClosesAreNotReported() {
        CannedHttp http = new CannedHttp(true);
        List<SdkCall> calls = new CopyOnWriteArrayList<>();
        SdkCallHook.Registration registration = SdkCallHook.register(calls::add);
        try (DynamoDbClient unmetered = setup(http).unmetered().build(DynamoDbClient.builder());
             DynamoDbClient metered = setup(http).build(DynamoDbClient.builder())) {
            unmetered.putItem(PUT);
            registration.close();
            metered.putItem(PUT);
        }
        assertThat(calls).isEmpty();
        assertThat(http.bodies).hasSize(2).allSatisfy(body -> assertThat(body).doesNotContain("ReturnConsumedCapacity"));
    }
}
