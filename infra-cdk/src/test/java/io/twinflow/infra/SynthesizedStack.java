package io.twinflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.twinflow.core.pipeline.PipelineSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The default stack, synthesized once per test JVM (a synth costs seconds) with the cdk-nag
 * AwsSolutions checks applied, as {@link TwinflowApp} does, and the lookups every construct's test
 * uses to find resources in it. Uses the real built jars when they exist (a reactor build packages
 * functions first) and placeholders only for the missing ones.
 */
final class SynthesizedStack {

    static final StackSettings SETTINGS = StackSettings.defaults();
    static final Artifacts ARTIFACTS = Artifacts.locate(repoRoot(), Artifacts.projectVersion(),
            Path.of("target", "placeholder-artifacts").toAbsolutePath());
    static final TwinflowStack STACK;
    static final Template TEMPLATE;
    static final PipelineSpec SPEC = SETTINGS.spec();
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        App app = TwinflowApp.newApp();
        STACK = new TwinflowStack(app, "Twinflow", StackProps.builder().build(), SETTINGS, ARTIFACTS);
        Aspects.of(app).add(new AwsSolutionsChecks());
        TEMPLATE = Template.fromStack(STACK);
    }

    private SynthesizedStack() {
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("twinflow.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** The logical id of the one resource of this type whose properties include these. */
    static String logicalId(String type, Map<String, Object> properties) {
        Map<String, Map<String, Object>> found = TEMPLATE.findResources(type, Map.of("Properties", Match.objectLike(properties)));
        assertThat(found).as("exactly one %s with %s", type, properties).hasSize(1);
        return found.keySet().iterator().next();
    }

    static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    static Map<String, Object> arnOf(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }

    static String keyId() {
        return logicalId("AWS::KMS::Key", Map.of());
    }

    /** Buckets are found by their construct id, which is part of their logical id. */
    static String bucketId(String constructId) {
        List<String> ids = TEMPLATE.findResources("AWS::S3::Bucket").keySet().stream()
                .filter(id -> id.startsWith("Storage" + constructId)).toList();
        assertThat(ids).as("bucket %s", constructId).hasSize(1);
        return ids.get(0);
    }
}
