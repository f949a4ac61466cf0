package io.twinflow.local.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.event.TelemetryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetSimulatorTest {

    /** Accepts records like a stream would, but refuses a share of them for good. */
    private static final class RefusingStream implements RecordPublisher {
        final List<byte[]> accepted = new ArrayList<>();
        final Random random = new Random(3);
        long seq;

        @Override
        public List<Ack> put(List<PlannedRecord> records) {
            List<Ack> acks = new ArrayList<>();
            for (PlannedRecord r : records) {
                if (random.nextDouble() < 0.02) {
                    acks.add(null);
                } else {
                    accepted.add(r.data());
                    acks.add(new Ack("shardId-00000000000" + Math.floorMod(r.partitionKey().hashCode(), 2), Long.toString(++seq)));
                }
            }
            return acks;
        }
    }

    @Test
    void ledgerMatchesWhatTheDecoderMakesOfEveryAcceptedRecord() throws Exception {
        SimulationConfig config = new SimulationConfig(25, 40_000, Duration.ofMillis(500), 0.05, 0.04, 0.1, 42);
        RefusingStream stream = new RefusingStream();
        SendLedger ledger = new FleetSimulator(config).run(stream, (r, ack, at) -> { }, (d, t, l) -> { });

        EventDecoder decoder = new EventDecoder();
        Instant now = Instant.now();
        Set<String> eventIds = new HashSet<>();
        long unique = 0;
        long duplicates = 0;
        long late = 0;
        long alerting = 0;
        Map<ReasonCode, Long> rejected = new EnumMap<>(ReasonCode.class);
        for (byte[] data : stream.accepted) {
            DecodeResult result = decoder.decode(data, now);
            if (result instanceof DecodeResult.Valid valid) {
                TelemetryEvent e = valid.event();
                if (eventIds.add(e.eventId())) {
                    unique++;
                    if (e.ts().isBefore(now.minusSeconds(29))) {
                        late++;
                    }
                    if (e.metrics().get("temperature") > 50 || e.metrics().get("battery") < 0.1) {
                        alerting++;
                    }
                } else {
                    duplicates++;
                }
            } else {
                rejected.merge(((DecodeResult.Rejected) result).reason(), 1L, Long::sum);
            }
        }

        assertThat(config.totalRecords()).isEqualTo(20_000);
        assertThat(ledger.sent()).isEqualTo(stream.accepted.size());
        assertThat(ledger.sent() + ledger.notPut()).isEqualTo(config.totalRecords());
        assertThat(ledger.uniqueValid()).isEqualTo(unique);
        assertThat(ledger.duplicates()).isEqualTo(duplicates).isPositive();
        assertThat(ledger.badByReason()).isEqualTo(rejected);
        assertThat(rejected).hasSize(TelemetryGenerator.BAD_KINDS.size());
        assertThat(ledger.late()).isEqualTo(late).isPositive();
        assertThat(ledger.anomalies()).isEqualTo(alerting).isPositive();
        assertThat(ledger.notPut()).isPositive();
    }

    @Test
    void ratiosAreSharesOfAllRecords() throws Exception {
        SimulationConfig config = new SimulationConfig(10, 100_000, Duration.ofMillis(200), 0.1, 0.2, 0.0, 7);
        SendLedger ledger = new FleetSimulator(config).run(records -> records.stream()
                .map(r -> new RecordPublisher.Ack("shardId-000000000000", "1")).toList(), (r, a, t) -> { }, (d, t, l) -> { });

        assertThat(ledger.sent()).isEqualTo(20_000);
        assertThat(ledger.badTotal() / 20_000.0).isBetween(0.18, 0.22);
        assertThat(ledger.duplicates() / 20_000.0).isBetween(0.08, 0.12);
        assertThat(ledger.late()).isZero();
    }
}
