package io.twinflow.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every {@link Scenario} on one environment. An environment's IT class only says how to start the
 * environment: the scenario list is the enum, and the test method is final, so no IT class can leave a
 * scenario out or add one of its own ({@link ScenarioCoverageTest} checks this for every IT class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EnvironmentScenarios {

    private Environment environment;

    /** Starts the environment; called once per IT class, and not at all when the class is disabled. */
    protected abstract Environment startEnvironment();

    @BeforeAll
    final void startOnce() {
        environment = startEnvironment();
    }

    @AfterAll
    final void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Scenario.class)
    @Timeout(300)
    final void scenario(Scenario scenario) throws Exception {
        scenario.run(environment);
    }
}
