package io.twinflow.functions.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that answers chosen DynamoDB requests with an error response instead of sending them,
 * so the SDK's own retry and error handling run exactly as they would against throttling in AWS.
 */
public final class FaultInjectingHttpClient implements SdkHttpClient {

    /** A DynamoDB error as the service sends it. */
    public record Fault(int status, String errorType, String message) {
        public static Fault throttling() {
            return new Fault(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "injected throttling");
        }

        public static Fault validation(String message) {
            return new Fault(400, "com.amazon.coral.validate#ValidationException", message);
        }
    }

    private final SdkHttpClient delegate;
    private final BiPredicate<String, String> when;
    private final Fault fault;
    private final AtomicInteger injected = new AtomicInteger();

    /**
     * @param when given the operation (e.g. {@code PutItem}) and the request body, whether to fail it
     */
    public FaultInjectingHttpClient(SdkHttpClient delegate, BiPredicate<String, String> when, Fault fault) {
        this.delegate = delegate;
        this.when = when;
        this.fault = fault;
    }

    public int injected() {
        return injected.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
        String operation = target.substring(target.indexOf('.') + 1);
        String body = request.contentStreamProvider().map(p -> {
            try (InputStream in = p.newStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse("");
        if (!when.test(operation, body)) {
            return delegate.prepareRequest(request);
        }
        injected.incrementAndGet();
        byte[] payload = ("{\"__type\":\"" + fault.errorType() + "\",\"message\":\"" + fault.message() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder()
                                .statusCode(fault.status())
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("x-amzn-RequestId", "injected-" + injected.get())
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(payload)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public String clientName() {
        return "FaultInjecting";
    }

    @Override
    public void close() {
        delegate.close();
    }
}
