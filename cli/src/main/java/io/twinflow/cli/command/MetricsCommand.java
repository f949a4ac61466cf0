package io.twinflow.cli.command;

import io.twinflow.core.error.UserMistakeException;
import io.twinflow.live.LiveJson;
import io.twinflow.live.LiveStateReader;
import io.twinflow.warehouse.QueryResult;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

@CommandLine.Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Shows a device's per-window aggregates (event-time windows) from DynamoDB: a row per window and metric.",
                "--output json: [{windowStart, count, metrics:{name:{count,sum,min,max,avg}}}]."})
public final class MetricsCommand implements Callable<Integer> {

    @CommandLine.Mixin
    LiveDevice device = new LiveDevice();

    @CommandLine.Option(names = "--from", paramLabel = "T",
            description = "Windows starting at or after T: an ISO-8601 instant, or a duration meaning that long ago (90m). Default: 1h.")
    String from = "1h";

    @CommandLine.Option(names = "--to", paramLabel = "T", description = "Windows starting before T (same forms). Default: now.")
    String to;

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now();
        Instant start = instant("--from", from, now);
        // Without --to, include the window that is still open.
        Instant end = to == null ? now.plusSeconds(1) : instant("--to", to, now);
        List<LiveStateReader.WindowSummary> windows = device.read((reader, deviceId) -> reader.windows(deviceId, start, end));
        output.print(view(windows));
        return 0;
    }

    /** The table: a row per window and metric (a window without metrics: one row, metric empty). */
    static View view(List<LiveStateReader.WindowSummary> windows) {
        List<List<Object>> rows = new ArrayList<>();
        for (LiveStateReader.WindowSummary w : windows) {
            if (w.metrics().isEmpty()) {
                rows.add(Arrays.asList(w.windowStart().toString(), w.count(), null, null, null, null, null, null));
            }
            w.metrics().forEach((name, a) -> rows.add(List.<Object>of(w.windowStart().toString(), w.count(), name, a.count(), a.avg(), a.min(),
                    a.max(), a.sum())));
        }
        return View.table(LiveJson.windows(windows),
                new QueryResult(List.of("windowStart", "events", "metric", "count", "avg", "min", "max", "sum"), rows));
    }

    /** Both forms are read when the command runs, so that a duration counts back from the moment it starts. */
    static Instant instant(String option, String value, Instant now) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                Duration ago = new DurationConverter().convert(value);
                return now.minus(ago);
            } catch (CommandLine.TypeConversionException notADuration) {
                throw new UserMistakeException(option + " " + value + " is neither an ISO-8601 instant nor a duration: "
                        + "give e.g. 2026-11-28T10:15:00Z or 90m", notADuration);
            }
        }
    }
}
