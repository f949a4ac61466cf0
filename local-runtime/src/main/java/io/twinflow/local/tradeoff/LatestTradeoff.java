package io.twinflow.local.tradeoff;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The newest {@code twinflow tradeoff} report, kept in the CLI's state directory ({@code .twinflow/tradeoff/}) as
 * {@code latest.html} and {@code latest.json}, so the dashboard shows the same report the command printed.
 */
public final class LatestTradeoff {

    public static final String DIRECTORY = "tradeoff";
    public static final String HTML = "latest.html";
    public static final String JSON_FILE = "latest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;

    /** @param stateDir the CLI's state directory, e.g. {@code Endpoints.stateDir()} */
    public LatestTradeoff(Path stateDir) {
        this.directory = stateDir.resolve(DIRECTORY);
    }

    /** Where the HTML report is kept. */
    public Path htmlFile() {
        return directory.resolve(HTML);
    }

    /** Replaces the kept report; each file is swapped in whole, so a reader never sees half of one. */
    public void save(TradeoffReport report) throws IOException {
        Files.createDirectories(directory);
        replace(directory.resolve(JSON_FILE), JSON.writeValueAsString(report.toMap()));
        replace(htmlFile(), TradeoffHtml.render(report));
    }

    /** The kept HTML report; empty before the first run. */
    public Optional<String> html() {
        try {
            return Optional.of(Files.readString(htmlFile(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + htmlFile() + ": " + e.getMessage(), e);
        }
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
