package io.twinflow.localstack;

import org.junit.jupiter.api.Tag;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The scenarios on Floci; reported as skipped where no Docker engine answers. */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class FlociEnvironmentIT extends EnvironmentScenarios {

    @Override
    protected Environment startEnvironment() {
        return FlociEnvironment.start();
    }
}
