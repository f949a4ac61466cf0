package io.twinflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Proves that the environments run the same scenarios: every IT class of this module is an
 * {@link EnvironmentScenarios} that adds no tests of its own, the shared test takes every
 * {@link Scenario} unfiltered, and JUnit discovers the same tests in each IT class. The environments
 * include one over the Kafka source, which like the Kinesis one needs no Docker and so runs in every build.
 */
class ScenarioCoverageTest {

    @Test
    void everyItClassIsAnEnvironmentRunningTheSharedScenarios() throws Exception {
        List<Class<?>> itClasses = itClasses();
        assertThat(itClasses).extracting(Class::getSimpleName)
                .contains("EmbeddedEnvironmentIT", "EdgeEnvironmentIT", "EmbeddedKafkaEnvironmentIT", "LocalStackEnvironmentIT",
                        "FlociEnvironmentIT");
        for (Class<?> it : itClasses) {
            assertThat(EnvironmentScenarios.class).as(it.getSimpleName()).isAssignableFrom(it);
            assertThat(Arrays.stream(it.getDeclaredMethods()).filter(ScenarioCoverageTest::isTestable))
                    .as("tests declared by %s itself", it.getSimpleName()).isEmpty();
            assertThat(Arrays.stream(it.getDeclaredClasses()).filter(c -> c.isAnnotationPresent(Nested.class)))
                    .as("nested test classes of %s", it.getSimpleName()).isEmpty();
        }
    }

    /**
     * The Docker-free environments, one per source, carry no annotation of their own: no tag a build could
     * exclude and no condition that could skip them, so both sources run the whole list in every build.
     */
    @Test
    void theDockerFreeEnvironmentOfEachSourceIsNeitherTaggedNorConditional() {
        assertThat(List.of(EmbeddedEnvironmentIT.class, EmbeddedKafkaEnvironmentIT.class))
                .allSatisfy(it -> assertThat(it.getDeclaredAnnotations()).as(it.getSimpleName()).isEmpty());
    }

    @Test
    void theSharedTestTakesEveryScenarioAndCannotBeOverridden() throws Exception {
        List<Method> tests = Arrays.stream(EnvironmentScenarios.class.getDeclaredMethods())
                .filter(ScenarioCoverageTest::isTestable).toList();
        assertThat(tests).hasSize(1);
        Method test = tests.get(0);
        assertThat(Modifier.isFinal(test.getModifiers())).as("final").isTrue();
        EnumSource source = test.getAnnotation(EnumSource.class);
        assertThat(source.value()).isEqualTo(Scenario.class);
        assertThat(source.names()).as("a filter would leave scenarios out").isEmpty();
    }

    @Test
    void junitDiscoversTheSameTestsInEveryEnvironment() throws Exception {
        List<Class<?>> itClasses = itClasses();
        Set<String> reference = discoveredTests(EmbeddedEnvironmentIT.class);
        assertThat(reference).isNotEmpty();
        for (Class<?> it : itClasses) {
            assertThat(discoveredTests(it)).as(it.getSimpleName()).isEqualTo(reference);
        }
    }

    /** The tests JUnit finds in a class, named by their unique id below the class. */
    private static Set<String> discoveredTests(Class<?> testClass) {
        TestPlan plan = LauncherFactory.create().discover(request().selectors(selectClass(testClass)).build());
        Set<String> tests = new TreeSet<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier descendant : plan.getDescendants(root)) {
                List<UniqueId.Segment> segments = descendant.getUniqueIdObject().getSegments();
                int classAt = segments.stream().map(UniqueId.Segment::getType).toList().indexOf("class");
                if (classAt >= 0 && classAt < segments.size() - 1) {
                    tests.add(segments.subList(classAt + 1, segments.size()).stream()
                            .map(s -> s.getType() + ":" + s.getValue()).collect(Collectors.joining("/")));
                }
            }
        }
        return tests;
    }

    /** @Test, @ParameterizedTest, @TestFactory, @RepeatedTest and @TestTemplate all carry @Testable, some through another. */
    private static boolean isTestable(AnnotatedElement element) {
        return AnnotationSupport.isAnnotated(element, Testable.class);
    }

    /** Every top-level *IT class compiled into this module's test output. */
    private static List<Class<?>> itClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(ScenarioCoverageTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(p -> root.relativize(p).toString())
                    .filter(p -> p.endsWith("IT.class") && !p.contains("$"))
                    .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            classes.add(Class.forName(name));
        }
        return classes;
    }
}
