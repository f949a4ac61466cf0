package io.twinflow.aws;

import software.amazon.awssdk.core.SdkRequest;

/** Told of every call a metered client ({@link SdkClients.Setup}) makes while it is registered with {@link SdkCallHook}. */
public interface SdkCallListener {

    /**
     * May ask the service for more in the response (e.g. DynamoDB's consumed capacity) without the
     * calling code knowing; must return a request with the same effect.
     */
    default SdkRequest modifyRequest(SdkRequest request) {
        return request;
    }

    /** Called on the calling thread once the call has succeeded or failed for good; must be fast and thread-safe. */
    void completed(SdkCall call);
}
