package io.twinflow.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The files the stack deploys, built by the other modules: the functions' shaded jar, the Glue job's
 * jar and the Glue entry script. Paths are relative to the repository root unless given by context.
 *
 * <p>A placeholder stands in for a missing file only when asked for ({@code placeholderArtifacts}
 * context, or tests run before the other modules are built); {@link #placeholders()} names them so the
 * app can warn that such a synth must not be deployed.
 */
public record Artifacts(Path functionsJar, Path glueJar, Path glueEntryScript, List<String> placeholders) {

    /** Where glue-scripts keeps the few-line Scala script that calls the job class in the jar. */
    static final String GLUE_ENTRY_SCRIPT = "glue-scripts/entry/DailyRollupEntry.scala";

    public Artifacts {
        placeholders = List.copyOf(placeholders);
    }

    /** The project version, which is in both jar names. */
    public static String projectVersion() {
        Properties properties = new Properties();
        try (InputStream in = Artifacts.class.getResourceAsStream("/twinflow-infra.properties")) {
            if (in == null) {
                throw new IllegalStateException("twinflow-infra.properties is missing from the classpath: build with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    /**
     * Locates the artifacts of a built repository.
     *
     * @param placeholderDir where to write placeholders for missing files, or null to fail on a missing file
     */
    public static Artifacts locate(Path repoRoot, String version, Path placeholderDir) {
        List<String> placeholders = new ArrayList<>();
        Path functions = repoRoot.resolve("functions/target/twinflow-functions-" + version + "-lambda.jar");
        Path glue = repoRoot.resolve("glue-scripts/target/twinflow-glue-scripts-" + version + "-glue.jar");
        Path entry = repoRoot.resolve(GLUE_ENTRY_SCRIPT);
        return new Artifacts(
                existing(functions, "mvn -pl functions -am package", placeholderDir, "functions.jar", placeholders),
                existing(glue, "mvn -pl glue-scripts -am package", placeholderDir, "glue.jar", placeholders),
                existing(entry, "the glue-scripts module", placeholderDir, "entry.scala", placeholders),
                placeholders);
    }

    public Artifacts withOverrides(Path functionsJar, Path glueJar, Path glueEntryScript) {
        return new Artifacts(
                functionsJar != null ? functionsJar : this.functionsJar,
                glueJar != null ? glueJar : this.glueJar,
                glueEntryScript != null ? glueEntryScript : this.glueEntryScript,
                placeholders);
    }

    private static Path existing(Path file, String builtBy, Path placeholderDir, String placeholderName, List<String> placeholders) {
        if (Files.isRegularFile(file)) {
            return file.toAbsolutePath().normalize();
        }
        if (placeholderDir == null) {
            throw new IllegalStateException(file.toAbsolutePath().normalize() + " does not exist: build it first ("
                    + builtBy + "), or synth with -c placeholderArtifacts=true for a template that must not be deployed");
        }
        placeholders.add(file.toString());
        return placeholder(placeholderDir.resolve(placeholderName));
    }

    /** Lambda needs a zip for code; a jar-shaped zip with one note serves every placeholder. */
    private static Path placeholder(Path target) {
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out)) {
                ZipEntry note = new ZipEntry("PLACEHOLDER.txt");
                note.setTime(0L); // a fixed time keeps the placeholder, and so the asset hash, stable
                zip.putNextEntry(note);
                zip.write("Placeholder for an unbuilt Twinflow artifact: do not deploy.\n".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return target.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
