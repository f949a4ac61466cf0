package io.twinflow.emulators;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a Node emulator is installed and which Node runs it. The directory is taken from a system
 * property, else an environment variable, else the first of {@code <name>} and
 * {@code emulators/<name>} found in the working directory or one of its parents, which covers running
 * from the repository root, from the emulators module and from a sibling module. Node is taken from
 * {@value #NODE_PROPERTY} or {@value #NODE_ENV}, else {@code node} on the PATH.
 */
final class NodeInstallation {

    static final String NODE_PROPERTY = "twinflow.node";
    static final String NODE_ENV = "TWINFLOW_NODE";

    private static final int SEARCHED_PARENT_LEVELS = 4;

    private NodeInstallation() {
    }

    static String nodeExecutable() {
        return setting(NODE_PROPERTY, NODE_ENV).orElse("node");
    }

    static Path home(NodeEmulator.Package pkg) {
        Optional<String> configured = setting(pkg.homeProperty(), pkg.homeEnv());
        if (configured.isPresent()) {
            Path home = Path.of(configured.get()).toAbsolutePath();
            if (!isInstalled(home, pkg)) {
                throw new EmulatorStartException(home + " (from " + pkg.homeProperty() + " or " + pkg.homeEnv()
                        + ") has no launch.js and node_modules/" + pkg.name() + ": run npm ci there");
            }
            return home;
        }
        Path dir = Path.of("").toAbsolutePath();
        List<Path> tried = new ArrayList<>();
        for (int level = 0; dir != null && level <= SEARCHED_PARENT_LEVELS; level++, dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve(pkg.name()), dir.resolve("emulators").resolve(pkg.name()))) {
                if (isInstalled(candidate, pkg)) {
                    return candidate;
                }
                tried.add(candidate);
            }
        }
        throw new EmulatorStartException(pkg.name() + " is not installed in any of " + tried
                + ": build the emulators module (it runs npm ci) or set " + pkg.homeProperty() + " or " + pkg.homeEnv());
    }

    private static boolean isInstalled(Path home, NodeEmulator.Package pkg) {
        return Files.isRegularFile(home.resolve("launch.js"))
                && Files.isRegularFile(home.resolve("node_modules").resolve(pkg.name()).resolve("package.json"));
    }

    private static Optional<String> setting(String property, String environmentVariable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
