package io.twinflow.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.event.TelemetryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowStateTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:15:00Z");

    private static TelemetryEvent event(String id, double temperature) {
        return TelemetryEvent.of(id, "sensor-0042", T0, Map.of("temperature", temperature));
    }

    @Test
    void aProducerDuplicateInTheSameDeliveryCountsOnce() {
        WindowState.Applied result = WindowState.EMPTY.apply(List.of(event("a", 1), event("b", 2), event("a", 1)));

        assertThat(result.applied()).containsExactly(true, true, false);
        assertThat(result.appliedCount()).isEqualTo(2);
        assertThat(result.duplicateCount()).isEqualTo(1);
        assertThat(result.state().aggregate().eventCount()).isEqualTo(2);
        assertThat(result.state().aggregate().metrics().get("temperature")).isEqualTo(new MetricAggregate(2, 3, 1, 2));
    }

    @Test
    void aRedeliveryChangesNothing() {
        List<TelemetryEvent> delivery = List.of(event("a", 1), event("b", 2));
        WindowState once = WindowState.EMPTY.apply(delivery).state();

        WindowState.Applied again = once.apply(delivery);

        assertThat(again.changed()).isFalse();
        assertThat(again.state()).isSameAs(once);
        assertThat(again.applied()).containsExactly(false, false);
    }

    @Test
    void anyInterleavingOfRetriesAndDuplicatesGivesTheSameState() {
        Random random = new Random(21);
        List<TelemetryEvent> distinct = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            distinct.add(event("id-" + i, random.nextInt(-20, 60)));
        }
        WindowState reference = WindowState.EMPTY.apply(distinct).state();

        for (int round = 0; round < 50; round++) {
            List<TelemetryEvent> deliveries = new ArrayList<>(distinct);
            for (int d = 0; d < 40; d++) {
                deliveries.add(distinct.get(random.nextInt(distinct.size())));
            }
            Collections.shuffle(deliveries, random);
            WindowState state = WindowState.EMPTY;
            for (int from = 0; from < deliveries.size(); ) {
                int to = Math.min(deliveries.size(), from + 1 + random.nextInt(15));
                state = state.apply(deliveries.subList(from, to)).state();
                from = to;
            }
            // Integer-valued temperatures: sums are exact whatever the order.
            assertThat(state).isEqualTo(reference);
            assertThat(state.eventIds().size()).isEqualTo(distinct.size());
        }
    }

    @Test
    void aFullWindowRejectsNewEventsInOrderButStillRecognisesItsDuplicates() {
        WindowState two = WindowState.EMPTY.apply(List.of(event("a", 1), event("b", 2)), 2).state();

        WindowState.Applied result = two.apply(List.of(event("c", 3), event("a", 1), event("c", 3), event("d", 4)), 2);

        assertThat(result.applied()).containsExactly(false, false, false, false);
        assertThat(result.full()).containsExactly(true, false, true, true);
        assertThat(result.duplicateCount()).isEqualTo(1);
        assertThat(result.changed()).isFalse();
        assertThat(result.state().aggregate().eventCount()).isEqualTo(2);
    }

    @Test
    void theEventsThatFitAreTheFirstDistinctOnesOfTheDelivery() {
        WindowState.Applied result = WindowState.EMPTY.apply(
                List.of(event("a", 1), event("a", 1), event("b", 2), event("c", 3), event("b", 2)), 2);

        assertThat(result.applied()).containsExactly(true, false, true, false, false);
        assertThat(result.full()).containsExactly(false, false, false, true, false);
        assertThat(result.state().aggregate().eventCount()).isEqualTo(2);
    }

    @Test
    void aLargeDeliveryWithRepeatsMarksExactlyTheFirstOccurrenceOfEachIdApplied() {
        Random random = new Random(5);
        List<TelemetryEvent> delivery = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            delivery.add(event("id-" + random.nextInt(4_000), 1));
        }
        Set<String> seen = new HashSet<>();

        WindowState.Applied result = WindowState.EMPTY.apply(delivery);

        for (int i = 0; i < delivery.size(); i++) {
            assertThat(result.applied()[i]).as("event %d", i).isEqualTo(seen.add(delivery.get(i).eventId()));
        }
        assertThat(result.state().aggregate().eventCount()).isEqualTo(seen.size());
        assertThat(result.state().eventIds().size()).isEqualTo(seen.size());
    }
}
