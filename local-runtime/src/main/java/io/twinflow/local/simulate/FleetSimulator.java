package io.twinflow.local.simulate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs a simulated fleet against a {@link RecordPublisher} at a steady rate and keeps the exact
 * {@link SendLedger} of what the stream accepted. Duplicates re-send events the stream has already
 * acknowledged, so each one is certainly a second copy.
 */
public final class FleetSimulator {

    /** Told about every record the stream accepted, from the simulating thread. */
    @FunctionalInterface
    public interface Listener {
        void accepted(PlannedRecord record, RecordPublisher.Ack ack, Instant sentAt);
    }

    /** Called after every PutRecords round. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total, SendLedger ledger);
    }

    private static final int MAX_PER_ROUND = 2_000;
    private static final int DUPLICATE_POOL = 5_000;

    private final SimulationConfig config;

    public FleetSimulator(SimulationConfig config) {
        this.config = config;
    }

    public SendLedger run(RecordPublisher publisher, Listener listener, Progress progress) throws InterruptedException {
        TelemetryGenerator generator = new TelemetryGenerator(config.devices(), config.lateRatio(), config.seed());
        Random random = new Random(config.seed() * 31 + 7);
        SendLedger ledger = new SendLedger();
        List<PlannedRecord> pool = new ArrayList<>();
        long total = config.totalRecords();
        long generated = 0;
        long startNanos = System.nanoTime();
        while (generated < total) {
            double elapsedS = (System.nanoTime() - startNanos) / 1e9;
            long due = Math.min(total, (long) Math.ceil(config.ratePerSecond() * elapsedS)) - generated;
            if (due <= 0) {
                Thread.sleep(5);
                continue;
            }
            int n = (int) Math.min(due, MAX_PER_ROUND);
            Instant now = Instant.now();
            List<PlannedRecord> round = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble();
                if (u < config.badRatio()) {
                    round.add(generator.bad(now));
                } else if (u < config.badRatio() + config.duplicateRatio() && !pool.isEmpty()) {
                    PlannedRecord original = pool.get(random.nextInt(pool.size()));
                    round.add(new PlannedRecord(PlannedRecord.Kind.DUPLICATE, original.partitionKey(), original.data(),
                            original.eventId(), original.eventTime(), null, original.late(), original.anomaly()));
                } else {
                    round.add(generator.next(now));
                }
            }
            Instant sentAt = Instant.now();
            List<RecordPublisher.Ack> acks = publisher.put(round);
            for (int i = 0; i < n; i++) {
                PlannedRecord r = round.get(i);
                RecordPublisher.Ack ack = acks.get(i);
                if (ack == null) {
                    ledger.refused();
                    continue;
                }
                ledger.acknowledged(r);
                listener.accepted(r, ack, sentAt);
                if (r.kind() == PlannedRecord.Kind.VALID) {
                    if (pool.size() < DUPLICATE_POOL) {
                        pool.add(r);
                    } else {
                        pool.set(random.nextInt(DUPLICATE_POOL), r);
                    }
                }
            }
            generated += n;
            progress.update(generated, total, ledger);
        }
        return ledger;
    }
}
