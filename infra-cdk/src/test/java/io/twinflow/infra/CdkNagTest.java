package io.twinflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

class CdkNagTest {

    @Test
    void awsSolutionsChecksReportNoUnsuppressedErrors() {
        List<SynthesisMessage> errors = Annotations.fromStack(SynthesizedStack.STACK)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(errors).as(describe(errors)).isEmpty();
    }

    @Test
    void awsSolutionsChecksReportNoUnsuppressedWarnings() {
        List<SynthesisMessage> warnings = Annotations.fromStack(SynthesizedStack.STACK)
                .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(warnings).as(describe(warnings)).isEmpty();
    }

    private static String describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData())
                .collect(Collectors.joining("\n", "cdk-nag findings:\n", ""));
    }
}
