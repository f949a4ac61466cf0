package io.twinflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** The stack synthesized with {@code -c tracing=true}: every function traced, allowed to send traces, cdk-nag clean. */
class TracingTest {

    private static final App APP = TwinflowApp.newApp();
    private static final TwinflowStack STACK = new TwinflowStack(APP, "Twinflow", StackProps.builder().build(),
            StackSettings.fromContext(Map.<String, Object>of(StackSettings.TRACING, "true")::get), SynthesizedStack.ARTIFACTS);

    static {
        Aspects.of(APP).add(new AwsSolutionsChecks());
    }

    private static final Template TEMPLATE = Template.fromStack(STACK);

    @Test
    void everyFunctionHasActiveTracingAndItsRoleMayPutTraces() {
        Map<String, Map<String, Object>> functions = TEMPLATE.findResources("AWS::Lambda::Function");
        Map<String, Map<String, Object>> traced = TEMPLATE.findResources("AWS::Lambda::Function",
                Map.of("Properties", Match.objectLike(Map.of("TracingConfig", Map.of("Mode", "Active")))));
        assertThat(functions).hasSizeGreaterThanOrEqualTo(4);
        assertThat(traced.keySet()).isEqualTo(functions.keySet());
        Map<String, Map<String, Object>> policies = TEMPLATE.findResources("AWS::IAM::Policy", Map.of("Properties",
                Match.objectLike(Map.of("PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Sid", "XRayActiveTracing",
                                "Action", List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"),
                                "Effect", "Allow", "Resource", "*"))))))))));
        assertThat(policies).hasSize(functions.size());
    }

    @Test
    void awsSolutionsChecksReportNothingUnsuppressed() {
        List<SynthesisMessage> findings = new ArrayList<>(Annotations.fromStack(STACK).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        findings.addAll(Annotations.fromStack(STACK).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        assertThat(findings).extracting(m -> m.getId() + ": " + m.getEntry().getData()).isEmpty();
    }
}
