package io.twinflow.localstack;

/** The scenarios on the in-process emulators: no Docker needed, so they run in every build. */
class EmbeddedEnvironmentIT extends EnvironmentScenarios {

    @Override
    protected Environment startEnvironment() {
        return EmbeddedEnvironment.start();
    }
}
