package io.twinflow.cli.command;

import io.twinflow.local.simulate.SimulationConfig;
import java.time.Duration;
import picocli.CommandLine;

/** The simulated fleet's shape, shared by {@code simulate} and {@code demo} (each has its own --duration default). */
final class FleetOptions {

    @CommandLine.Option(names = "--devices", description = "Number of devices. Default: ${DEFAULT-VALUE}.")
    int devices = 20;

    @CommandLine.Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "Records per second, all devices together. Default: ${DEFAULT-VALUE}.")
    double rate = 200;

    @CommandLine.Option(names = "--duplicates", paramLabel = "RATIO",
            description = "Share of records that re-send an acknowledged event. Default: ${DEFAULT-VALUE}.")
    double duplicates = 0.02;

    @CommandLine.Option(names = "--bad", paramLabel = "RATIO",
            description = "Share of records the pipeline must quarantine. Default: ${DEFAULT-VALUE}.")
    double bad = 0.01;

    @CommandLine.Option(names = "--late", paramLabel = "RATIO",
            description = "Share of new events that are 30 s to 10 min late. Default: ${DEFAULT-VALUE}.")
    double late = 0.05;

    SimulationConfig config(Duration duration, long seed) {
        return new SimulationConfig(devices, rate, duration, duplicates, bad, late, seed);
    }
}
