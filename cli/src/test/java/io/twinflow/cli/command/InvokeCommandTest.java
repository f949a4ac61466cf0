package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code twinflow invoke}'s mistakes, found before any stack starts, and the scheduled event it builds. */
class InvokeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliRun twinflow(String... args) {
        return CliRun.of(dir.resolve("endpoints.json"), args);
    }

    @Test
    void aMissingEventFileIsOneLineAndExit2() {
        CliRun run = twinflow("invoke", "stream-processor", "-e", "missing.json");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("twinflow: cannot read the event file missing.json: give a Kinesis event JSON file, "
                + "e.g. events/kinesis/normal-batch.json" + System.lineSeparator());
        assertThat(run.stdout()).isEmpty();

        CliRun loader = twinflow("invoke", "batch-loader", "-e", "missing.json");
        assertThat(loader.exitCode()).isEqualTo(2);
        assertThat(loader.stderr()).isEqualTo("twinflow: cannot read the event file missing.json: give a scheduled event JSON file, "
                + "e.g. events/scheduled/hourly.json" + System.lineSeparator());
    }

    @Test
    void emptyStandardInputIsOneLineAndExit2() {
        CliRun run = CliRun.withStdin(new byte[0], dir.resolve("endpoints.json"), "invoke", "stream-processor", "-e", "-");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("twinflow: standard input is empty: pipe a Kinesis event in, "
                + "e.g. `< events/kinesis/normal-batch.json`" + System.lineSeparator());
    }

    @Test
    void anEventThatIsNotAScheduledEventIsRefusedByTheLoader() throws Exception {
        Path kinesis = Files.writeString(dir.resolve("kinesis.json"), "{\"Records\": []}");
        CliRun run = twinflow("invoke", "batch-loader", "-e", kinesis.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).isEqualTo("twinflow: " + kinesis + " is not a scheduled event (it needs \"detail-type\": "
                + "\"Scheduled Event\" and a \"time\"): give one like events/scheduled/hourly.json" + System.lineSeparator());

        CliRun stdin = CliRun.withStdin("[1, 2]".getBytes(StandardCharsets.UTF_8), dir.resolve("endpoints.json"), "invoke", "batch-loader", "-e", "-");
        assertThat(stdin.exitCode()).isEqualTo(2);
        assertThat(stdin.stderr()).startsWith("twinflow: standard input is not a scheduled event (")
                .endsWith("): give one like events/scheduled/hourly.json" + System.lineSeparator());
    }

    @Test
    void anEventAndScheduledTogetherOrATimeAloneAreRefused() {
        CliRun both = twinflow("invoke", "batch-loader", "-e", "x.json", "--scheduled");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.stderr()).isEqualTo("twinflow: give either -e FILE (an event) or --scheduled [--time T] (one built here), "
                + "not both" + System.lineSeparator());

        CliRun timeAlone = twinflow("invoke", "batch-loader", "--time", "2026-11-24T11:05:00Z");
        assertThat(timeAlone.exitCode()).isEqualTo(2);
        assertThat(timeAlone.stderr()).isEqualTo("twinflow: --time is the firing time of --scheduled: add --scheduled, "
                + "or leave --time out" + System.lineSeparator());

        CliRun badTime = twinflow("invoke", "batch-loader", "--scheduled", "--time", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.stderr()).isEqualTo("twinflow: --time yesterday is neither an ISO-8601 instant nor a duration: "
                + "give e.g. 2026-11-28T10:15:00Z or 90m" + System.lineSeparator());
    }

    @Test
    void theBuiltScheduledEventHasTheSampleEventsShape() throws Exception {
        JsonNode built = JSON.readTree(InvokeCommand.BatchLoader.scheduledEvent("twinflow", "eu-central-1",
                Instant.parse("2026-11-24T11:05:00Z")));
        JsonNode sample = JSON.readTree(InvokeCommandIT.eventsDir().resolve("scheduled").resolve("hourly.json").toFile());
        assertThat(fieldNames(built)).containsExactlyInAnyOrderElementsOf(fieldNames(sample));
        for (String same : List.of("version", "detail-type", "source", "time", "region", "detail")) {
            assertThat(built.get(same)).as(same).isEqualTo(sample.get(same));
        }
        assertThat(built.get("account").asText()).isEqualTo("000000000000");
        assertThat(built.get("resources").toString())
                .isEqualTo("[\"arn:aws:scheduler:eu-central-1:000000000000:schedule/default/twinflow-hourly-loader\"]");
        assertThat(built.get("id").asText()).hasSize(36);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

}
