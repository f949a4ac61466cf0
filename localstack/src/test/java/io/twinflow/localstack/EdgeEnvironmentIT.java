package io.twinflow.localstack;

/**
 * The scenarios on the in-process emulators behind one edge address, as the container ITs see
 * LocalStack and Floci: no Docker needed, so the edge code path runs in every build.
 */
class EdgeEnvironmentIT extends EnvironmentScenarios {

    @Override
    protected Environment startEnvironment() {
        return EmbeddedEnvironment.behindOneEdge();
    }
}
