package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.JSON;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TwinflowStack} as a whole: what holds across its constructs (least privilege, with the grant
 * wildcards the stack suppresses). Each construct's own resources are asserted in its own test class,
 * on the same synth ({@link SynthesizedStack}, shared with {@link CdkNagTest}).
 */
class TwinflowStackTest {

    /** Actions that accept no resource ARN and are narrowed by a condition instead (see the suppressions). */
    private static final List<String> RESOURCELESS = List.of("redshift-data:DescribeStatement",
            "redshift-data:GetStatementResult", "redshift-data:CancelStatement", "redshift-data:ListStatements",
            "cloudwatch:PutMetricData");

    @Test
    void noStatementGrantsAWildcardActionAndResourceStarOnlyGoesToConditionedActions() throws IOException {
        List<String> offending = new ArrayList<>();
        for (Map<String, Object> policy : TEMPLATE.findResources("AWS::IAM::Policy").values()) {
            JsonNode statements = JSON.valueToTree(policy).at("/Properties/PolicyDocument/Statement");
            for (JsonNode statement : statements) {
                List<String> actions = texts(statement.get("Action"));
                if (actions.stream().anyMatch(a -> a.equals("*") || a.endsWith(":*"))) {
                    offending.add("wildcard action: " + statement);
                }
                if (texts(statement.get("Resource")).contains("*")) {
                    if (!RESOURCELESS.containsAll(actions) || statement.get("Condition") == null) {
                        offending.add("resource *: " + statement);
                    }
                }
            }
        }
        assertThat(offending).isEmpty();
    }

    @Test
    void noRoleCarriesAManagedPolicy() {
        for (Map<String, Object> role : TEMPLATE.findResources("AWS::IAM::Role").values()) {
            assertThat(JSON.valueToTree(role).at("/Properties/ManagedPolicyArns").isMissingNode())
                    .as("managed policies on %s", role).isTrue();
        }
    }

    private List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(n -> values.add(n.isTextual() ? n.asText() : n.toString()));
        } else {
            values.add(node.isTextual() ? node.asText() : node.toString());
        }
        return values;
    }
}
