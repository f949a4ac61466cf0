package io.twinflow.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryLogTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final SummaryLog log = new SummaryLog(new PrintStream(out, true, StandardCharsets.UTF_8));

    @Test
    void withoutALambdaContextTheSummaryIsOneJsonLineOnTheFallbackStream() {
        log.write(Map.of("message", "x summary"), null);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"x summary\"}" + System.lineSeparator());
    }

    @Test
    void inLambdaTheSummaryGoesToTheLambdaLoggerAsOneLineAndNotToTheStream() {
        List<String> logged = new ArrayList<>();
        LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                logged.add(message);
            }

            @Override
            public void log(byte[] message) {
                logged.add(new String(message, StandardCharsets.UTF_8));
            }
        };

        log.write(Map.of("message", "x summary"), context(logger, "req-7"));

        assertThat(logged).containsExactly("{\"message\":\"x summary\"}\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void theRequestIdIsTheContextsAndNullOutsideLambda() {
        assertThat(SummaryLog.requestId(context(null, "req-7"))).isEqualTo("req-7");
        assertThat(SummaryLog.requestId(null)).isNull();
    }

    @Test
    void anEmbeddedMetricNamingAFieldTheLineDoesNotHoldAsANumberIsRefused() {
        ObjectNode line = JsonNodeFactory.instance.objectNode().put("function", "f").put("count", "3");

        assertThatThrownBy(() -> SummaryLog.addMetrics(line, Instant.EPOCH, "N", List.of(List.of("function")), Map.of("count", "Count")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
        assertThatThrownBy(() -> SummaryLog.addMetrics(line, Instant.EPOCH, "N", List.of(List.of("shardId")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shardId");
    }

    /** A Lambda context that answers only what a summary asks: its logger and request id. */
    private static Context context(LambdaLogger logger, String requestId) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getLogger" -> logger;
                    case "getAwsRequestId" -> requestId;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
