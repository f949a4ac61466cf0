package io.twinflow.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.simulate.FleetSimulator;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.ProgressBar;
import io.twinflow.local.simulate.SendLedger;
import io.twinflow.local.simulate.SimulationConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.kinesis.KinesisClient;

@CommandLine.Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Streams realistic telemetry from a simulated fleet into the Kinesis stream.",
                "Daily temperature cycles, noise, rare anomalies that fire the default alerts, late and "
                        + "out-of-order events, producer duplicates and bad records; PutRecords in batches of up "
                        + "to 500 with retry of refused entries. Prints the exact account of what the stream "
                        + "accepted as JSON on stdout; progress goes to stderr."})
public final class SimulateCommand implements Callable<Integer> {

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @CommandLine.Option(names = "--devices", description = "Number of devices. Default: ${DEFAULT-VALUE}.")
    int devices = 20;

    @CommandLine.Option(names = "--rate", paramLabel = "EVENTS_PER_S", description = "Records per second, all devices together. Default: ${DEFAULT-VALUE}.")
    double rate = 200;

    @CommandLine.Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "How long to send (90s, 5m, ...). Default: 30s.")
    Duration duration = Duration.ofSeconds(30);

    @CommandLine.Option(names = "--duplicates", paramLabel = "RATIO",
            description = "Share of records that re-send an acknowledged event. Default: ${DEFAULT-VALUE}.")
    double duplicates = 0.02;

    @CommandLine.Option(names = "--bad", paramLabel = "RATIO", description = "Share of records the pipeline must quarantine. Default: ${DEFAULT-VALUE}.")
    double bad = 0.01;

    @CommandLine.Option(names = "--late", paramLabel = "RATIO", description = "Share of new events that are 30 s to 10 min late. Default: ${DEFAULT-VALUE}.")
    double late = 0.05;

    @CommandLine.Option(names = "--seed", description = "Random seed, for a repeatable fleet. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        SimulationConfig config = new SimulationConfig(devices, rate, duration, duplicates, bad, late, seed);
        ServiceClients clients = target.clients();
        String stream = clients.spec().stream().name();
        try (KinesisClient kinesis = clients.kinesis()) {
            KinesisPublisher publisher = new KinesisPublisher(kinesis, stream);
            long start = System.nanoTime();
            SendLedger ledger = new FleetSimulator(config).run(publisher, (r, ack, at) -> { }, new ProgressBar(System.err));
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> report = new LinkedHashMap<>(ledger.toMap());
            report.put("retriedEntries", publisher.retriedEntries());
            report.put("stream", stream);
            report.put("durationS", Math.round(seconds * 100) / 100.0);
            report.put("recordsPerSecond", Math.round(ledger.sent() / seconds));
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            return ledger.notPut() == 0 ? 0 : 1;
        }
    }
}
