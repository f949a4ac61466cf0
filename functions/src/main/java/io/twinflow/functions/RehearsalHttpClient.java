package io.twinflow.functions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that never touches the network: every request is read to its end and answered
 * {@code 200} with an empty JSON object, which every DynamoDB operation the functions use and S3's
 * PutObject accept as "done, nothing to report". Clients built on it let a handler rehearse a whole
 * batch before a SnapStart snapshot: the SDK's marshallers, signer, retry and interceptor chain, the
 * store and the quarantine sink are loaded and JIT-compiled, with no AWS call and no connection that
 * would be stale after a restore.
 */
public final class RehearsalHttpClient implements SdkHttpClient {

    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

    private final List<String> requests = new CopyOnWriteArrayList<>();

    /**
     * The requests answered, in order: a DynamoDB request as its operation ({@code PutItem}), any other as
     * its method and host ({@code PUT bucket.s3...}).
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                // Read the body as a real client would, so the SDK's content streams and checksums run too.
                request.contentStreamProvider().ifPresent(provider -> {
                    try (InputStream body = provider.newStream()) {
                        body.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                requests.add(request.httpRequest().firstMatchingHeader("X-Amz-Target")
                        .map(target -> target.substring(target.indexOf('.') + 1))
                        .orElse(request.httpRequest().method() + " " + request.httpRequest().host()));
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder()
                                .statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", String.valueOf(EMPTY_JSON.length))
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(EMPTY_JSON)))
                        .build();
            }

            @Override
            public void abort() {
                // Nothing in flight: every answer is immediate.
            }
        };
    }

    @Override
    public String clientName() {
        return "Rehearsal";
    }

    @Override
    public void close() {
        // Holds no resources.
    }
}
