package io.twinflow.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.window.Windows;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineSpecTest {

    private static List<String> resourceNames(PipelineSpec spec) {
        return List.of(spec.stream().name(),
                spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts(),
                spec.buckets().raw(), spec.buckets().curated(), spec.buckets().quarantine(),
                spec.queues().streamFailures(), spec.queues().scheduleDeadLetter(),
                spec.functions().streamProcessor(), spec.functions().batchLoader(), spec.functions().rollupJob());
    }

    @Test
    void defaultsUseTheDefaultPrefix() {
        PipelineSpec spec = PipelineSpec.defaults();
        assertThat(spec.prefix()).isEqualTo(PipelineSpec.DEFAULT_PREFIX).isEqualTo("twinflow");
        assertThat(spec).isEqualTo(PipelineSpec.withPrefix("twinflow"));
        assertThat(spec.stream().name()).isEqualTo("twinflow-telemetry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"twinflow", "dev-alice", "tf", "a234567890123456789012345678901"})
    void everyResourceNameIsDerivedFromThePrefixAndNamesAreDistinct(String prefix) {
        PipelineSpec spec = PipelineSpec.withPrefix(prefix);
        List<String> names = resourceNames(spec);

        assertThat(names).allSatisfy(name -> assertThat(name).startsWith(prefix + "-"));
        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
    }

    @Test
    void twoPrefixesShareNoResourceName() {
        Set<String> a = new HashSet<>(resourceNames(PipelineSpec.withPrefix("twinflow")));
        Set<String> b = new HashSet<>(resourceNames(PipelineSpec.withPrefix("twinflow-dev")));
        assertThat(a).doesNotContainAnyElementsOf(b);
    }

    @Test
    void namesFitAwsLimitsForTheLongestPrefix() {
        PipelineSpec spec = PipelineSpec.withPrefix("a" + "b".repeat(30));
        for (String function : List.of(spec.functions().streamProcessor(), spec.functions().batchLoader())) {
            // Lambda: up to 64 characters of letters, digits, hyphens and underscores.
            assertThat(function).matches("[a-zA-Z0-9_-]{1,64}");
        }
        for (String bucket : List.of(spec.buckets().raw(), spec.buckets().curated(), spec.buckets().quarantine())) {
            // S3: 3-63 characters of lower-case letters, digits, dots and hyphens.
            assertThat(bucket).matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
        }
        assertThat(spec.stream().name()).matches("[a-zA-Z0-9_.-]{1,128}");
        for (String table : List.of(spec.tables().deviceState(), spec.tables().deviceWindows(), spec.tables().alerts())) {
            assertThat(table).matches("[a-zA-Z0-9_.-]{3,255}");
        }
        for (String queue : List.of(spec.queues().streamFailures(), spec.queues().scheduleDeadLetter())) {
            assertThat(queue).matches("[a-zA-Z0-9_-]{1,80}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "t", "Twinflow", "1flow", "-flow", "twin_flow", "twin.flow", "twin flow",
        "a2345678901234567890123456789012", "twïnflow", "flow-", "twin--flow", "xn--flow"})
    void badPrefixesAreRejectedWithTheRule(String prefix) {
        assertThatThrownBy(() -> PipelineSpec.withPrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix must be")
                .hasMessageContaining(prefix);
    }

    @Test
    void defaultWindowIsAValidWindowSize() {
        PipelineSpec spec = PipelineSpec.defaults();
        assertThat(new Windows(spec.window()).size()).isEqualTo(Windows.DEFAULT_SIZE);
    }

    @Test
    void defaultStreamMappingIsSafe() {
        PipelineSpec.StreamMapping mapping = PipelineSpec.defaults().streamMapping();
        // A poison record must not block the shard forever, and failures must be reported per record.
        assertThat(mapping.bisectOnError()).isTrue();
        assertThat(mapping.reportBatchItemFailures()).isTrue();
        assertThat(mapping.maxRetries()).isBetween(0, 10_000);
        assertThat(mapping.maxRecordAge()).isPositive().isLessThanOrEqualTo(Duration.ofDays(7));
        // One writer per device: parallelisation within a shard would break per-device ordering.
        assertThat(mapping.parallelizationFactor()).isEqualTo(1);
    }

    @Test
    void schedulesAreEventBridgeCronExpressions() {
        PipelineSpec.Schedules schedules = PipelineSpec.defaults().schedules();
        // EventBridge cron has six fields: minutes hours day-of-month month day-of-week year.
        for (String cron : List.of(schedules.loader(), schedules.rollup())) {
            assertThat(cron).startsWith("cron(").endsWith(")");
            assertThat(cron.substring(5, cron.length() - 1).split(" ")).hasSize(6);
        }
        assertThat(schedules.rollupLateness()).isPositive().isLessThan(Duration.ofDays(1));
    }

    @Test
    void bucketPrefixesAreFolderLike() {
        PipelineSpec.Buckets buckets = PipelineSpec.defaults().buckets();
        for (String prefix : List.of(buckets.rawPrefix(), buckets.quarantinePrefix(), buckets.errorPrefix())) {
            assertThat(prefix).endsWith("/").doesNotStartWith("/");
        }
        assertThat(Set.of(buckets.rawPrefix(), buckets.quarantinePrefix(), buckets.errorPrefix())).hasSize(3);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new PipelineSpec.Stream("s", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PipelineSpec.StreamMapping(0, Duration.ZERO, true, true, 1, Duration.ofHours(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PipelineSpec.StreamMapping(10_001, Duration.ZERO, true, true, 1, Duration.ofHours(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PipelineSpec.StreamMapping(100, Duration.ZERO, true, true, -2, Duration.ofHours(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PipelineSpec.StreamMapping(100, Duration.ZERO, true, true, 1, Duration.ofHours(1), 11))
                .isInstanceOf(IllegalArgumentException.class);

        PipelineSpec d = PipelineSpec.defaults();
        for (Duration window : List.of(Duration.ZERO, Duration.ofSeconds(-60), Duration.ofMillis(1500),
                Duration.ofSeconds(60).plusNanos(1), Duration.ofSeconds(7))) {
            assertThatThrownBy(() -> new PipelineSpec(d.prefix(), d.stream(), d.tables(), d.buckets(), d.queues(),
                    d.streamMapping(), d.archive(), d.schedules(), d.warehouse(), window))
                    .as(window.toString()).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theRollupCoversTheLastDayWhoseLateArrivalsAreAllIn() {
        PipelineSpec.Schedules schedules = PipelineSpec.defaults().schedules();
        // Fired at 03:30 with 3 h of lateness: yesterday is complete (its late window closed at 03:00).
        assertThat(schedules.rollupDay(Instant.parse("2026-11-25T03:30:00Z"))).isEqualTo(LocalDate.parse("2026-11-24"));
        // Fired before the late window closed, the day before yesterday is the last complete one.
        assertThat(schedules.rollupDay(Instant.parse("2026-11-25T02:59:00Z"))).isEqualTo(LocalDate.parse("2026-11-23"));
        // The schedule itself fires after the late window closes, so a run never misses late objects.
        String[] cron = schedules.rollup().replace("cron(", "").replace(")", "").split(" ");
        long firesAtMinuteOfDay = Long.parseLong(cron[1]) * 60 + Long.parseLong(cron[0]);
        assertThat(firesAtMinuteOfDay).isGreaterThanOrEqualTo(schedules.rollupLateness().toMinutes());
    }
}
