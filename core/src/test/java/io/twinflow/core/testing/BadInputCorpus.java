package io.twinflow.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.event.ReasonCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repository's shared test data ({@code events/}): the bad-input corpus and the sample Lambda
 * events. Shipped in core's test jar so every module's tests read the corpus the same way.
 */
public final class BadInputCorpus {

    /** Records larger than is sensible to commit are stored as a recipe {@code NAME.spec.json}. */
    public static final String SPEC_SUFFIX = ".spec.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BadInputCorpus() {
    }

    /**
     * {@code -Dtwinflow.events.dir=...} if given; otherwise the first {@code events/} folder holding the
     * corpus found walking up from the working directory (Maven runs tests in the module folder, an IDE
     * may run them at the repository root).
     */
    public static Path eventsDir() {
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

    public static Path dir() {
        return eventsDir().resolve("bad-input");
    }

    /** Record name -> the reason code it must be rejected with, in the corpus' order. */
    public static Map<String, ReasonCode> expected() {
        try {
            JsonNode json = MAPPER.readTree(dir().resolve("expected.json").toFile());
            Map<String, ReasonCode> expected = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                // valueOf fails on a name that is not a ReasonCode: a typo must not pass silently.
                expected.put(entry.getKey(), ReasonCode.valueOf(entry.getValue().asText()));
            }
            return expected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A record's bytes: the file itself, or what its {@code NAME.spec.json} recipe expands to. */
    public static byte[] bytes(String name) {
        try {
            Path file = dir().resolve(name);
            if (Files.isRegularFile(file)) {
                return Files.readAllBytes(file);
            }
            JsonNode spec = MAPPER.readTree(dir().resolve(name + SPEC_SUFFIX).toFile());
            byte[] head = spec.get("head").asText().getBytes(StandardCharsets.UTF_8);
            byte[] fill = spec.get("fill").asText().getBytes(StandardCharsets.UTF_8);
            byte[] tail = spec.get("tail").asText().getBytes(StandardCharsets.UTF_8);
            int total = spec.get("totalBytes").asInt();
            if (fill.length != 1 || head.length + tail.length > total) {
                throw new IllegalArgumentException("bad recipe " + name + SPEC_SUFFIX);
            }
            byte[] data = new byte[total];
            System.arraycopy(head, 0, data, 0, head.length);
            Arrays.fill(data, head.length, total - tail.length, fill[0]);
            System.arraycopy(tail, 0, data, total - tail.length, tail.length);
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
