package io.twinflow.core.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the repository's shared {@code events/} folder, wherever the build was started from. */
public final class TestEvents {

    private TestEvents() {
    }

    /**
     * {@code -Dtwinflow.events.dir=...} if given; otherwise the first {@code events/} folder holding the
     * bad-input corpus found walking up from the working directory (Surefire runs tests in the module
     * folder, an IDE may run them at the repository root).
     */
    public static Path root() {
        String configured = System.getProperty("twinflow.events.dir");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("events");
            if (Files.isRegularFile(candidate.resolve("bad-input").resolve("expected.json"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("no events/bad-input/expected.json above " + Paths.get("").toAbsolutePath()
                + "; set -Dtwinflow.events.dir");
    }

    public static Path badInput() {
        return root().resolve("bad-input");
    }
}
