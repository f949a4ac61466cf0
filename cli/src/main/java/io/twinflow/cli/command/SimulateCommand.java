package io.twinflow.cli.command;

import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.runtime.StreamSource;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KafkaPublisher;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.ProgressBar;
import io.twinflow.local.simulate.RecordPublisher;
import io.twinflow.local.simulate.SendLedger;
import io.twinflow.local.simulate.SimulationConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import software.amazon.awssdk.services.kinesis.KinesisClient;

@CommandLine.Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Streams realistic telemetry from a simulated fleet into the Kinesis stream (or, with --source kafka, "
                + "the local stack's Kafka topic).",
                "Daily temperature cycles, noise, rare anomalies that fire the default alerts, late and "
                        + "out-of-order events, producer duplicates and bad records; PutRecords in batches of up "
                        + "to 500 with retry of refused entries. Prints the exact account of what the stream "
                        + "accepted as JSON on stdout; progress goes to stderr.",
                "--output: json (default), table or csv: the account's fields, one row each (badByReason.REASON)."})
public final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Mixin
    FleetOptions fleet = new FleetOptions();

    @CommandLine.Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "How long to send (90s, 5m, ...). Default: 30s.")
    Duration duration = Duration.ofSeconds(30);

    @CommandLine.Option(names = "--seed", description = "Random seed, for a repeatable fleet. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @CommandLine.Option(names = "--source", paramLabel = "kinesis|kafka",
            description = "The stream to send to: kinesis (PutRecords), or kafka: the local stack's topic (`local up --source "
                    + "kafka|both`) through a Kafka producer with idempotence on, acks=all and retries. Default: kinesis.")
    String source = StreamSource.KINESIS.cliName();

    @CommandLine.Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        SimulationConfig config = fleet.config(duration, seed);
        StreamSource streams = StreamSource.parse(source);
        if (streams == StreamSource.BOTH) {
            throw new UserMistakeException("simulate sends to one stream: use --source kinesis or --source kafka");
        }
        if (streams == StreamSource.KAFKA) {
            Endpoints.Kafka kafka = localKafka();
            try (KafkaPublisher publisher = new KafkaPublisher(kafka.bootstrapServers(), kafka.topic())) {
                return send(config, publisher, kafka.topic(), Map.of());
            }
        }
        ServiceClients clients = target.clients();
        String stream = clients.spec().stream().name();
        try (KinesisClient kinesis = clients.kinesis()) {
            KinesisPublisher publisher = new KinesisPublisher(kinesis, stream);
            return send(config, publisher, stream, Map.of("retriedEntries", publisher::retriedEntries));
        }
    }

    /** @param extra report entries read after sending */
    private int send(SimulationConfig config, RecordPublisher publisher, String stream, Map<String, Supplier<Object>> extra)
            throws InterruptedException, IOException {
        long start = System.nanoTime();
        SendLedger ledger = new FleetSimulator(config).run(publisher, (r, ack, at) -> { }, new ProgressBar(System.err));
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> report = new LinkedHashMap<>(ledger.toMap());
        extra.forEach((key, value) -> report.put(key, value.get()));
        report.put("stream", stream);
        report.put("durationS", Math.round(seconds * 100) / 100.0);
        report.put("recordsPerSecond", Math.round(ledger.sent() / seconds));
        output.print(View.fields(report), ResultFormat.json);
        return ledger.notPut() == 0 ? 0 : 1;
    }

    /** The running local stack's broker and topic: Kafka runs only there (in AWS, MSK sits in private subnets). */
    private Endpoints.Kafka localKafka() {
        if (target.target() != TargetOptions.Target.local) {
            throw new UserMistakeException("simulate --source kafka sends to the local stack's broker: drop --target "
                    + target.target() + " and start the stack with `./twinflow local up --source kafka`");
        }
        Path file = target.endpointsFile();
        Endpoints running = TargetOptions.running(file).orElseThrow(() -> new UserMistakeException("no local stack is running ("
                + file + " is missing or stale). Start one with `./twinflow local up --source kafka`"));
        if (running.kafka() == null) {
            throw new UserMistakeException("the local stack (pid " + running.pid() + ") runs without Kafka: restart it with "
                    + "`./twinflow local up --source kafka` (or --source both)");
        }
        return running.kafka();
    }
}
