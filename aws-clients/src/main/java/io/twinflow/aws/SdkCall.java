package io.twinflow.aws;

import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/**
 * One SDK call as {@link SdkCallHook} saw it, after its last attempt.
 *
 * @param service the SDK's service name ({@code DynamoDb}, {@code Kinesis}, {@code S3}, {@code Sqs}, ...)
 * @param operation the API operation ({@code PutRecords}, {@code BatchWriteItem}, ...)
 * @param attempts HTTP attempts made (retries included)
 * @param requestBytes HTTP request body bytes, every attempt
 * @param responseBytes HTTP response body bytes of the last attempt
 * @param request the request as sent (after the listeners' {@link SdkCallListener#modifyRequest})
 * @param response the response when the call succeeded
 * @param failure the exception when it did not
 */
public record SdkCall(String service, String operation, int attempts, long requestBytes, long responseBytes,
                      SdkRequest request, Optional<SdkResponse> response, Optional<Throwable> failure) {

    public boolean succeeded() {
        return failure.isEmpty();
    }
}
