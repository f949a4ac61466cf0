package io.twinflow.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.twinflow.live.LiveStateReader;
import io.twinflow.local.config.ServiceClients;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@CommandLine.Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Shows a device's per-window aggregates (event-time windows) from DynamoDB.")
public final class MetricsCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Parameters(paramLabel = "DEVICE_ID")
    String deviceId;

    @CommandLine.Option(names = "--from", paramLabel = "T",
            description = "Windows starting at or after T: an ISO-8601 instant, or a duration meaning that long ago (90m). Default: 1h.")
    String from = "1h";

    @CommandLine.Option(names = "--to", paramLabel = "T", description = "Windows starting before T (same forms). Default: now.")
    String to;

    @CommandLine.Option(names = "--json", description = "Print [{windowStart, count, metrics:{name:{count,sum,min,max,avg}}}] as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now();
        Instant start = instant(from, now);
        // Without --to, include the window that is still open.
        Instant end = to == null ? now.plusSeconds(1) : instant(to, now);
        ServiceClients clients = target.clients();
        try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
            List<LiveStateReader.WindowSummary> windows = LiveQueries.reader(clients, dynamoDb).windows(deviceId, start, end);
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(LiveQueries.windows(windows)));
            } else {
                for (LiveStateReader.WindowSummary w : windows) {
                    StringBuilder line = new StringBuilder(w.windowStart() + "  " + w.count() + " events");
                    w.metrics().forEach((name, a) -> line.append(String.format("  %s avg %.2f [%.2f..%.2f]", name, a.avg(), a.min(), a.max())));
                    System.out.println(line);
                }
            }
            return 0;
        }
    }

    static Instant instant(String value, Instant now) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            Duration ago = new DurationConverter().convert(value);
            return now.minus(ago);
        }
    }
}
