package io.twinflow.aws;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The interceptor every metered client carries: it counts each call's attempts and HTTP body bytes and
 * hands the finished call to the listeners registered in this JVM. With none registered (the deployed
 * functions, every normal run) it does nothing but one list check per call.
 *
 * <p>JVM-wide on purpose: the clients that make the pipeline's calls are built in many modules (the
 * stream-processor's adapters, the loader, the archiver, the simulator), and one registration reaches
 * them all without threading a meter through each. Clients that must not be counted (an observer that
 * checks the pipeline's output) are built {@link SdkClients.Setup#unmetered()}.
 */
public final class SdkCallHook implements ExecutionInterceptor {

    static final SdkCallHook INSTANCE = new SdkCallHook();

    private static final List<SdkCallListener> LISTENERS = new CopyOnWriteArrayList<>();
    private static final ExecutionAttribute<Tally> TALLY = new ExecutionAttribute<>("twinflow.sdkCallTally");

    private SdkCallHook() {
    }

    /** Tells {@code listener} of every metered call from now until the returned registration is closed. */
    public static Registration register(SdkCallListener listener) {
        LISTENERS.add(listener);
        return () -> LISTENERS.remove(listener);
    }

    /** Ends a {@link #register registration}; closing twice is harmless. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Tally {
        int attempts;
        long requestBytes;
        final AtomicLong responseBytes = new AtomicLong();
        boolean responseLengthKnown;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!LISTENERS.isEmpty()) {
            attributes.putAttribute(TALLY, new Tally());
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (attributes.getAttribute(TALLY) != null) {
            for (SdkCallListener listener : LISTENERS) {
                request = listener.modifyRequest(request);
            }
        }
        return request;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Tally tally = attributes.getAttribute(TALLY);
        if (tally == null) {
            return;
        }
        tally.attempts++;
        tally.requestBytes += context.httpRequest().firstMatchingHeader("Content-Length").map(Long::parseLong)
                .or(() -> context.requestBody().flatMap(RequestBody::optionalContentLength))
                .orElse(0L);
        tally.responseBytes.set(0);
        tally.responseLengthKnown = false;
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Tally tally = attributes.getAttribute(TALLY);
        if (tally == null) {
            return;
        }
        SdkHttpResponse http = context.httpResponse();
        Optional<Long> length = http.firstMatchingHeader("Content-Length").map(Long::parseLong);
        tally.responseLengthKnown = length.isPresent();
        length.ifPresent(tally.responseBytes::set);
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Tally tally = attributes.getAttribute(TALLY);
        Optional<InputStream> body = context.responseBody();
        if (tally == null || tally.responseLengthKnown || body.isEmpty()) {
            return body;
        }
        // No Content-Length (a chunked answer): count what the SDK reads of the body.
        return Optional.of(new FilterInputStream(body.get()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    tally.responseBytes.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    tally.responseBytes.addAndGet(n);
                }
                return n;
            }
        });
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Tally tally = attributes.getAttribute(TALLY);
        if (tally != null) {
            report(new SdkCall(service(attributes), operation(attributes), tally.attempts, tally.requestBytes,
                    tally.responseBytes.get(), context.request(), Optional.of(context.response()), Optional.empty()));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Tally tally = attributes.getAttribute(TALLY);
        if (tally != null) {
            report(new SdkCall(service(attributes), operation(attributes), tally.attempts, tally.requestBytes,
                    tally.responseBytes.get(), context.request(), context.response(), Optional.of(context.exception())));
        }
    }

    private static void report(SdkCall call) {
        for (SdkCallListener listener : LISTENERS) {
            listener.completed(call);
        }
    }

    private static String service(ExecutionAttributes attributes) {
        return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
    }

    private static String operation(ExecutionAttributes attributes) {
        return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
}
