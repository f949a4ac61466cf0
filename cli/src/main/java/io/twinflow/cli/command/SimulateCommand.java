package io.twinflow.cli.command;

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

    @CommandLine.Mixin
    FleetOptions fleet = new FleetOptions();

    @CommandLine.Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "How long to send (90s, 5m, ...). Default: 30s.")
    Duration duration = Duration.ofSeconds(30);

    @CommandLine.Option(names = "--seed", description = "Random seed, for a repeatable fleet. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        SimulationConfig config = fleet.config(duration, seed);
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
            JsonOutput.print(report);
            return ledger.notPut() == 0 ? 0 : 1;
        }
    }
}
