package io.twinflow.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.Bucket;

/** {@link JavaFunction} on its own: what its props default to and what they require. */
class JavaFunctionTest {

    @Test
    void propsLeftUnsetGetTheDefaultMemoryAndNoEnvironment() {
        Stack stack = new Stack(new App(), "FunctionOnly");
        new JavaFunction(stack, "Function", JavaFunction.Props.builder()
                .description("test function")
                .handler("io.example.Handler::handleRequest")
                .code(Code.fromBucket(new Bucket(stack, "Code"), "functions.jar"))
                .timeout(Duration.seconds(30))
                .key(new Key(stack, "Key"))
                .build());

        Template.fromStack(stack).hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "io.example.Handler::handleRequest",
                "MemorySize", JavaFunction.Props.DEFAULT_MEMORY_MB,
                "Timeout", 30,
                "Environment", Match.absent()));
    }

    @Test
    void aFunctionWithoutHandlerOrTimeoutIsRefusedBeforeSynth() {
        assertThatThrownBy(() -> JavaFunction.Props.builder().description("d").timeout(Duration.seconds(1)).build())
                .hasMessageContaining("handler");
        assertThatThrownBy(() -> JavaFunction.Props.builder().description("d").handler("h").build())
                .hasMessageContaining("code");
    }
}
