package io.twinflow.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The default stack, synthesized once per test JVM (a synth costs seconds) with the cdk-nag
 * AwsSolutions checks applied, as {@link TwinflowApp} does. Uses the real built jars when they exist
 * (a reactor build packages functions first) and placeholders only for the missing ones.
 */
final class SynthesizedStack {

    static final StackSettings SETTINGS = StackSettings.defaults();
    static final Artifacts ARTIFACTS = Artifacts.locate(repoRoot(), Artifacts.projectVersion(),
            Path.of("target", "placeholder-artifacts").toAbsolutePath());
    static final TwinflowStack STACK;
    static final Template TEMPLATE;

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
}
