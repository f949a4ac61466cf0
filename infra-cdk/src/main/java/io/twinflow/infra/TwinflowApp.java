package io.twinflow.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app ({@code cdk.json} runs it through Maven). Environment-agnostic, so {@code cdk synth}
 * needs neither credentials nor network; {@code cdk deploy} picks account and region from the profile.
 */
public final class TwinflowApp {

    private TwinflowApp() {
    }

    public static void main(String[] args) {
        App app = newApp();
        StackSettings settings = StackSettings.fromContext(app.getNode()::tryGetContext);
        Path repoRoot = Path.of(System.getProperty("twinflow.repo.root", "..")).toAbsolutePath().normalize();
        Path placeholderDir = settings.placeholderArtifacts() ? repoRoot.resolve("infra-cdk/target/placeholder-artifacts") : null;
        Artifacts artifacts = Artifacts.locate(repoRoot, Artifacts.projectVersion(), placeholderDir)
                .withOverrides(settings.functionsJar(), settings.glueJar(), settings.glueEntryScript());
        artifacts.placeholders().forEach(missing ->
                System.err.println("WARNING: placeholder deployed for missing " + missing + " - do not deploy this synth"));

        new TwinflowStack(app, stackName(settings), StackProps.builder()
                .description("Twinflow telemetry pipeline (" + settings.spec().prefix() + ")")
                .build(), settings, artifacts);
        // Every synth is checked, not only the test's: a finding is an error in `cdk synth` too.
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
    }

    /**
     * An app with the feature flags this stack depends on set in code, so a synth without cdk.json
     * (tests, another app embedding the stack) builds the same template.
     */
    static App newApp() {
        return new App(AppProps.builder()
                // Access logs are granted by bucket policy rather than the legacy log-delivery ACL, so
                // every bucket can enforce bucket-owner object ownership (ACLs disabled).
                .context(Map.of("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true))
                .build());
    }

    static String stackName(StackSettings settings) {
        return settings.spec().prefix().equals("twinflow") ? "Twinflow" : "Twinflow-" + settings.spec().prefix();
    }
}
