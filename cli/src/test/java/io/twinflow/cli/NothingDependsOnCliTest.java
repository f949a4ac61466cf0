package io.twinflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CLI holds commands only: what other modules need lives where they can reach it without this one. */
class NothingDependsOnCliTest {

    @Test
    void noOtherModuleDeclaresTheCli() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> poms;
        try (Stream<Path> modules = Files.list(root)) {
            poms = modules.map(module -> module.resolve("pom.xml")).filter(Files::isRegularFile)
                    .filter(pom -> !pom.getParent().getFileName().toString().equals("cli")).toList();
        }
        assertThat(poms).as("the sibling modules' poms").hasSizeGreaterThan(5);
        for (Path pom : poms) {
            assertThat(Files.readString(pom)).as(pom.toString()).doesNotContain("<artifactId>twinflow-cli</artifactId>");
        }
    }
}
